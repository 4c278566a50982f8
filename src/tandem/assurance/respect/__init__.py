"""Respect accreditation (rules.md section 6, rule respect-accreditation): the application, the
service's evidence and narratives, the assessor's desktop judgements and site visit, internal
verification, the panel, the certificate, and what follows the panel (appeals, expiry reminders,
reaccreditation, evidence offered from earlier assessments). It builds on the core of
`tandem.assurance`, and imports no other sub-package of it.
"""
