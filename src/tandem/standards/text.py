"""Showing library text: search matches marked up safely, in the part they were found in."""

import re
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from tandem.standards.models import Requirement

EXCERPT_CHARS = 320


def highlight(text: str, terms: list[str]) -> SafeString:
    """`text` escaped for HTML, with each occurrence of a search term wrapped in <mark>.

    Matches are found in the raw text and each piece escaped afterwards, so a term can never
    match inside an entity such as `&amp;`.
    """
    patterns = [re.escape(term) for term in sorted(terms, key=len, reverse=True) if term]
    if not patterns:
        return escape(text)
    pieces = re.split(f"({'|'.join(patterns)})", text, flags=re.IGNORECASE)
    # re.split with one group alternates: text, match, text, match, ..., text.
    marked = "".join(
        f"<mark>{escape(piece)}</mark>" if index % 2 else escape(piece)
        for index, piece in enumerate(pieces)
    )
    # Safe: every piece of text is escaped; the only markup is our own <mark> tags.
    return mark_safe(marked)  # noqa: S308 - every piece escaped above


@dataclass(frozen=True)
class Excerpt:
    part: str
    html: SafeString


def search_excerpt(requirement: Requirement, terms: list[str]) -> Excerpt:
    """The part of a requirement that best matches the terms (most terms found, text first),
    cut to about EXCERPT_CHARS around the first match, with the matches marked."""
    parts = [("Requirement", requirement.text), ("Purpose", requirement.purpose)]
    parts += [("Guidance", item["text"]) for item in requirement.guidance]
    parts += [("How to evidence", line) for line in requirement.evidence]

    def matches(value: str) -> int:
        flat = re.sub(r"\s+", " ", value).lower()
        return sum(term in flat for term in terms)

    part, value = max(parts, key=lambda p: matches(p[1]))  # max keeps the first of equals
    flat = re.sub(r"\s+", " ", value)
    first = min((i for t in terms if (i := flat.lower().find(t)) >= 0), default=0)
    start = max(0, first - EXCERPT_CHARS // 3)
    excerpt = flat[start : start + EXCERPT_CHARS]
    excerpt = ("…" if start else "") + excerpt + ("…" if start + EXCERPT_CHARS < len(flat) else "")
    return Excerpt(part, highlight(excerpt, terms))
