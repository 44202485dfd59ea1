"""The rules, one module per family; :func:`~octavus_cli.protocol.registry.load_rules`
imports them all (importing one, such as the folder rules, loads only that one).

=================  ==========================================================
folder             OCT001-008  the agent folder (checked by the folder reader)
syntax             OCT101-103  YAML syntax, duplicate keys, limits
schema             OCT110-115  JSON Schema: fields, types, values, unknown keys
structure          OCT116-118  the sections of each agent format
prompts            OCT201-205  prompt files and includes
interpolation      OCT210-215  {{#if}} blocks, conditions, {{VARIABLES}}
capabilities       OCT301-312  tools, skills, MCP servers, references, workers
flow               OCT401-412  triggers, handlers, names between blocks, threads
naming             OCT501-503  naming conventions
config             OCT601-606  models and agent configuration
types              OCT701-706  custom types
deprecated         OCT801-803  deprecated features
portability        OCT009      files other tools cannot read (BOM, CRLF front matter)
=================  ==========================================================
"""
