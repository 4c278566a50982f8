"""Tandem: perpetrator intervention services run to the standards, measured and assured."""
