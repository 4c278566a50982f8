"""Governance pages for a service, by sub-area: where to start and the governance calendar
(`home`), the policy register, the model of work and the equality reviews (`policies`), the
governing body's reports, meetings and actions (`governing_body`), agreements, named roles and
the on-call rota (`agreements`), complaints and feedback (`complaints`).

Who may open them at all is the permission rules' decision (403); which service, the
governance selectors' (404 outside theirs); whether a change is allowed, the governance
services' (a refusal naming the field and rule, shown on the form). Views stay thin.
"""
