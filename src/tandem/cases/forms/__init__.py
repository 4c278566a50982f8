"""The forms of the perpetrator case pages, by sub-area: callers import from the submodule."""
