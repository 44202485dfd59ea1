"""``record``: an immutable dataclass for the type checker, a cheaper one at run time.

``@dataclass(frozen=True)`` makes Python generate six methods per class at import
(``__init__``, ``__repr__``, ``__eq__``, ``__hash__``, ``__setattr__``,
``__delattr__``), each compiled from source: ~0.65 ms a class, and ``validate``
imports over thirty of them. ``record`` gives the same ``__init__``, ``__repr__``,
``__eq__`` and ``__hash__`` (``unsafe_hash``: the fields' hash, as frozen classes
have) without the two guards, ~0.4 ms. Immutability is then checked by mypy
(``frozen_default``): assigning to a field of a record is a type error, not a
run-time one. Instances are also quicker to build (no ``object.__setattr__``).

A class that defines its own ``__hash__`` stays a frozen dataclass.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar, overload

if TYPE_CHECKING:
    from collections.abc import Callable

    from typing_extensions import dataclass_transform

_T = TypeVar("_T")


if TYPE_CHECKING:

    @overload
    def record(cls: type[_T], /) -> type[_T]: ...

    @overload
    def record(*, slots: bool = False) -> Callable[[type[_T]], type[_T]]: ...

    @dataclass_transform(frozen_default=True, field_specifiers=(field,))
    def record(cls: Any = None, /, *, slots: bool = False) -> Any: ...

else:

    def record(cls=None, /, *, slots=False):
        """``@record`` or ``@record(slots=True)``: see the module's text."""
        decorate = dataclass(unsafe_hash=True, slots=slots)
        return decorate if cls is None else decorate(cls)
