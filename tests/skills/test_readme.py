"""The README's skills workflow is valid YAML and runs the commands as documented."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

README = Path(__file__).resolve().parents[2] / "README.md"


def skills_workflow() -> dict[Any, Any]:
    text = README.read_text(encoding="utf-8")
    section = text.split("### Validate skills on pull requests, sync them on `main`", 1)[1]
    block = section.split("```yaml\n", 1)[1].split("```", 1)[0]
    data = yaml.safe_load(block)
    assert isinstance(data, dict)
    return data


def test_the_workflow_validates_on_pull_requests_and_syncs_on_main() -> None:
    workflow = skills_workflow()
    triggers = workflow[True]  # YAML 1.1 reads the key "on" as true
    assert "pull_request" in triggers
    assert triggers["push"]["branches"] == ["main"]
    steps = workflow["jobs"]["skills"]["steps"]
    runs = {step.get("name"): step for step in steps}
    assert "octavus skills validate" in runs["Validate (offline; annotations on the PR)"]["run"]
    sync = runs["Sync"]
    assert sync["if"] == "github.event_name == 'push'"
    assert "--environment production" in sync["run"]
    assert sync["env"]["OCTAVUS_CLI_API_KEY"] == "${{ secrets.OCTAVUS_CLI_API_KEY }}"
    secrets = runs["Write the skills' secrets from repository secrets"]
    assert "secrets." in secrets["env"]["GITHUB_SKILL_TOKEN"]
    assert runs["Remove the secrets files"]["if"] == "always()"
