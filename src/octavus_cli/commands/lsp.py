"""`octavus lsp`: the language server for agent folders, over stdio."""

import typer

from octavus_cli.error_handler import run_command
from octavus_cli.errors import ConfigError
from octavus_cli.output import Mode, Reporter


def lsp_command(ctx: typer.Context) -> None:
    """Run the Octavus language server on stdin/stdout (started by your editor).

    For protocol.yaml, settings.json and prompts/*.md in agent folders: the
    findings of octavus validate as you type (with each rule's summary and
    hint), hover help for keys, go to definition for prompts, includes, tools,
    triggers, skills, MCP servers, references, workers and variables,
    completion, and quick fixes for "did you mean" findings. In a skill folder,
    SKILL.md's front matter is checked and its keys explained.

    Needs pygls: pip install 'octavus-cli[lsp]'. See the README for VS Code,
    Neovim, Helix and Zed setup.

    Example (Neovim):

      vim.lsp.start({ name = "octavus", cmd = { "octavus", "lsp" } })
    """

    def body(out: Reporter) -> int:
        try:
            from octavus_cli.lsp.server import serve
        except ImportError as error:
            raise ConfigError(
                f"octavus lsp needs pygls, which is not installed ({error})",
                hint="Install it with: pip install 'octavus-cli[lsp]'",
            ) from None
        serve()
        return 0

    # Human mode only for errors (on stderr); stdout belongs to the protocol.
    run_command(ctx, body, mode=Mode.HUMAN)
