"""`octavus rules [ID]`: the validator's rules and their documentation, offline."""

from typing import TYPE_CHECKING, Annotated

import typer

from octavus_cli.commands.options import JsonFlag
from octavus_cli.error_handler import run_command
from octavus_cli.errors import ConfigError
from octavus_cli.output import Reporter, mode_from_flags

if TYPE_CHECKING:
    from octavus_cli.protocol.registry import Rule


def rules_command(
    ctx: typer.Context,
    rule_id: Annotated[
        str | None,
        typer.Argument(
            metavar="[ID]",
            help="A rule id (OCT201) or name (undefined-prompt): print its documentation.",
            show_default=False,
        ),
    ] = None,
    json_output: JsonFlag = False,
) -> None:
    """List every rule octavus validate checks, or print one rule's documentation.

    Without ID: one line per rule with its id, name, severity and summary.
    With ID: what the rule checks, why it matters, a failing example with the
    finding validate reports for it, and the fix. The same text as docs/rules.md,
    generated from the rule registry, so it is always available offline.

    Examples:

      octavus rules

      octavus rules OCT201

      octavus rules unknown-key
    """

    def body(out: Reporter) -> int:
        from octavus_cli.protocol.registry import all_rules

        if rule_id is None:
            from octavus_cli.output.results.tools import RuleList

            out.report(RuleList(all_rules()))
            return 0
        from octavus_cli.protocol.docs import rule_doc

        rule = find_rule(rule_id)
        from octavus_cli.output.results.tools import RuleExplained

        out.report(RuleExplained(rule, rule_doc(rule)))
        return 0

    run_command(ctx, body, mode=mode_from_flags(json_output=json_output))


def find_rule(text: str) -> "Rule":
    """The rule whose id or name is ``text`` (any case), or a usage error."""
    import difflib

    from octavus_cli.protocol.registry import all_rules

    rules = all_rules()
    wanted = text.strip().lower()
    for rule in rules:
        if wanted in (rule.code.lower(), rule.name):
            return rule
    keys = [r.code for r in rules] + [r.name for r in rules]
    close = difflib.get_close_matches(text.strip(), keys, n=1) or difflib.get_close_matches(
        wanted, keys, n=1
    )
    guess = f'Did you mean "{close[0]}"? ' if close else ""
    raise ConfigError(
        f'No rule "{text}"',
        hint=f"{guess}Run octavus rules for the list of ids and names.",
    )
