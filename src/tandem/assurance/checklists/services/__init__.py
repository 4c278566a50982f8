"""The writes of the checklist processes, one module each: `audit` (2008), `welsh`,
`west_midlands`, `self_assessment`; with `commissioning` (who commissions what, local
partnerships) and `ratings` (what the rating processes share)."""
