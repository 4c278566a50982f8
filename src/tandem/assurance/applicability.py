"""Which requirements of a framework an assessment records, read from the standards library.

A requirement applies to a scope when it and every requirement above it either apply to every
intervention (`applies_to` empty) or to at least one intervention in the scope. So for Respect an
early-response-only scope skips B5.6 and B5.7 (behaviour-change only), and an ICM-only scope
takes the ICM section B in place of the structured one; a scope of both takes both sections.
"""

from collections.abc import Collection

from tandem.standards.models import Framework, Level, Requirement


def applies_to_scope(*, applies_to: list[str], scope: Collection[str]) -> bool:
    return not applies_to or bool(set(applies_to) & set(scope))


def applicable_requirements(
    *, framework: Framework, level: Level, scope: Collection[str]
) -> list[Requirement]:
    """The framework's requirements at `level` that apply to `scope`, in the source's order.

    An empty scope means the process assesses no particular interventions: everything applies."""
    requirements = list(Requirement.objects.filter(framework=framework).order_by("position"))
    by_pk = {requirement.pk: requirement for requirement in requirements}

    def applies(requirement: Requirement) -> bool:
        node: Requirement | None = requirement
        while node is not None:
            if scope and not applies_to_scope(applies_to=node.applies_to, scope=scope):
                return False
            node = by_pk.get(node.parent_id) if node.parent_id else None
        return True

    return [r for r in requirements if r.level == level and applies(r)]
