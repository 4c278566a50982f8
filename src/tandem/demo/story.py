"""One case's history as dated steps, replayed through the real services in time order (with
`now=` set in the past), so that stages, transitions, due tasks and their completion read like
real history. Each step is one call to a service: the case's lifecycle, the ISS side's contact
and risk work, and his records while he attends."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import partial

from django.contrib.auth.models import User

from tandem.cases.models import PerpetratorCase, RiskPoint, SuspensionProposal
from tandem.cases.services.intake import ReferralDetails, perpetrator_referral_receive
from tandem.cases.services.lifecycle import (
    AssessmentDetails,
    ConsentDetails,
    ScreeningDetails,
    perpetrator_case_assess,
    perpetrator_case_close,
    perpetrator_case_record_consent,
    perpetrator_case_screen,
    perpetrator_case_start_intervention,
)
from tandem.cases.services.records import (
    PlannedAction,
    contact_note_record,
    risk_assessment_record,
    risk_concern_raise,
)
from tandem.cases.services.suspension import (
    perpetrator_case_reengage,
    suspension_propose,
    suspension_record_iss_consultation,
    suspension_record_survivors_informed,
    suspension_sign_off,
)
from tandem.compliance.services import due_tasks_complete
from tandem.demo.dates import local_date
from tandem.organisations.models import Service
from tandem.support.models import AttemptOutcome, ContactMethod, IssCase, SharedRiskNote
from tandem.support.services.contact import (
    contact_attempt_record,
    iss_contact_unsafe_record,
    iss_referral_make,
)
from tandem.support.services.dash import (
    dash_assessment_record,
    marac_referral_record,
    risk_incident_record,
)
from tandem.support.services.iss_cases import iss_case_allocate
from tandem.support.services.risk_notes import shared_risk_note_approve, shared_risk_note_write
from tandem.support.services.safe_contact import safe_contact_preferences_set


@dataclass
class Course:
    """What a case's lifecycle settled that the records kept along the way depend on."""

    worker: User
    iss_workers: list[User]  # each survivor's, by position
    first_contacts: list[datetime | None] = field(default_factory=list)  # when each was reached
    intervention_type: str = ""
    # When he attended: from the start (or re-engagement) until he left, or None while he still
    # attends.
    attending: list[tuple[datetime, datetime | None]] = field(default_factory=list)
    ended_case: bool = False  # his last period ended with the case closed or him removed


@dataclass(frozen=True)
class PlannedRiskAssessment:
    point: RiskPoint
    summary: str
    actions: list[PlannedAction]
    told: bool
    his_comment: str = ""
    not_told_reason: str = ""
    event_description: str = ""
    next_due_on: date | None = None


