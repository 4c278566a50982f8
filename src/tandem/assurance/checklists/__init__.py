"""The assurance processes other than Respect accreditation (rules.md section 6): the 2008 risk
management and safeguarding audit, the Welsh commissioning checklist (with who commissions
what), the West Midlands self-evaluation with peer review (with local partnerships), and
self-assessment for readiness. It builds on the core of `tandem.assurance`, and on `respect` where
these processes ask about Respect accreditation (the 2008 audit's exemption, the Welsh
checklist's specialist accreditation, the scope a service offers); `respect` never imports it.
"""
