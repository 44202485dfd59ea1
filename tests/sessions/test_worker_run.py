"""`octavus run WORKER`: the execute endpoint, its tool loop, output, usage and NDJSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from octavus_cli.emulator.store import AgentRecord
from tests.run.conftest import tool_command, write_script
from tests.sessions.conftest import Sessions

PROTOCOL = """\
input:
  MSG: { type: string, description: What to work on }
  LIMIT: { type: integer, optional: true }
variables:
  ANSWER: { type: string }
tools:
  lookup:
    description: Look something up
    parameters:
      id: { type: string }
steps:
  Start:
    block: start-thread
    thread: work
    model: anthropic/claude-sonnet-4-5
    system: system
    tools: [lookup]
  Ask:
    block: add-message
    thread: work
    role: user
    prompt: ask
    input: [MSG]
  Answer:
    block: next-message
    thread: work
    output: ANSWER
    display: stream
output: ANSWER
"""
LOOKUP = 'import json, sys; a = json.load(sys.stdin); print(json.dumps({"found": a["id"]}))\n'
CALL = '/call lookup {"id": "A-1"}'


@pytest.fixture
def worker_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "tool-worker"
    (folder / "prompts").mkdir(parents=True)
    settings = {"slug": "tool-worker", "name": "Tool Worker", "format": "worker"}
    (folder / "settings.json").write_text(json.dumps(settings), encoding="utf-8")
    (folder / "protocol.yaml").write_text(PROTOCOL, encoding="utf-8")
    (folder / "prompts" / "system.md").write_text("Work.\n", encoding="utf-8")
    (folder / "prompts" / "ask.md").write_text("{{MSG}}\n", encoding="utf-8")
    return folder


@pytest.fixture
def worker(octavus: Sessions, worker_dir: Path) -> AgentRecord:
    return octavus.emulator.seed_agent(worker_dir)


def _tool(tmp_path: Path) -> list[str]:
    return ["--tool", f"lookup={tool_command(write_script(tmp_path, 'lookup.py', LOOKUP))}"]


def test_output_only_prints_the_output_as_json_and_the_cost_on_stderr(
    octavus: Sessions, worker: AgentRecord, tmp_path: Path
) -> None:
    result = octavus.run("tool-worker", "-i", f"MSG={CALL}", "--output-only", *_tool(tmp_path))
    assert result.code == 0, result
    assert json.loads(result.stdout) == 'The tool lookup returned {"found": "A-1"}.'
    assert "Cost: 0 USD (provider 0, bandwidth 0); tokens: in " in result.stderr
    executes = octavus.posts("/execute")
    assert [r.body["type"] for r in executes] == ["start", "continue"]
    assert executes[0].body["input"] == {"MSG": CALL}
    assert all(r.sdk_version == "4" for r in executes)
    assert octavus.posts("/api/agent-sessions") == []  # no session API for a worker


def test_human_run_streams_text_then_the_output(
    octavus: Sessions, worker_dir: Path, worker: AgentRecord
) -> None:
    result = octavus.run(str(worker_dir), "-i", "MSG=hello", "-i", "LIMIT=3")
    assert result.code == 0, result
    assert result.stdout == "[work] You said: hello\n[work] You said: hello\n"
    assert "Output:" in result.stderr
    assert octavus.posts("/execute")[0].body["input"] == {"MSG": "hello", "LIMIT": 3}


def test_json_is_ndjson_of_the_execute_events(
    octavus: Sessions, worker: AgentRecord, tmp_path: Path
) -> None:
    result = octavus.run("tool-worker", "-i", f"MSG={CALL}", "--json", "--trace", *_tool(tmp_path))
    assert result.code == 0, result
    assert {r.trace for r in octavus.posts("/execute")} == {"true"}
    assert "octavus sessions logs " in result.stderr
    events = [json.loads(line) for line in result.stdout.splitlines()]
    types = [e["type"] for e in events]
    assert types[:2] == ["start", "worker-start"]
    assert "tool-request" in types
    assert "cli-tool-result" in types
    assert types[-3:] == ["worker-result", "finish", "usage"]
    run_id = events[0]["executionId"]
    logs = octavus.cli("logs", run_id, "--json").json()["entries"]
    traced = [e for e in logs if e["type"] == "model-request"]
    assert traced
    assert all("requestBody" in e["modelRequest"] for e in traced)
    assert [e["type"] for e in logs if e["type"] != "model-request"] == [
        "worker-execution",
        "tool-call",
        "tool-result",
        "llm-response",
        "worker-output",
    ]


def test_a_failed_worker_run_exits_1_with_the_error(octavus: Sessions, worker: AgentRecord) -> None:
    human = octavus.run("tool-worker", "-i", "MSG=/error quota gone")
    assert human.code == 1, human
    assert "The worker run failed: provider_error: quota gone" in human.stderr
    assert "octavus sessions logs " in human.stderr
    as_json = octavus.run("tool-worker", "-i", "MSG=/error quota gone", "--json")
    assert as_json.code == 1
    last = json.loads(as_json.stdout.splitlines()[-1])
    assert last["type"] == "cli-error"
    assert last["code"] == "RUN_FAILED"


def test_worker_inputs_are_checked_before_any_request(
    octavus: Sessions, worker_dir: Path, worker: AgentRecord
) -> None:
    missing = octavus.run(str(worker_dir))
    assert missing.code == 2, missing
    assert "MSG" in missing.stderr
    message = octavus.run(str(worker_dir), "-m", "hi")
    assert message.code == 2
    assert "is a worker agent (format: worker): it takes no message" in message.stderr
    assert octavus.posts("/execute") == []


def test_output_only_refuses_interactive_agents(octavus: Sessions) -> None:
    result = octavus.run("support-chat", "-m", "hi", "--output-only")
    assert result.code == 2, result
    assert "--output-only is for worker agents" in result.stderr
