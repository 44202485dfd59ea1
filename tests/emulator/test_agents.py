"""Agents API over real HTTP: CRUD, by=slug, conflicts, archive, validate, auth, errors."""

from __future__ import annotations

import re
from typing import Any

import pytest

from octavus_cli.emulator import Emulator
from octavus_cli.emulator.testing import TEST_AGENT_KEY, TEST_CLI_KEY
from octavus_cli.protocol.folder import read_agent_dir
from tests.emulator.helpers import EXAMPLES, FIXTURES, api

ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


def upload(name: str, root: Any = EXAMPLES) -> dict[str, Any]:
    return read_agent_dir(root / name).upload_body()


def test_create_get_list_round_trip(emulator: Emulator) -> None:
    body = upload("support-chat")
    with api(emulator) as client:
        created = client.post("/api/agents", json=body)
        agent_id = created.json()["agentId"]
        by_id = client.get(f"/api/agents/{agent_id}")
        by_slug = client.get("/api/agents/support-chat", params={"by": "slug"})
        listed = client.get("/api/agents")
    assert created.status_code == 201
    assert created.json() == {"agentId": agent_id, "message": "Agent created successfully"}
    assert re.fullmatch(r"cm[a-z0-9]{20}", agent_id)
    assert by_id.json() == {"id": agent_id, **body}
    assert by_slug.json() == by_id.json()
    (item,) = listed.json()["agents"]
    assert item == {
        "id": agent_id,
        "slug": "support-chat",
        "name": "Support Chat",
        "description": body["settings"]["description"],
        "format": "interactive",
        "createdAt": item["createdAt"],
        "updatedAt": item["updatedAt"],
        "projectId": item["projectId"],
    }
    assert ISO.match(item["createdAt"])
    assert item["projectId"]


def test_description_is_null_in_lists_and_absent_in_settings(emulator: Emulator) -> None:
    body = upload("minimal-chat")
    del body["settings"]["description"]
    with api(emulator) as client:
        agent_id = client.post("/api/agents", json=body).json()["agentId"]
        item = client.get("/api/agents").json()["agents"][0]
        definition = client.get(f"/api/agents/{agent_id}").json()
    assert item["description"] is None
    assert "description" not in definition["settings"]


def test_unknown_agent_is_404_in_the_flat_shape(emulator: Emulator) -> None:
    with api(emulator) as client:
        by_slug = client.get("/api/agents/nope?by=slug")
        by_id = client.get("/api/agents/cmnope")
    assert by_slug.status_code == 404
    assert by_slug.json() == {"error": "Agent not found: nope", "code": "NOT_FOUND"}
    assert by_id.status_code == 404


def test_duplicate_slug_is_409(emulator: Emulator) -> None:
    body = upload("minimal-chat")
    with api(emulator) as client:
        client.post("/api/agents", json=body)
        again = client.post("/api/agents", json=body)
    assert again.status_code == 409
    assert again.json() == {
        "error": "An agent with slug 'minimal-chat' already exists",
        "code": "CONFLICT",
    }


def test_patch_by_slug_changes_only_the_given_fields(emulator: Emulator) -> None:
    body = upload("minimal-chat")
    with api(emulator) as client:
        agent_id = client.post("/api/agents", json=body).json()["agentId"]
        before = client.get("/api/agents").json()["agents"][0]
        prompts = [{"name": "system", "content": "Be brief."}]
        patched = client.patch(
            "/api/agents/minimal-chat?by=slug",
            json={"protocol": body["protocol"] + "\n# changed\n", "prompts": prompts},
        )
        renamed = client.patch(
            f"/api/agents/{agent_id}", json={"settings": {"name": "Tiny", "description": None}}
        )
        after = client.get(f"/api/agents/{agent_id}").json()
        listed = client.get("/api/agents").json()["agents"][0]
    assert patched.json() == {"agentId": agent_id, "message": "Agent updated successfully"}
    assert renamed.status_code == 200
    assert after["protocol"].endswith("# changed\n")
    assert after["prompts"] == prompts
    assert after["settings"] == {"slug": "minimal-chat", "name": "Tiny", "format": "interactive"}
    assert after["references"] == body["references"]
    assert listed["createdAt"] == before["createdAt"]
    assert listed["updatedAt"] >= before["updatedAt"]


