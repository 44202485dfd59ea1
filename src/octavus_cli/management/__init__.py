"""Agent management: what ``sync``, ``get`` and ``archive`` do beyond single HTTP calls.

* :mod:`.snapshot` -- an agent as the platform compares it (settings without slug,
  protocol, prompts, references), built from a local folder or a remote body.
* :mod:`.diff` -- a unified diff between two snapshots.
* :mod:`.plan` -- sync one agent: create, update or leave unchanged (and dry runs).
* :mod:`.local` -- read and validate agent folders before anything is sent.
* :mod:`.pool` -- a bounded thread pool that reports each result as it finishes.
* :mod:`.render` -- the human output of a sync: result lines, diffs, the summary table.
"""
