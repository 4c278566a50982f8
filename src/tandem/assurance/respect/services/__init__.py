"""The writes of Respect accreditation, by stage: `application`, `findings`, `panel`,
`site_visit`, `lifecycle` (after the panel)."""
