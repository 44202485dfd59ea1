"""The interactive chat: prompt, stream the answer, repeat in the same session.

Ctrl-D at the prompt leaves; Ctrl-C during an answer stops that answer (the
stream is closed and local tools are killed; the run on the platform may go on
until it ends, and the next message waits for it behind one status line) and
returns to the prompt; Ctrl-C at the prompt leaves too, with exit code 130. The
session id is printed at the start and at the end, with the command that resumes it.
"""

from __future__ import annotations

import contextlib
from typing import Any

from octavus_cli.errors import ExitCode, OctavusError
from octavus_cli.output import Reporter
from octavus_cli.records import record
from octavus_cli.session.loop import SessionRun
from octavus_cli.session.notices import RetryNotices
from octavus_cli.session.render import HumanRenderer

PROMPT = "› "


@record(frozen=False)
class Chat:
    out: Reporter
    run: SessionRun
    renderer: HumanRenderer
    trigger: str
    message_input: str
    trigger_input: dict[str, Any]
    resume_command: str
    notices: RetryNotices | None = None

    def loop(self) -> int:
        with contextlib.suppress(ImportError):  # line editing and history for input()
            import readline  # noqa: F401
        self.renderer.status(
            "Type a message and press Enter. Ctrl-C stops an answer; Ctrl-D leaves."
        )
        code = int(ExitCode.OK)
        while True:
            try:
                line = input(PROMPT)
            except EOFError:
                self.out.stdout.write("\n")
                break
            except KeyboardInterrupt:
                self.out.stdout.write("\n")
                code = int(ExitCode.INTERRUPTED)
                break
            if line.strip():
                self._turn(line.strip())
        self.renderer.status(
            f"Session {self.run.session_id}. Resume it with: {self.resume_command}"
        )
        return code

    def _turn(self, message: str) -> None:
        if self.notices is not None:
            self.notices.new_message()
        try:
            self.run.send(self.trigger, {**self.trigger_input, self.message_input: message})
        except KeyboardInterrupt:
            self.run.tools.processes.kill_all()
            self.renderer.end_turn()
            self.renderer.status(
                "Stopped this answer. It may still be running on the platform; the next "
                "message waits until it has finished."
            )
            return
        except OctavusError as err:
            self.renderer.end_turn()
            if err.details.get("ambiguous"):
                err.hint = (
                    "The message may have reached the session, which may be answering it; "
                    "send your next message to see the answer, or resend it if it is missing."
                )
            self.out.error(err)
            return
        self.renderer.end_turn()