@dataclass
class CaseStory:
    """One case's history as dated steps, replayed through the services in time order."""

    details: ReferralDetails
    steps: list[tuple[datetime, int, Callable[[datetime], object]]] = field(default_factory=list)
    case: PerpetratorCase | None = None
    iss_cases: dict[int, IssCase] = field(default_factory=dict)
    proposal: SuspensionProposal | None = None
    risk_note: SharedRiskNote | None = None

    def at(self, moment: datetime, action: Callable[..., object], **arguments: object) -> None:
        self.steps.append((moment, len(self.steps), partial(action, **arguments)))

    def replay(self, *, until: datetime) -> None:
        for moment, _, action in sorted(self.steps, key=lambda step: step[:2]):
            if moment > until:
                break
            action(moment)

    def _case(self) -> PerpetratorCase:
        if self.case is None:
            raise ValueError("the referral is always the first step")
        return self.case

    def _proposal(self) -> SuspensionProposal:
        if self.proposal is None:
            raise ValueError("a suspension is proposed before it is consulted on or signed off")
        return self.proposal

    def _iss_case(self, position: int) -> IssCase:
        iss_case = self.iss_cases[position]
        iss_case.refresh_from_db(fields=["version"])
        return iss_case

    def receive(self, now: datetime, *, service: Service, actor: User) -> None:
        self.case = perpetrator_referral_receive(
            service=service, actor=actor, details=self.details, now=now
        )
        links = self.case.survivor_links.select_related("survivor__iss_case")
        self.iss_cases = {link.position: link.survivor.iss_case for link in links}

    def screen(self, now: datetime, *, actor: User, screening: ScreeningDetails) -> None:
        case = self._case()
        self.case = perpetrator_case_screen(
            case=case, actor=actor, expected_version=case.version, screening=screening, now=now
        )

    def assess(self, now: datetime, *, actor: User, assessment: AssessmentDetails) -> None:
        case = self._case()
        self.case = perpetrator_case_assess(
            case=case, actor=actor, expected_version=case.version, assessment=assessment, now=now
        )

    def record_consent(self, now: datetime, *, actor: User, consent: ConsentDetails) -> None:
        case = self._case()
        self.case = perpetrator_case_record_consent(
            case=case, actor=actor, expected_version=case.version, consent=consent, now=now
        )

    def tell_outcome(self, now: datetime, *, actor: User, position: int | None) -> None:
        # The ISS tells each survivor first; the perpetrator side's own tasks close after, so
        # its completion never sweeps up a survivor's task.
        if position is None:
            due_tasks_complete(
                rule_id="assessment-outcome", perpetrator_case=self._case(), actor=actor, now=now
            )
        else:
            due_tasks_complete(
                rule_id="assessment-outcome",
                iss_case=self.iss_cases[position],
                actor=actor,
                now=now,
            )

    def start(self, now: datetime, *, actor: User) -> None:
        case = self._case()
        self.case = perpetrator_case_start_intervention(
            case=case, actor=actor, expected_version=case.version, now=now
        )

    def close(self, now: datetime, *, actor: User, reason: str, detail: str) -> None:
        case = self._case()
        self.case = perpetrator_case_close(
            case=case,
            actor=actor,
            expected_version=case.version,
            reason=reason,
            detail=detail,
            now=now,
        )

    def propose(self, now: datetime, *, actor: User, kind: str, reason: str) -> None:
        case = self._case()
        self.proposal = suspension_propose(
            case=case, actor=actor, expected_version=case.version, kind=kind, reason=reason, now=now
        )
        case.refresh_from_db(fields=["version"])

    def consult_iss(self, now: datetime, *, actor: User) -> None:
        self.proposal = suspension_record_iss_consultation(
            proposal=self._proposal(), actor=actor, now=now
        )

    def inform_survivors(self, now: datetime, *, actor: User) -> None:
        self.proposal = suspension_record_survivors_informed(
            proposal=self._proposal(), actor=actor, now=now
        )

    def sign_off(self, now: datetime, *, actor: User) -> None:
        self.case = suspension_sign_off(proposal=self._proposal(), actor=actor, now=now)

    def reengage(self, now: datetime, *, actor: User) -> None:
        case = self._case()
        self.case = perpetrator_case_reengage(
            case=case, actor=actor, expected_version=case.version, now=now
        )

    # Allocation and safe-contact preferences record no time of their own (their audit events,
    # like every audit event, carry the moment the demo is loaded).

    def allocate(self, now: datetime, *, position: int, actor: User, worker: User) -> None:
        iss_case = self._iss_case(position)
        self.iss_cases[position] = iss_case_allocate(
            iss_case=iss_case, actor=actor, expected_version=iss_case.version, worker=worker
        )

    def refer_to_iss(self, now: datetime, *, position: int, actor: User) -> None:
        iss_case = self._iss_case(position)
        self.iss_cases[position] = iss_referral_make(
            iss_case=iss_case, actor=actor, expected_version=iss_case.version, now=now
        )

    def attempt_contact(
        self, now: datetime, *, position: int, actor: User, method: str, outcome: str
    ) -> None:
        iss_case = self._iss_case(position)
        contact_attempt_record(
            iss_case=iss_case,
            actor=actor,
            expected_version=iss_case.version,
            attempted_at=now,
            method=method,
            outcome=outcome,
            # The demo calls and texts her own number: the send guard checks it is safe.
            destination=iss_case.survivor.phone,
            notes=_ATTEMPT_NOTES[AttemptOutcome(outcome)],
            now=now,
        )

    def record_unsafe(self, now: datetime, *, position: int, actor: User, reason: str) -> None:
        iss_case = self._iss_case(position)
        self.iss_cases[position] = iss_contact_unsafe_record(
            iss_case=iss_case,
            actor=actor,
            expected_version=iss_case.version,
            reason=reason,
            now=now,
        )

    def set_safe_contact(
        self, now: datetime, *, position: int, actor: User, preference: tuple[str, str, str]
    ) -> None:
        unsafe_method, safe_times, notes = preference
        iss_case = self._iss_case(position)
        safe_contact_preferences_set(
            iss_case=iss_case,
            actor=actor,
            expected_version=iss_case.version,
            preferred_methods=[ContactMethod.PHONE],
            unsafe_methods=[unsafe_method],
            safe_times=safe_times,
            notes=notes,
        )

    # His records on the perpetrator side while he attends: contacts and risk.

    def record_note(
        self, now: datetime, *, actor: User, occurred_at: datetime, kind: str, note: str
    ) -> None:
        contact_note_record(
            case=self._case(), actor=actor, occurred_at=occurred_at, kind=kind, note=note, now=now
        )

    def assess_risk(self, now: datetime, *, actor: User, assessment: PlannedRiskAssessment) -> None:
        risk_assessment_record(
            case=self._case(),
            actor=actor,
            point=assessment.point,
            summary=assessment.summary,
            actions=assessment.actions,
            event_description=assessment.event_description,
            next_assessment_due_on=assessment.next_due_on,
            outcome_told_to_him=assessment.told,
            his_comment=assessment.his_comment,
            outcome_not_told_reason=assessment.not_told_reason,
            now=now,
        )

    def raise_concern(self, now: datetime, *, actor: User, concern: str, imminent: bool) -> None:
        risk_concern_raise(
            case=self._case(), actor=actor, concern=concern, imminent=imminent, now=now
        )

    # Her risk on the ISS side.

    def act_on_concern(self, now: datetime, *, position: int, actor: User) -> None:
        due_tasks_complete(
            rule_id="concern-24h", iss_case=self.iss_cases[position], actor=actor, now=now
        )

    def record_incident(
        self, now: datetime, *, position: int, actor: User, occurred_on: date, summary: str
    ) -> None:
        iss_case = self._iss_case(position)
        risk_incident_record(
            iss_case=iss_case,
            actor=actor,
            expected_version=iss_case.version,
            occurred_on=occurred_on,
            summary=summary,
            now=now,
        )

    def assess_dash(
        self, now: datetime, *, position: int, actor: User, answers: dict[int, str]
    ) -> None:
        iss_case = self._iss_case(position)
        dash_assessment_record(
            iss_case=iss_case,
            actor=actor,
            expected_version=iss_case.version,
            answers=answers,
            professional_judgement_high=False,
            professional_judgement_reasons="",
            now=now,
        )

    def refer_to_marac(self, now: datetime, *, position: int, actor: User) -> None:
        iss_case = self._iss_case(position)
        marac_referral_record(
            iss_case=iss_case,
            actor=actor,
            expected_version=iss_case.version,
            referred_on=local_date(now),
            now=now,
        )

    def write_risk_note(self, now: datetime, *, position: int, actor: User, note: str) -> None:
        self.risk_note = shared_risk_note_write(
            iss_case=self.iss_cases[position],
            perpetrator_case=self._case(),
            actor=actor,
            note=note,
            now=now,
        )

    def approve_risk_note(self, now: datetime, *, actor: User) -> None:
        if self.risk_note is None:
            raise ValueError("a shared risk note is proposed before it is approved")
        self.risk_note = shared_risk_note_approve(note=self.risk_note, actor=actor, now=now)


_ATTEMPT_NOTES = {
    AttemptOutcome.NO_ANSWER: "No answer; no message left (synthetic)",
    AttemptOutcome.MESSAGE_LEFT: "Left a neutral message giving only a first name (synthetic)",
    AttemptOutcome.NOT_SAFE_TO_TALK: "She answered and said it was not safe to talk (synthetic)",
    AttemptOutcome.WRONG_NUMBER: "Number not recognised; checking with the referrer (synthetic)",
    AttemptOutcome.SUPPORT_ACCEPTED: "Spoke with her; she accepted support (synthetic)",
    AttemptOutcome.SUPPORT_DECLINED: "Spoke with her; she declined support for now (synthetic)",
}
