"""Custom skills: the SKILL.md model, its rules, the bundle and the secrets files.

Nothing here talks to the platform (see :mod:`octavus_cli.platform.skills`) or
prints (commands render the typed results).
"""
