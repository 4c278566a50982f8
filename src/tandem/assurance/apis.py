"""Assurance through the API, under /api/v1/assurance/: each sub-package's routes, gathered here
for `tandem.urls` (Respect accreditations, then the checklist processes)."""

from tandem.assurance.checklists.apis import routes as checklist_routes
from tandem.assurance.respect.apis import routes as respect_routes

urlpatterns = [*respect_routes.urlpatterns, *checklist_routes.urlpatterns]
