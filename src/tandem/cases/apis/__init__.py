"""Perpetrator cases through the API, under /api/v1/, by sub-area (routes in `urls`): the same
selectors, rules and services as the pages, so the information barrier and the standards' gates
hold here too. A case outside someone's services is 404 (its existence is not leaked); a case
they can see but may not act on (an ISS worker's view of it) is 403."""
