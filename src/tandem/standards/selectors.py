"""Reads of the standards library. Each takes the user; one who may not read it gets nothing."""

import re
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, Count, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.http import Http404

from tandem.access.roles import Person as User
from tandem.standards.models import Framework, Level, Relation, Requirement, RequirementMapping
from tandem.standards.rules import VIEW_LIBRARY

MAX_SEARCH_TERMS = 10
MAX_TERM_LENGTH = 100


def _may_read(user: User) -> bool:
    return user.has_perm(VIEW_LIBRARY)  # type: ignore[union-attr]


def framework_list_for_user(*, user: User) -> QuerySet[Framework]:
    """Every loaded edition, current first, with its number of requirements at each level."""
    if not _may_read(user):
        return Framework.objects.none()
    per_level = {
        f"{level}_count": Count("requirements", filter=Q(requirements__level=level))
        for level in Level.values
    }
    return Framework.objects.annotate(**per_level).order_by("-is_current", "title", "-published")


def framework_get_for_user(*, user: User, slug: str, edition: str | None = None) -> Framework:
    """The named edition, or the current one; 404 when absent or not readable by this user."""
    frameworks = Framework.objects.filter(slug=slug)
    frameworks = (
        frameworks.filter(edition=edition) if edition else frameworks.filter(is_current=True)
    )
    framework = frameworks.first() if _may_read(user) else None
    if framework is None:
        raise Http404("No such framework in the library")
    return framework


@dataclass
class TreeNode:
    requirement: Requirement
    children: list["TreeNode"] = field(default_factory=list)


def requirement_tree_for_user(*, user: User, framework: Framework) -> list[TreeNode]:
    """The framework's requirements as a tree, built from one query."""
    if not _may_read(user):
        return []
    nodes = {
        r.pk: TreeNode(r)
        for r in Requirement.objects.filter(framework=framework)
        .select_related("framework")
        .order_by("position")
    }
    roots: list[TreeNode] = []
    for node in nodes.values():
        parent_id = node.requirement.parent_id
        (nodes[parent_id].children if parent_id else roots).append(node)
    return roots


@dataclass(frozen=True)
class MappedRequirement:
    """A requirement in another framework, and how the page's requirement relates to it."""

    requirement: Requirement
    relation_phrase: str
    rationale: str


# "<this requirement> <phrase> <other requirement>", for each relation read from either end.
_PHRASE_AS_SOURCE = {
    Relation.EQUAL: "is equal to",
    Relation.SUBSET: "is covered by",
    Relation.SUPERSET: "covers",
    Relation.INTERSECT: "overlaps",
}
_PHRASE_AS_TARGET = {
    Relation.EQUAL: "is equal to",
    Relation.SUBSET: "covers",
    Relation.SUPERSET: "is covered by",
    Relation.INTERSECT: "overlaps",
}


@dataclass
class RequirementPage:
    requirement: Requirement
    ancestors: list[Requirement]
    children: list[Requirement]
    mappings_out: list[RequirementMapping]
    mappings_in: list[RequirementMapping]

    @property
    def mapped(self) -> list[MappedRequirement]:
        return [
            MappedRequirement(m.target, _PHRASE_AS_SOURCE[Relation(m.relation)], m.rationale)
            for m in self.mappings_out
        ] + [
            MappedRequirement(m.source, _PHRASE_AS_TARGET[Relation(m.relation)], m.rationale)
            for m in self.mappings_in
        ]


def requirement_page_for_user(*, user: User, framework: Framework, code: str) -> RequirementPage:
    """One requirement with where it sits and every mapped requirement in other frameworks."""
    if not _may_read(user):
        raise Http404("No such requirement in the library")
    mapped = RequirementMapping.objects.select_related(
        "source__framework", "target__framework"
    ).order_by("source__framework__title", "target__framework__title", "target__position")
    requirement = (
        Requirement.objects.filter(framework=framework, code=code)
        .select_related("framework")
        .prefetch_related(
            Prefetch(
                "children",
                queryset=Requirement.objects.select_related("framework").order_by("position"),
            ),
            Prefetch("mappings_out", queryset=mapped),
            Prefetch("mappings_in", queryset=mapped),
        )
        .first()
    )
    if requirement is None:
        raise Http404("No such requirement in the library")
    outline = {
        r.pk: r
        for r in Requirement.objects.filter(framework=framework).only(
            "id", "code", "ref", "title", "level", "parent_id", "framework_id"
        )
    }
    ancestors: list[Requirement] = []
    parent_id = requirement.parent_id
    while parent_id:
        ancestor = outline[parent_id]
        ancestor.framework = framework
        ancestors.insert(0, ancestor)
        parent_id = ancestor.parent_id
    return RequirementPage(
        requirement=requirement,
        ancestors=ancestors,
        children=list(requirement.children.all()),
        mappings_out=list(requirement.mappings_out.all()),
        mappings_in=list(requirement.mappings_in.all()),
    )


