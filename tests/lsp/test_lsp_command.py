"""`octavus lsp` without the lsp extra says how to install it."""

from __future__ import annotations

import subprocess
import sys

from tests.support.cli import clean_env, run_cli

# Run the CLI with pygls hidden, as in an install without the [lsp] extra.
WITHOUT_PYGLS = (
    "import sys; sys.modules['pygls'] = None; sys.argv = ['octavus', 'lsp'];"
    "from octavus_cli.__main__ import main; main()"
)


def test_without_pygls_it_says_how_to_install_it() -> None:
    result = subprocess.run(
        [sys.executable, "-c", WITHOUT_PYGLS],
        capture_output=True,
        text=True,
        env=clean_env({"NO_COLOR": "1"}),
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 2, result
    assert "octavus lsp needs pygls" in result.stderr
    assert "pip install 'octavus-cli[lsp]'" in result.stderr
    assert result.stdout == ""


def test_help_names_the_extra_and_editors() -> None:
    result = run_cli("lsp", "--help")
    assert result.code == 0
    assert "octavus-cli[lsp]" in result.stdout
    assert "vim.lsp.start" in result.stdout
