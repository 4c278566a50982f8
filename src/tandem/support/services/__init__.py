"""Writes to ISS records, by sub-area: callers import from the submodule."""
