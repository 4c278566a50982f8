"""ISS cases through the API, under /api/v1/, by sub-area (routes in `urls`): only the ISS side
of a survivor's service ever gets her record here, through the same selectors, rules and services
as the pages. The list is refused (403) to anyone without an ISS role; one ISS case is 404 to
everyone outside the ISS side of her service."""
