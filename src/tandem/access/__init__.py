"""The one permission layer, on the ground floor: who holds which role (`roles`), predicates
about people (`predicates`) and the checks every page, API route, export and service asks
(`permissions`). Each app names its permissions in its own `rules.py`."""
