"""PyYAML's "non-printable character" pattern, compiled the quick way.

Imported before ``yaml``. ``yaml.reader.Reader`` compiles, as its module is imported,
a class of every printable character::

    [^\\t\\n\\r -~\\x85\\xa0-\\ud7ff\\ue000-\\ufffd\\U00010000-\\U0010ffff]

Python's regex compiler walks those ranges one character at a time: ~5.5 ms, about a
twentieth of a cold ``validate``. :data:`NOT_PRINTABLE` is its complement, the few
characters that are not printable, spelled out: the same set of characters (a test
compares them over every code point), compiled in ~0.5 ms. Put in ``re``'s cache under
PyYAML's pattern, it is what PyYAML's ``re.compile`` returns. The reader (the pure-Python
loader; libyaml's does not use it) then finds the same first character at the same
place, so its errors are the same.

When ``re`` has no such cache (another Python), or ``yaml`` is already imported, this
does nothing and PyYAML compiles its own pattern.
"""

from __future__ import annotations

import re
import sys

PYYAML_PATTERN = "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
NOT_PRINTABLE = "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]"


def seed_pattern_cache() -> bool:
    """Cache :data:`NOT_PRINTABLE` as PyYAML's pattern; False when that cannot be done."""
    cache = getattr(re, "_cache", None)
    if "yaml.reader" in sys.modules or not isinstance(cache, dict):
        return False
    cache.setdefault((str, PYYAML_PATTERN, 0), re.compile(NOT_PRINTABLE))
    return True


seed_pattern_cache()
