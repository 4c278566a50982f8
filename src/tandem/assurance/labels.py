"""How requirements and days are named in refusals, on pages and in the API."""

from collections.abc import Iterable
from datetime import date

from tandem.assurance.models import RequirementRecord
from tandem.standards.models import Level, Requirement

REFS_NAMED = 5


def requirement_label(requirement: Requirement) -> str:
    """How messages name a requirement. Welsh checklist questions are numbered afresh under each
    standard ("Q1"), so they are named by their code ("1.Q1", "C.Q2" in the commissioning
    section); everything else by its printed reference."""
    return requirement.code if requirement.level == Level.QUESTION else requirement.ref


def requirements_named(requirements: Iterable[Requirement]) -> str:
    """Up to five requirements, then how many more: "A1.2, B3.3 and 4 more"."""
    named = [requirement_label(requirement) for requirement in requirements]
    if not named:
        return "none"
    if len(named) <= REFS_NAMED:
        return ", ".join(named[:-1]) + (" and " if len(named) > 1 else "") + named[-1]
    return f"{', '.join(named[:REFS_NAMED])} and {len(named) - REFS_NAMED} more"


def record_label(record: RequirementRecord) -> str:
    """How messages name a record: by its requirement (`requirement_label`)."""
    return requirement_label(record.requirement)


def records_named(records: Iterable[RequirementRecord]) -> str:
    """The records' requirements, as `requirements_named` names them."""
    return requirements_named(record.requirement for record in records)


def day_label(day: date) -> str:
    """A date as people write it: "9 March 2028"."""
    return f"{day.day} {day:%B %Y}"