def test_patch_cannot_change_the_slug(emulator: Emulator) -> None:
    with api(emulator) as client:
        client.post("/api/agents", json=upload("minimal-chat"))
        response = client.patch(
            "/api/agents/minimal-chat?by=slug", json={"settings": {"slug": "other"}}
        )
    assert response.status_code == 400
    assert "cannot be changed" in response.json()["error"]


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda b: b.pop("settings"), "settings must be an object"),
        (lambda b: b["settings"].update(slug="Bad Slug"), "may only hold lowercase"),
        (lambda b: b["settings"].update(format="chat"), "settings.format must be"),
        (lambda b: b.update(protocol="a: [unclosed"), "protocol is not valid"),
        (lambda b: b.update(prompts=[{"name": "x"}]), "prompts[0].content must be a string"),
    ],
)
def test_invalid_create_bodies_are_400(emulator: Emulator, mutate: Any, message: str) -> None:
    body = upload("minimal-chat")
    mutate(body)
    with api(emulator) as client:
        response = client.post("/api/agents", json=body)
    assert response.status_code == 400
    assert message in response.json()["error"]
    assert response.json()["code"] == "VALIDATION_ERROR"


def test_archive_hides_the_agent_and_frees_the_slug(emulator: Emulator) -> None:
    body = upload("minimal-chat")
    with api(emulator) as client:
        first = client.post("/api/agents", json=body).json()["agentId"]
        archived = client.delete("/api/agents/minimal-chat?by=slug")
        gone = client.get(f"/api/agents/{first}")
        twice = client.delete(f"/api/agents/{first}")
        listed = client.get("/api/agents").json()["agents"]
        second = client.post("/api/agents", json=body)
    assert archived.json() == {"agentId": first, "message": "Agent archived successfully"}
    assert gone.status_code == 404
    assert twice.status_code == 404
    assert listed == []
    assert second.status_code == 201
    assert second.json()["agentId"] != first


def test_sessions_of_an_archived_agent_keep_working(emulator: Emulator) -> None:
    from tests.emulator.helpers import new_session, say

    agent = emulator.seed_agent(EXAMPLES / "minimal-chat")
    with api(emulator) as client:
        session_id = new_session(client, agent.id)
        client.delete(f"/api/agents/{agent.id}")
        stream = say(client, session_id, "still here?")
    assert stream.text() == "You said: still here?"


def test_validate_valid_agent(emulator: Emulator) -> None:
    with api(emulator) as client:
        response = client.post("/api/agents/validate", json=upload("support-chat"))
    assert response.status_code == 200
    result = response.json()
    assert result["valid"] is True, result
    assert result["errors"] == []


def test_validate_reports_errors_with_their_position(emulator: Emulator) -> None:
    broken = upload("minimal-chat")
    broken["protocol"] = broken["protocol"].replace("block: next-message", "block: next-mesage")
    with api(emulator) as client:
        failed = client.post("/api/agents/validate", json=broken).json()
        bad_settings = client.post(
            "/api/agents/validate",
            json={**broken, "settings": {"slug": "x", "name": "X", "format": "chat"}},
        ).json()
        not_a_body = client.post("/api/agents/validate", json=[1, 2])
    assert failed["valid"] is False
    (error,) = failed["errors"]
    assert error["severity"] == "error"
    assert error["path"] == "handlers.user-message.Respond.block"
    assert "next-mesage" in error["message"]
    assert (error["file"], error["line"]) == ("protocol.yaml", 21)
    assert bad_settings["valid"] is False
    assert bad_settings["errors"][0]["path"] == "settings"
    assert not_a_body.status_code == 400


