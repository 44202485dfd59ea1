"""Clients for the Octavus platform API (CONTRACT sections 3 to 7)."""
