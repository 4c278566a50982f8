"""Each assurance process: its framework, what gets a record, and the one state machine it follows.

An assessment moves only along the transitions its process lists here; services ask
`transition_refusal` before every change of state. A process not defined here cannot be started
yet: add its `ProcessDefinition` to `PROCESSES` (and its services, for the steps' own checks).
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

from tandem.assurance.models import Process, RagRating, SelfRating, State
from tandem.standards.models import Level


@dataclass(frozen=True)
class ProcessDefinition:
    process: Process
    framework_slug: str
    # The level of requirement that gets a record: Respect indicators, Welsh questions, …
    record_level: Level
    transitions: Mapping[State, frozenset[State]]
    initial: State = State.DRAFT
    # Whether the assessment names the intervention types it covers (Respect's scope).
    uses_scope: bool = False
    # States in which nothing more is recorded against the assessment.
    read_only: frozenset[State] = frozenset()
    # States in which the findings are released to the assessed service.
    released: frozenset[State] = frozenset()
    # The values `RequirementRecord.rating` takes in this process (empty: not used).
    rating_choices: tuple[tuple[str, str], ...] = field(default=())
    # Run against any framework of the library, chosen when it starts (`framework_slug` empty).
    any_framework: bool = False


RESPECT_ACCREDITATION = ProcessDefinition(
    process=Process.RESPECT_ACCREDITATION,
    framework_slug="respect-2022",
    record_level=Level.INDICATOR,
    uses_scope=True,
    transitions={
        State.DRAFT: frozenset({State.SUBMITTED}),
        State.SUBMITTED: frozenset({State.DESKTOP_ASSESSMENT}),
        State.DESKTOP_ASSESSMENT: frozenset({State.SITE_VISIT}),
        State.SITE_VISIT: frozenset({State.REPORT_DRAFTED}),
        State.REPORT_DRAFTED: frozenset({State.INTERNALLY_VERIFIED, State.REPORT_RETURNED}),
        State.REPORT_RETURNED: frozenset({State.REPORT_DRAFTED}),
        State.INTERNALLY_VERIFIED: frozenset({State.PANEL}),
        State.PANEL: frozenset({State.ACCREDITED, State.NOT_ACCREDITED, State.DEFERRED}),
        # Meeting every condition of a deferral returns the assessment to the panel.
        State.DEFERRED: frozenset({State.PANEL, State.APPEAL}),
        State.ACCREDITED: frozenset({State.EXPIRED, State.REACCREDITED}),
        # The service appeals (`respect/gates.py`): upheld returns it to the decision appealed;
        # overturned sends it back to the panel for the appeal panel's new decision.
        State.NOT_ACCREDITED: frozenset({State.APPEAL}),
        State.APPEAL: frozenset({State.PANEL, State.NOT_ACCREDITED, State.DEFERRED}),
    },
    read_only=frozenset(
        {
            State.ACCREDITED,
            State.NOT_ACCREDITED,
            State.DEFERRED,
            State.EXPIRED,
            State.REACCREDITED,
        }
    ),
    released=frozenset(
        {
            State.ACCREDITED,
            State.NOT_ACCREDITED,
            State.DEFERRED,
            State.EXPIRED,
            State.REACCREDITED,
            State.APPEAL,
        }
    ),
)

# R08 audit process. Opening the audit records an exemption (current Respect accreditation) or
# an automatic fail (no ISS) at once: `checklists.gates.audit_exemption` and `iss_automatic_fail`.
SAFEGUARDING_AUDIT_2008 = ProcessDefinition(
    process=Process.SAFEGUARDING_AUDIT_2008,
    framework_slug="respect-audit-2008",
    record_level=Level.INDICATOR,
    transitions={
        State.DRAFT: frozenset({State.SCHEDULED, State.EXEMPT, State.FAILED}),
        State.SCHEDULED: frozenset({State.VISITED}),
        State.VISITED: frozenset({State.REPORTED}),
        State.REPORTED: frozenset({State.PASSED, State.FAILED}),
    },
    read_only=frozenset({State.PASSED, State.FAILED, State.EXEMPT}),
    released=frozenset({State.REPORTED, State.PASSED, State.FAILED, State.EXEMPT}),
)

# WG Appendix 1, completed by a commissioner: one record per checklist question (the commissioning
# section's only, for a specially accredited service: `checklists.gates.welsh_checklist_questions`).
WELSH_COMMISSIONING = ProcessDefinition(
    process=Process.WELSH_COMMISSIONING,
    framework_slug="wales-perpetrator",
    record_level=Level.QUESTION,
    transitions={
        State.DRAFT: frozenset({State.MEETS_STANDARDS, State.PARTLY_MEETS, State.DOES_NOT_MEET}),
    },
    read_only=frozenset({State.MEETS_STANDARDS, State.PARTLY_MEETS, State.DOES_NOT_MEET}),
    released=frozenset({State.MEETS_STANDARDS, State.PARTLY_MEETS, State.DOES_NOT_MEET}),
    rating_choices=tuple(RagRating.choices),
)

# WM: the agency rates each standard and each of its bullets, then another agency's reviewer
# agrees with or challenges each rating.
WEST_MIDLANDS_SELF_EVALUATION = ProcessDefinition(
    process=Process.WEST_MIDLANDS_SELF_EVALUATION,
    framework_slug="west-midlands-dva",
    record_level=Level.ITEM,
    transitions={
        State.DRAFT: frozenset({State.PEER_REVIEW}),
        State.PEER_REVIEW: frozenset({State.PEER_REVIEWED}),
    },
    read_only=frozenset({State.PEER_REVIEWED}),
    released=frozenset({State.PEER_REVIEW, State.PEER_REVIEWED}),
    rating_choices=tuple(SelfRating.choices),
)

# A service's own readiness check against any framework: its finest requirements
# (`checklists.gates.readiness_requirements`), whatever their level.
SELF_ASSESSMENT = ProcessDefinition(
    process=Process.SELF_ASSESSMENT,
    framework_slug="",
    record_level=Level.INDICATOR,
    any_framework=True,
    uses_scope=True,
    transitions={State.DRAFT: frozenset({State.COMPLETED})},
    read_only=frozenset({State.COMPLETED}),
    released=frozenset({State.DRAFT, State.COMPLETED}),
    rating_choices=tuple(SelfRating.choices),
)

PROCESSES: dict[Process, ProcessDefinition] = {
    Process.RESPECT_ACCREDITATION: RESPECT_ACCREDITATION,
    Process.SAFEGUARDING_AUDIT_2008: SAFEGUARDING_AUDIT_2008,
    Process.WELSH_COMMISSIONING: WELSH_COMMISSIONING,
    Process.WEST_MIDLANDS_SELF_EVALUATION: WEST_MIDLANDS_SELF_EVALUATION,
    Process.SELF_ASSESSMENT: SELF_ASSESSMENT,
}


def definition_of(process: Process | str) -> ProcessDefinition | None:
    """The process's definition, or None for one Tandem does not run yet."""
    return PROCESSES.get(Process(process))


def next_states(*, process: Process | str, state: State | str) -> frozenset[State]:
    definition = definition_of(process)
    if definition is None:
        return frozenset()
    return definition.transitions.get(State(state), frozenset())


def transition_refusal(*, process: Process | str, state: State | str, to: State) -> str | None:
    """Why the assessment cannot move from `state` to `to`, or None when the process allows it."""
    if to in next_states(process=process, state=state):
        return None
    return (
        f"A {Process(process).label.lower()} cannot move from "
        f"“{State(state).label}” to “{to.label}”"
    )


def is_read_only(*, process: Process | str, state: State | str) -> bool:
    definition = definition_of(process)
    return definition is not None and State(state) in definition.read_only


def findings_released(*, process: Process | str, state: State | str) -> bool:
    """Whether the assessed service may now read the assessors' notes and judgements."""
    definition = definition_of(process)
    return definition is not None and State(state) in definition.released
