"""``octavus lsp``: a Language Server Protocol server for agent folders (on pygls).

:mod:`.analysis` validates an agent folder with the editor's unsaved texts,
:mod:`.schema_help` finds a key's description in the JSON Schema,
:mod:`.navigation` answers definition and completion from the protocol, and
:mod:`.server` wires them to LSP requests.
"""
