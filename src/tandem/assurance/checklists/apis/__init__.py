"""The checklist processes through the API: `summaries` (what is shown), `steps` (acting in
one, or starting it), `commissioning` (side by side, and administration), `routes`."""
