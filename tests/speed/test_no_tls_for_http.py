"""A plain-http client (the emulator) skips the certificate store; https keeps verifying."""

from __future__ import annotations

import ssl

import pytest

from octavus_cli.config import Credentials
from octavus_cli.platform.http import PlatformClient, needs_tls


@pytest.mark.parametrize(
    ("url", "proxy", "expected"),
    [
        ("http://127.0.0.1:8080", None, False),
        ("HTTP://localhost:1", None, False),
        ("https://octavus.ai", None, True),
        ("http://127.0.0.1:8080", "https://proxy.example:3128", True),
    ],
)
def test_needs_tls(
    url: str, proxy: str | None, expected: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    if proxy is not None:
        monkeypatch.setenv("ALL_PROXY", proxy)
    assert needs_tls(url) is expected


def _context(url: str) -> ssl.SSLContext:
    client = PlatformClient(Credentials(base_url=url, key="oct_sk_test_fake", source="test"))
    try:
        context = client.http._transport._pool._ssl_context  # type: ignore[attr-defined]
        assert isinstance(context, ssl.SSLContext)
        return context
    finally:
        client.close()


def test_https_client_still_verifies(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    assert _context("https://octavus.ai").verify_mode is ssl.CERT_REQUIRED
    assert _context("http://127.0.0.1:9").verify_mode is ssl.CERT_NONE
