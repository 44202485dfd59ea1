"""`octavus run --message` imports neither the chat loop nor the file upload client:
they are loaded only when a run chats or uploads files (start-up, issue 15)."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.run.conftest import REQUIRED, ROOT, Octavus
from tests.support.cli import clean_env

PROBE = """
import json, sys
from octavus_cli.__main__ import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
ours = sorted(m for m in sys.modules if m.startswith("octavus_cli."))
sys.__stderr__.write(json.dumps(ours) + "\\n")
"""


def test_one_message_loads_no_chat_loop_and_no_upload_client(octavus: Octavus) -> None:
    completed = subprocess.run(
        [sys.executable, "-c", PROBE, "run", "support-chat", "--message", "hi", *REQUIRED],
        capture_output=True,
        text=True,
        env=clean_env(octavus.env()),
        cwd=ROOT,
        timeout=60,
        check=True,
    )
    assert completed.stdout.strip()  # the answer was streamed
    loaded = set(json.loads(completed.stderr.strip().splitlines()[-1]))
    assert "octavus_cli.session.execute" in loaded
    assert not loaded & {"octavus_cli.session.chat", "octavus_cli.platform.files"}