def test_validate_splits_warnings_from_errors(
    emulator: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    from octavus_cli.protocol import validate as validator
    from octavus_cli.protocol.diagnostics import Diagnostic, Severity

    warning = Diagnostic("OCT999", Severity.WARNING, "resources are deprecated", "protocol.yaml")
    monkeypatch.setattr(validator, "validate_definition", lambda definition: [warning])
    with api(emulator) as client:
        result = client.post("/api/agents/validate", json=upload("resources-legacy", FIXTURES))
    assert result.json() == {"valid": True, "errors": [], "warnings": [warning.to_json()]}


def test_validate_falls_back_to_a_yaml_check_without_the_validator(
    emulator: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "octavus_cli.protocol.validate", None)
    broken = upload("minimal-chat")
    broken["protocol"] = "triggers: [unclosed"
    with api(emulator) as client:
        good = client.post("/api/agents/validate", json=upload("minimal-chat")).json()
        bad = client.post("/api/agents/validate", json=broken).json()
    assert good["valid"] is True
    assert good["warnings"][0]["code"] == "EMULATOR_PARTIAL"
    assert bad["valid"] is False
    assert bad["errors"][0]["file"] == "protocol.yaml"


# -- auth and error shapes ----------------------------------------------------------------------


def test_missing_and_unknown_keys_are_401(emulator: Emulator) -> None:
    with api(emulator, key=None) as client:
        missing = client.get("/api/agents")
    with api(emulator, key="not-a-key") as client:
        unknown = client.get("/api/agents")
    assert missing.status_code == 401
    assert missing.json()["code"] == "UNAUTHORIZED"
    assert "Missing API key" in missing.json()["error"]
    assert unknown.status_code == 401
    assert unknown.json() == {"error": "Invalid API key", "code": "UNAUTHORIZED"}
    labels = [r.key for r in emulator.requests]
    assert labels == [None, "invalid"]


def test_request_log_names_keys_by_label_only(emulator: Emulator) -> None:
    with api(emulator, key=TEST_CLI_KEY) as client:
        client.post("/api/agents", json=upload("minimal-chat"))
        client.patch("/api/agents/minimal-chat?by=slug", json={"prompts": []})
    create, patch = emulator.requests
    assert (create.method, create.path, create.status, create.key) == (
        "POST",
        "/api/agents",
        201,
        "cli",
    )
    assert create.body["settings"]["slug"] == "minimal-chat"
    assert create.content_type == "application/json"
    assert create.user_agent is not None
    assert create.user_agent.startswith("python-httpx")
    assert patch.query == {"by": "slug"}
    assert patch.body == {"prompts": []}
    assert TEST_CLI_KEY not in repr(emulator.requests)


def test_agent_keys_cannot_manage_agents(emulator: Emulator) -> None:
    with api(emulator, key=TEST_AGENT_KEY) as client:
        response = client.get("/api/agents")
    assert response.status_code == 403
    assert response.json()["code"] == "FORBIDDEN"


def test_nested_error_shape(emulator_factory: Any) -> None:
    emulator: Emulator = emulator_factory(error_shape="nested")
    with api(emulator) as client:
        response = client.get("/api/agents/nope?by=slug")
        emulator.error_shape = "flat"
        flat = client.get("/api/agents/nope?by=slug")
    assert response.json() == {"error": {"code": "NOT_FOUND", "message": "Agent not found: nope"}}
    assert flat.json() == {"error": "Agent not found: nope", "code": "NOT_FOUND"}


def test_unknown_routes_methods_and_bodies(emulator: Emulator) -> None:
    with api(emulator) as client:
        route = client.get("/api/nothing")
        method = client.put("/api/agents")
        bad_json = client.post(
            "/api/agents", content=b"{not json", headers={"Content-Type": "application/json"}
        )
    assert route.status_code == 404
    assert method.status_code == 405
    assert "GET" in method.headers["allow"]
    assert bad_json.status_code == 400
    assert "not valid JSON" in bad_json.json()["error"]


def test_keep_alive_connection_serves_many_requests(emulator: Emulator) -> None:
    with api(emulator) as client:
        statuses = [client.get("/api/agents").status_code for _ in range(20)]
    assert statuses == [200] * 20
