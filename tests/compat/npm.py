"""Install an official npm package once for the compat tests (skipped without node/npm)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest


def npm_installed(
    package: str,
    entry: str,
    pytestconfig: pytest.Config,
    tmp_path_factory: pytest.TempPathFactory,
) -> Path:
    """The file ``entry`` (relative to the install folder) of ``package`` installed with npm.

    pytest's cache keeps the install between runs; without it (``-p no:cacheprovider``)
    it goes into this session's temporary folder. No node or npm, or an install that
    fails, skips the test with the reason.
    """
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        missing = " and ".join(name for name, path in (("node", node), ("npm", npm)) if not path)
        pytest.skip(f"{missing} not found on PATH: cannot install {package}")
    cache = getattr(pytestconfig, "cache", None)
    name = "octavus-" + package.lstrip("@").replace("/", "-").replace("@", "-")
    folder = cache.mkdir(name) if cache is not None else tmp_path_factory.mktemp(name)
    path = Path(folder) / entry
    if not path.is_file():
        try:
            completed = subprocess.run(
                [npm, "install", "--prefix", str(folder), package]
                + ["--no-audit", "--no-fund", "--loglevel=error"],
                capture_output=True,
                text=True,
                timeout=300,
                check=False,
            )
        except subprocess.TimeoutExpired:
            pytest.skip(f"npm install {package} timed out (is the npm registry reachable?)")
        if completed.returncode != 0 or not path.is_file():
            last = (completed.stderr.strip().splitlines() or ["no output"])[-1]
            pytest.skip(f"npm install {package} failed (is the npm registry reachable?): {last}")
    return path
