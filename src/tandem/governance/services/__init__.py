"""Writes to governance records, by sub-area: `policies` (the register, the model of work, EDI
reviews), `governing_body` (reports, meetings, actions), `agreements` (agreements, named roles,
the on-call rota) and `complaints` (complaints and feedback).

Each is keyword-only and transactional, checks who may (`rules.py`), its input (`inputs.py`) and
its rules (`gates.py`, `deadlines.py`), refuses with `ActionRefused` naming the field (and the
rule, where one refuses), and records an audit event in the same transaction: nothing is
half-saved.
"""
