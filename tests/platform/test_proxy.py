"""Proxies and CA bundles come from the settings' environment, not from os.environ."""

from __future__ import annotations

import ssl

import pytest

from octavus_cli.platform.http import client_options, proxy_for


@pytest.mark.parametrize(
    ("url", "env", "expected"),
    [
        ("https://octavus.ai", {}, None),
        ("https://octavus.ai", {"HTTPS_PROXY": "http://p:3128"}, "http://p:3128"),
        ("https://octavus.ai", {"https_proxy": "p:3128"}, "http://p:3128"),
        ("https://octavus.ai", {"HTTP_PROXY": "http://p:3128"}, None),
        ("http://127.0.0.1:9", {"HTTP_PROXY": "http://p:3128"}, "http://p:3128"),
        ("http://127.0.0.1:9", {"ALL_PROXY": "http://p:3128"}, "http://p:3128"),
        ("https://octavus.ai", {"HTTPS_PROXY": "http://p", "NO_PROXY": "*"}, None),
        ("https://eu.octavus.ai", {"HTTPS_PROXY": "http://p", "NO_PROXY": ".octavus.ai"}, None),
        ("https://octavus.ai", {"HTTPS_PROXY": "http://p", "NO_PROXY": "a.b, octavus.ai"}, None),
        (
            "https://notoctavus.ai",
            {"HTTPS_PROXY": "http://p", "NO_PROXY": "octavus.ai"},
            "http://p",
        ),
        ("http://127.0.0.1:9", {"HTTP_PROXY": "http://p", "no_proxy": "127.0.0.1:9"}, None),
        ("http://127.0.0.1:8", {"HTTP_PROXY": "http://p", "no_proxy": "127.0.0.1:9"}, "http://p"),
    ],
)
def test_proxy_for(url: str, env: dict[str, str], expected: str | None) -> None:
    assert proxy_for(url, env) == expected


def test_plain_http_without_a_proxy_loads_no_certificates() -> None:
    options = client_options("http://127.0.0.1:9", {})
    assert options == {"proxy": None, "verify": False, "trust_env": False}


def test_a_ca_bundle_from_the_environment_is_used() -> None:
    bundle = ssl.get_default_verify_paths().cafile
    if bundle is None:
        pytest.skip("no default CA file on this machine")
    options = client_options("https://octavus.ai", {"REQUESTS_CA_BUNDLE": bundle})
    assert isinstance(options["verify"], ssl.SSLContext)
    assert client_options("https://octavus.ai", {})["verify"] is True
