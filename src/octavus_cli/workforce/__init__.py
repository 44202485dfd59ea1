"""Workforce: dispatch, wait, follow-up and thread rendering for `octavus workforce`."""
