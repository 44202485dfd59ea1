"""Shared fixtures. The emulator's fixtures live in octavus_cli.emulator.testing."""

pytest_plugins = ["octavus_cli.emulator.testing"]
