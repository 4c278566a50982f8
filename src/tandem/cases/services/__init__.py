"""Writes to perpetrator cases, by sub-area: callers import from the submodule. Each transition
checks the standards' gates, records who, when and why, writes the audit event, and creates the
tasks the standards make due."""
