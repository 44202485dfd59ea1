"""What ``octavus run`` is made of, one job per module.

* :mod:`.protocol_info` -- what a run asks the protocol model (trigger inputs, the message input).
* :mod:`.agent_ref` -- AGENT (id, slug or folder) to an agent id and its protocol.
* :mod:`.inputs` -- ``KEY=VALUE`` typed by the declared types; required inputs.
* :mod:`.tools` -- tool calls run by local commands; the continuation body.
* :mod:`.render` -- the terminal renderer (display modes) and the NDJSON writer.
* :mod:`.loop` -- one trigger with its tool loop, until a final ``finish``.
* :mod:`.chat` -- the interactive chat on a terminal.
"""
