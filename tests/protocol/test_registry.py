"""The rule registry refuses a second rule with an id or a name already taken."""

from __future__ import annotations

import pytest

from octavus_cli.protocol.diagnostics import Severity
from octavus_cli.protocol.registry import Rule, all_rules, get_rule, register


def test_ids_and_names_are_unique_and_the_same_rule_may_register_again() -> None:
    existing = get_rule("OCT201")
    assert register(existing) is existing  # the same rule again: accepted, unchanged
    renamed = Rule("OCT201", "another-name", Severity.ERROR, "s", "h", existing.family, None)
    with pytest.raises(ValueError, match="rule id OCT201 is registered twice"):
        register(renamed)
    taken = Rule("OCT999", existing.name, Severity.ERROR, "s", "h", existing.family, None)
    with pytest.raises(ValueError, match=f"rule name {existing.name} is registered twice"):
        register(taken)
    unknown = Rule("OCT998", "brand-new-rule", Severity.ERROR, "s", "h", "no-such-family", None)
    with pytest.raises(ValueError, match="unknown rule family"):
        register(unknown)
    assert get_rule("OCT201") is existing
    assert "OCT999" not in {rule.code for rule in all_rules()}
