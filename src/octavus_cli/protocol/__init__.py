"""Agent protocols: YAML with positions, the JSON Schemas, the rules and the validator."""
