"""The step script of the octavus-cli GitHub Action (action.yml): run one command.

Inputs come from the environment (set by action.yml from the action's inputs):

* ``OCTAVUS_ACTION_COMMAND``: the command and its arguments, split like a shell
  would (no shell runs it), for example ``validate agents/ --strict``; the leading
  ``octavus`` may be given or left out.
* ``OCTAVUS_ACTION_SARIF``: a file name; when set, ``validate`` writes SARIF there
  (``--format sarif``) for the upload step.
* ``OCTAVUS_ACTION_UPLOAD_SARIF``: ``true`` to upload; without a file name the SARIF
  goes to ``octavus.sarif``.

Outputs (``$GITHUB_OUTPUT``): ``exit-code`` and ``sarif-file``. The script exits with
the command's exit code, so a failing validation fails the step.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

DEFAULT_SARIF = "octavus.sarif"


def command_words(text: str) -> list[str]:
    words = shlex.split(text)
    if words[:1] == ["octavus"]:
        words = words[1:]
    if not words:
        raise SystemExit("octavus-cli action: the input 'command' is empty")
    return words


def _write_output(name: str, value: str) -> None:
    path = os.environ.get("GITHUB_OUTPUT")
    if path:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(f"{name}={value}\n")


def main() -> int:
    words = command_words(os.environ.get("OCTAVUS_ACTION_COMMAND", "") or "validate .")
    sarif = os.environ.get("OCTAVUS_ACTION_SARIF", "").strip()
    if not sarif and os.environ.get("OCTAVUS_ACTION_UPLOAD_SARIF", "").strip() == "true":
        sarif = DEFAULT_SARIF
    base = [sys.executable, "-m", "octavus_cli"]
    print(f"::group::octavus {shlex.join(words)}", flush=True)
    if sarif and words[0] == "validate":
        if "--format" not in words and not any(w.startswith("--format=") for w in words):
            words += ["--format", "sarif"]
        with Path(sarif).open("w", encoding="utf-8") as out:
            code = subprocess.run([*base, *words], stdout=out, check=False).returncode
        _write_output("sarif-file", sarif)
    else:
        if sarif:
            print(f"::warning::sarif-file is only written by validate, not by {words[0]}")
        code = subprocess.run([*base, *words], check=False).returncode
    print("::endgroup::", flush=True)
    _write_output("exit-code", str(code))
    return code


if __name__ == "__main__":
    sys.exit(main())