def search_terms(query: str) -> list[str]:
    """Split a query into lower-cased terms; "quoted phrases" stay whole."""
    terms = []
    for phrase, word in re.findall(r'"([^"]*)"|(\S+)', query.lower()):
        term = re.sub(r"\s+", " ", (phrase or word).strip('"')).strip()
        if term:
            terms.append(term[:MAX_TERM_LENGTH])
    return terms[:MAX_SEARCH_TERMS]


def requirement_search_for_user(
    *, user: User, query: str, framework_slug: str | None = None
) -> QuerySet[Requirement]:
    """Requirements of current editions containing every term; whole-phrase matches come first."""
    terms = search_terms(query)
    if not terms or not _may_read(user):
        return Requirement.objects.none()
    results = Requirement.objects.filter(framework__is_current=True).select_related("framework")
    if framework_slug:
        results = results.filter(framework__slug=framework_slug)
    for term in terms:
        results = results.filter(search_text__contains=term)
    whole_phrase = " ".join(terms)
    return results.annotate(
        rank=Case(
            When(search_text__contains=whole_phrase, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
    ).order_by("rank", "framework__title", "position")


def mapping_list_for_user(
    *, user: User, framework_slug: str | None = None
) -> QuerySet[RequirementMapping]:
    """Mappings between current editions, optionally those touching one framework."""
    if not _may_read(user):
        return RequirementMapping.objects.none()
    mappings = RequirementMapping.objects.filter(
        source__framework__is_current=True, target__framework__is_current=True
    ).select_related("source__framework", "target__framework")
    if framework_slug:
        mappings = mappings.filter(
            Q(source__framework__slug=framework_slug) | Q(target__framework__slug=framework_slug)
        )
    return mappings.order_by("source__framework__slug", "source__position", "target__position")


def requirement_as_dict(requirement: Requirement) -> dict[str, Any]:
    """A requirement in the export format (`tandem standards export`, JSON downloads)."""
    record: dict[str, Any] = {
        "id": requirement.code,
        "ref": requirement.ref,
        "level": requirement.level,
        "parent": requirement.parent.code if requirement.parent else None,
        "title": requirement.title,
        "text": requirement.text,
    }
    for name in ("purpose", "guidance", "evidence", "assessment_methods", "applies_to"):
        value = getattr(requirement, name)
        if value:
            record[name] = value
    return record


def library_export(*, frameworks: QuerySet[Framework]) -> dict[str, Any]:
    """The given frameworks and the mappings among or from them, as one JSON-ready document."""
    requirements = Requirement.objects.filter(framework__in=frameworks).select_related("parent")
    by_framework: dict[int, list[dict[str, Any]]] = {}
    for requirement in requirements.order_by("framework_id", "position"):
        by_framework.setdefault(requirement.framework_id, []).append(
            requirement_as_dict(requirement)
        )
    mappings = (
        RequirementMapping.objects.filter(
            Q(source__framework__in=frameworks) | Q(target__framework__in=frameworks)
        )
        .select_related("source__framework", "target__framework")
        .order_by("source__framework__slug", "source__position", "target__position")
    )
    return {
        "frameworks": [
            {
                "id": framework.slug,
                "title": framework.title,
                "publisher": framework.publisher,
                "edition": framework.edition,
                "published": framework.published,
                "source": framework.source,
                "requirements": by_framework.get(framework.pk, []),
            }
            for framework in frameworks.order_by("slug", "-is_current", "-id")
        ],
        "mappings": [
            {
                "source": f"{m.source.framework.slug}:{m.source.code}",
                "target": f"{m.target.framework.slug}:{m.target.code}",
                "relation": m.relation,
                "rationale": m.rationale,
            }
            for m in mappings
        ],
    }
