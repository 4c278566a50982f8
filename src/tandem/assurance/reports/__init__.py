"""An assessment's reports and exports, for every process: the report definitions (`definitions`)
and what they show (`content`), generating and keeping them (`services`), the exports (evidence
pack, requirements table), and their pages. It may import `respect` and `checklists`.
"""
