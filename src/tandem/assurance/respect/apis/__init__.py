"""Respect accreditations through the API: `summaries` (what is shown, and the base of every
route), `steps` (acting in one), `routes`."""
