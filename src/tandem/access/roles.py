"""The roles people hold in Tandem. Each role is a Django group named by the role's value.

Roles say what kind of work someone does; what they may see and do is decided in the
permission rules (`rules.py` in each app), never in views or templates.
"""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import models


class Role(models.TextChoices):
    SERVICE_MANAGER = "service-manager", "Service manager"
    PERPETRATOR_WORKER = "perpetrator-worker", "Perpetrator worker"
    ISS_WORKER = "iss-worker", "ISS worker or IDVA"
    PRACTICE_MANAGER = "practice-manager", "Practice manager"
    ASSESSOR = "assessor", "Assessor"
    LEAD_ASSESSOR = "lead-assessor", "Lead assessor"
    INTERNAL_VERIFIER = "internal-verifier", "Internal verifier"
    PANEL_MEMBER = "panel-member", "Panel member"
    COMMISSIONER = "commissioner", "Commissioner"
    ADMINISTRATOR = "administrator", "Administrator"
    HR = "hr", "HR"
    DATA_PROTECTION_OFFICER = "data-protection-officer", "Data protection officer"


# Roles that do case work on each side; managers may hold both sides.
PERPETRATOR_WORK_ROLES = frozenset(
    {Role.SERVICE_MANAGER, Role.PRACTICE_MANAGER, Role.PERPETRATOR_WORKER}
)
ISS_WORK_ROLES = frozenset({Role.SERVICE_MANAGER, Role.PRACTICE_MANAGER, Role.ISS_WORKER})
MANAGER_ROLES = frozenset({Role.SERVICE_MANAGER, Role.PRACTICE_MANAGER})

# Anyone who asks: signed in or not.
Person = AbstractBaseUser | AnonymousUser


def roles_of(user: Person) -> frozenset[Role]:
    """The roles a user holds; cached on the user object for the length of a request."""
    if not user.is_authenticated:
        return frozenset()
    cached: frozenset[Role] | None = getattr(user, "_tandem_roles", None)
    if cached is None:
        names = user.groups.values_list("name", flat=True)  # type: ignore[attr-defined]
        cached = frozenset(Role(name) for name in names if name in Role.values)
        user._tandem_roles = cached  # type: ignore[attr-defined]
    return cached


def iss_role_label(person: Person | None) -> str:
    """Someone on the ISS side as the perpetrator side may know them: by their role, never by
    name (rule survivor-confidentiality: who supports her is not his side's to know)."""
    roles = roles_of(person) if person is not None else frozenset()
    if Role.ISS_WORKER in roles:
        return "an ISS worker or IDVA"
    if roles & MANAGER_ROLES:
        return "a manager on the ISS side"
    return "the ISS"
