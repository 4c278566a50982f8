"""The rules of Respect accreditation (rules.md section 6, "Respect accreditation (2022)"; R22
introduction, scope and structure), each in one function that pages, API and services share."""

import re
from datetime import date

from dateutil.relativedelta import relativedelta

from tandem.organisations.models import IssProvision, Service
from tandem.standards.models import AssessmentMethod, InterventionType, Requirement

RULE_ID = "respect-accreditation"

# R22 "Streamlining the accreditation process": services "describe how they meet each
# requirement in 250 words and list the documents that support their narrative".
NARRATIVE_MAX_WORDS = 250

# R22 introduction: accredited "for a three-year period".
ACCREDITATION_YEARS = 3

_HAS_LETTER_OR_DIGIT = re.compile(r"\w")


def narrative_word_count(text: str) -> int:
    """Words as a person counts them: runs of characters between whitespace, so a hyphenated
    word ("risk-led") is one word and a number ("12", "B3.3", "2022/23") is a word. A run with
    no letter or digit in it (a lone dash or bullet) is punctuation, not a word."""
    return sum(1 for token in text.split() if _HAS_LETTER_OR_DIGIT.search(token))


def narrative_refusal(*, ref: str, text: str) -> str | None:
    """Why a narrative is too long for the written submission, with its count; None if it fits."""
    words = narrative_word_count(text)
    if words <= NARRATIVE_MAX_WORDS:
        return None
    return f"The narrative for {ref} has {words} words; the limit is {NARRATIVE_MAX_WORDS}"


def needs_narrative(requirement: Requirement) -> bool:
    """Whether the written submission covers the indicator: those the library assesses only by
    other methods (e.g. B6.1, by staff interviews) need no narrative."""
    methods = requirement.assessment_methods
    return not methods or AssessmentMethod.WRITTEN_SUBMISSION in methods


def accreditation_expires_on(decided_on: date) -> date:
    """The first day an accreditation no longer holds: 3 years from the panel's decision.

    Accredited on 10 March 2025, a service is accredited up to and including 9 March 2028 and
    not on 10 March 2028. A decision on 29 February expires on 28 February three years on."""
    return decided_on + relativedelta(years=ACCREDITATION_YEARS)


def is_accreditation_current(*, expires_on: date | None, today: date) -> bool:
    return expires_on is not None and today < expires_on


def survivor_support_refusal(*, service: Service) -> str | None:
    """R22 scope: "Organisations running an intervention with perpetrators without support for
    survivors cannot be considered for accreditation". A service needs an Integrated Support
    Service of its own or one run by a named partner organisation."""
    if service.iss_provision == IssProvision.INTERNAL:
        return None
    if service.iss_provision == IssProvision.EXTERNAL and service.external_iss_organisation_id:
        return None
    return (
        f"{service.name} has no Integrated Support Service for survivors (internal or external): "
        "perpetrator work without survivor support cannot be accredited"
    )


def offered_interventions(*, service: Service) -> frozenset[InterventionType]:
    offered = {
        InterventionType.BEHAVIOUR_CHANGE: service.offers_behaviour_change,
        InterventionType.EARLY_RESPONSE: service.offers_early_response,
        InterventionType.ICM: service.offers_icm,
    }
    return frozenset(kind for kind, offers in offered.items() if offers)


def intervention_label(value: str) -> str:
    return InterventionType(value).label if value in InterventionType.values else value


def scope_refusal(*, service: Service, scope: list[str]) -> str | None:
    """R22 scope: a service applies for any or all of the interventions it offers, and for at
    least one."""
    if not scope:
        return "Choose at least one intervention to be accredited"
    unknown = [value for value in scope if value not in InterventionType.values]
    if unknown:
        return f"Unknown intervention type: {', '.join(unknown)}"
    not_offered = [
        InterventionType(value).label
        for value in scope
        if value not in offered_interventions(service=service)
    ]
    if not_offered:
        return f"{service.name} does not offer: {'; '.join(not_offered)}"
    return None
