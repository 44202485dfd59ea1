"""One module per command; each is a thin function over the library layers.

These modules (and ``app.py``) do without ``from __future__ import annotations``:
typer evaluates a command's annotations twice as it builds it
(``inspect.signature(eval_str=True)``, then ``get_type_hints``), which costs
``validate`` ~1.5 ms when they are strings and almost nothing when they are already
objects. Names imported for the type checker only are quoted where they annotate.
"""
