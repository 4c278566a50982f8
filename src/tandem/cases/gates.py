"""The standards' gates on a perpetrator case, one function per rule in rules.md.

A gate returns the reasons it refuses (empty when it passes). Services call them before each
transition; pages and the API show the same reasons before anyone tries.
"""

from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.formats import date_format

from tandem.cases.models import (
    CriminalJustice,
    FamilyProceedings,
    PerpetratorCase,
    Stage,
    SuspensionProposal,
)
from tandem.standards.models import InterventionType
from tandem.support.barrier import survivor_contact_statuses


@dataclass(frozen=True)
class GateRefusal:
    rule_id: str
    message: str


def age_on(*, born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def gate_cj_pending(*, criminal_justice: str) -> list[GateRefusal]:
    """Rule cj-pending (R22-S/I B3.4, R08 B9.2): no place while pre-sentence; re-refer later."""
    if criminal_justice == CriminalJustice.PRE_SENTENCE:
        return [
            GateRefusal(
                "cj-pending",
                "not accepted: he is in the criminal justice process pre-sentence; he can be "
                "re-referred once proceedings conclude (the service does not hold the referral)",
            )
        ]
    return []


def gate_min_age(*, date_of_birth: date, on: date, has_youth_provision: bool) -> list[GateRefusal]:
    """Rule min-age (R08 B4.6): no programme place under 18 without provision for young men."""
    if age_on(born=date_of_birth, on=on) < 18 and not has_youth_provision:
        return [
            GateRefusal(
                "min-age",
                "not accepted: he is under 18 and this service has no provision for young men",
            )
        ]
    return []


def needs_young_adult_care(*, date_of_birth: date, on: date) -> bool:
    """Rule min-age (R08 B4.6): 21 or younger needs particular care over suitability."""
    return age_on(born=date_of_birth, on=on) <= 21


def gate_family_court(
    *, family_proceedings: str, judgement: str, intervention_type: str
) -> list[GateRefusal]:
    """Rule family-court (R22-S B5.7, R22-I B5.6): no behaviour-change intervention for a parent
    whose children are or were in the last 12 months subject of private law proceedings; older
    proceedings need a recorded professional judgement."""
    if family_proceedings == FamilyProceedings.OLDER and not judgement.strip():
        return [
            GateRefusal(
                "family-court",
                "private law proceedings ended over 12 months ago: record the professional "
                "judgement on whether a behaviour-change intervention is suitable",
            )
        ]
    if (
        family_proceedings == FamilyProceedings.WITHIN_12_MONTHS
        and intervention_type == InterventionType.BEHAVIOUR_CHANGE
    ):
        return [
            GateRefusal(
                "family-court",
                "behaviour-change intervention is not offered: his children are, or were in the "
                "last 12 months, subject of private law proceedings",
            )
        ]
    return []


def gate_consent(*, case: PerpetratorCase) -> list[GateRefusal]:
    """Rule consent (R22-S/I B3.2, NE 4.3, WG 3): the agreement is signed before starting,
    including consent to case-file review and recorded sessions; refusal means no place."""
    if case.consent_refused:
        return [GateRefusal("consent", "he refused the confidentiality agreement: no place")]
    if case.consent_signed_on is None:
        if case.consent_not_sought_reason.strip():
            return []
        return [GateRefusal("consent", "the confidentiality agreement has not been signed")]
    missing = [
        label
        for label, given in (
            ("case-file review", case.consent_covers_case_file_review),
            ("recorded sessions being seen", case.consent_covers_recorded_sessions),
        )
        if not given
    ]
    if missing:
        return [
            GateRefusal("consent", f"the signed agreement does not cover {' or '.join(missing)}")
        ]
    return []


def gate_iss_before_start(*, case: PerpetratorCase) -> list[GateRefusal]:
    """Rule iss-before-start (R22-S B3.3, WG 5): he does not join the intervention before
    contact is established with every identified survivor, or the reason it is unsafe or
    impossible is recorded."""
    refusals = []
    statuses = survivor_contact_statuses(case=case)
    if not statuses:
        refusals.append(GateRefusal("iss-before-start", "no survivor is identified for this case"))
    for status in statuses:
        if status.contact_complete or status.unsafe_reason_recorded:
            continue
        if status.iss_referred_at is None:
            pending = "her details have not yet been passed to the ISS"
        else:
            local = timezone.localtime(status.iss_referred_at)
            when = f"{date_format(local, 'j M Y')} {local:%H:%M}"
            pending = f"ISS referral pending since {when}"
        refusals.append(
            GateRefusal(
                "iss-before-start",
                f"no survivor contact established yet for survivor {status.position} ({pending})",
            )
        )
    return refusals


def intervention_start_refusals(*, case: PerpetratorCase) -> list[GateRefusal]:
    """Every reason the intervention cannot start yet: consent, survivor contact, screening."""
    refusals = gate_consent(case=case) + gate_iss_before_start(case=case)
    refusals += gate_cj_pending(criminal_justice=case.criminal_justice)
    refusals += gate_family_court(
        family_proceedings=case.family_proceedings,
        judgement=case.family_proceedings_judgement,
        intervention_type=case.intervention_type,
    )
    return refusals


def suspension_awaiting_sign_off(*, case: PerpetratorCase) -> SuspensionProposal | None:
    """The suspension or removal proposed for the case and not yet signed off: only one at a
    time, so the ISS and the senior manager always know which proposal they are acting on. A
    proposal lapses when the case leaves the intervention some other way (closed, say)."""
    if case.stage != Stage.IN_INTERVENTION:
        return None
    return (
        case.suspensions.filter(signed_off_at__isnull=True)
        .select_related("proposed_by", "iss_consulted_by", "survivors_informed_by")
        .first()
    )


def gate_suspension_sign_off(*, proposal: SuspensionProposal) -> list[GateRefusal]:
    """Rule suspend-remove (R22-S B4.2, R22 C1.6, WG 8-9): a suspension or removal is decided with
    the ISS and the survivors are told first, so they can be safety-planned, before a senior
    manager signs it off."""
    refusals = []
    if proposal.iss_consulted_at is None:
        refusals.append(
            GateRefusal("suspend-remove", "the ISS has not yet been consulted (not recorded)")
        )
    if proposal.survivors_informed_at is None:
        refusals.append(
            GateRefusal(
                "suspend-remove",
                "the survivors have not yet been told first (not recorded by the ISS)",
            )
        )
    return refusals


def gate_child_contact_expert(
    *,
    pursuing_child_contact: bool,
    expert_assessment_on_file: bool,
    required_by_criminal_court: bool,
) -> list[GateRefusal]:
    """Rule child-contact-expert (R08 B8.1): no service to a man pursuing child contact through
    the family courts without an expert domestic violence risk assessment, unless a criminal
    court order requires his attendance."""
    if pursuing_child_contact and not expert_assessment_on_file and not required_by_criminal_court:
        return [
            GateRefusal(
                "child-contact-expert",
                "not accepted: he is pursuing child contact through the family courts and there "
                "is no expert domestic violence risk assessment (nor a criminal court order)",
            )
        ]
    return []


def gate_language_parity(*, partner_language_needs_unmet: bool) -> list[GateRefusal]:
    """Rule language-parity (R08 C1.5): no service to a man whose partner cannot be offered an
    adequate ISS because of her language needs."""
    if partner_language_needs_unmet:
        return [
            GateRefusal(
                "language-parity",
                "not accepted: his partner cannot be offered an adequate support service because "
                "of her language needs",
            )
        ]
    return []


def acceptance_not_met(*, case: PerpetratorCase) -> list[str]:
    """Rule acceptance (NE 4.6): which of the grounds for acceptance were not recorded as met."""
    grounds = {
        "acknowledges some abuse": case.acknowledges_some_abuse,
        "sees it as a problem": case.sees_abuse_as_a_problem,
        "accepts some responsibility": case.accepts_some_responsibility,
        "agrees the conditions, including partners' contact details": case.agrees_conditions,
    }
    return [ground for ground, met in grounds.items() if not met]
