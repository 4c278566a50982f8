"""API conventions shared by every app's `apis.py`."""

from rest_framework.pagination import LimitOffsetPagination


class LimitOffsetWithCeiling(LimitOffsetPagination):
    """Pages of 100 by default; without a ceiling, a huge `limit` reaches the database as an
    out-of-range integer and fails instead of answering a page."""

    max_limit = 1000
