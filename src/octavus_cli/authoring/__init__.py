"""Authoring helpers: new agent and skill folders, watch mode, and the language server."""
