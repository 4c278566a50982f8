"""Pages for perpetrator cases, by sub-area (`tandem.cases.urls` routes to the submodules).

Which cases someone can open is the selectors' decision (404 outside their services); what they
may do with a case they can open is the permission rules' (403); whether the standards allow it
is the services' (a refusal naming the rule, shown on the form).
"""
