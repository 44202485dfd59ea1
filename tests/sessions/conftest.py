"""`octavus sessions` against the emulator seeded with the example agents."""

from __future__ import annotations

import pytest

from octavus_cli.emulator import Emulator
from tests.run.conftest import LEGACY_DIR, SUPPORT_CHAT_DIR, Octavus
from tests.support.cli import CliResult, run_cli


class Sessions(Octavus):
    def cli(self, *args: str, input: str | None = None) -> CliResult:
        return run_cli("sessions", *args, env=self.env(), input=input)

    def new_session(self, *run_args: str) -> str:
        """A session of support-chat after one `octavus run`; returns its id."""
        from tests.run.conftest import REQUIRED

        result = self.run("support-chat", *REQUIRED, *run_args)
        assert result.code == 0, result
        trigger = self.posts()[-1]
        return trigger.path.split("/")[3]


@pytest.fixture
def octavus(emulator: Emulator) -> Sessions:
    return Sessions(
        emulator, emulator.seed_agent(SUPPORT_CHAT_DIR), emulator.seed_agent(LEGACY_DIR)
    )
