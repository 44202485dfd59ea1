"""One module per command; each is a thin function over the library layers."""
