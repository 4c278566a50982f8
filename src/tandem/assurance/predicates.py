"""Predicates about people in an assessment, combined into permissions by the assurance rules
modules (`rules.py` and each sub-package's)."""

import rules

from tandem.assurance.models import Assessment, Part
from tandem.assurance.selectors import declared_parts, managed_services
from tandem.organisations.models import Service


@rules.predicate
def manages_service(user: object, service: Service | None) -> bool:
    """A service manager working in the service: who applies, uploads evidence and starts its
    self-evaluations."""
    if service is None:
        return False
    return managed_services(user=user).filter(pk=service.pk).exists()  # type: ignore[arg-type]


@rules.predicate
def manages_assessed_service(user: object, assessment: Assessment | None) -> bool:
    """A service manager working in the assessed service: who prepares and submits its evidence."""
    if assessment is None:
        return False
    return managed_services(user=user).filter(pk=assessment.service_id).exists()  # type: ignore[arg-type]


def acts_as(*parts: Part) -> rules.Predicate:
    """Holds one of `parts` in the assessment and has declared no conflict of interest."""
    wanted = frozenset(parts)

    def check(user: object, assessment: Assessment | None) -> bool:
        if assessment is None:
            return False
        return bool(declared_parts(user=user, assessment=assessment) & wanted)  # type: ignore[arg-type]

    return rules.Predicate(check, name=f"acts_as({', '.join(sorted(wanted))})")
