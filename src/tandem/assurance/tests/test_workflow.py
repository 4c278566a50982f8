"""What every process stands on: which requirements an assessment records (applicability) and
the state machine (Respect accreditation's, here)."""

import itertools

import pytest

from tandem.assurance import workflow
from tandem.assurance.applicability import applicable_requirements
from tandem.assurance.models import Process, State
from tandem.standards.models import Framework, Level


def _codes(scope: list[str]) -> set[str]:
    framework = Framework.objects.get(slug="respect-2022", is_current=True)
    return {
        r.code
        for r in applicable_requirements(framework=framework, level=Level.INDICATOR, scope=scope)
    }


@pytest.mark.usefixtures("library")
def test_it_applies_the_indicators_of_the_scope() -> None:
    """R22 scope: applicability from the library (A 8, B-S 31, B-I 27, C 10, D 3)."""
    behaviour_change = _codes(["behaviour_change"])
    assert len(behaviour_change) == 8 + 31 + 10 + 3
    assert {"S-B5.6", "S-B5.7"} <= behaviour_change
    early_response = _codes(["early_response"])
    assert early_response == behaviour_change - {"S-B5.6", "S-B5.7"}
    icm = _codes(["icm"])
    assert len(icm) == 8 + 27 + 10 + 3
    assert not any(code.startswith("S-") for code in icm), "the ICM section replaces B-S"
    assert len(_codes(["behaviour_change", "icm"])) == 79


RESPECT_PATH = [
    State.DRAFT,
    State.SUBMITTED,
    State.DESKTOP_ASSESSMENT,
    State.SITE_VISIT,
    State.REPORT_DRAFTED,
    State.INTERNALLY_VERIFIED,
    State.PANEL,
    State.ACCREDITED,
    State.EXPIRED,
]


def test_it_permits_only_the_respect_transitions() -> None:
    """States move only forward through the permitted steps."""
    process = Process.RESPECT_ACCREDITATION
    for here, following in itertools.pairwise(RESPECT_PATH):
        assert workflow.transition_refusal(process=process, state=here, to=following) is None
    for earlier, later in itertools.pairwise(RESPECT_PATH):
        assert workflow.transition_refusal(process=process, state=later, to=earlier)
    assert workflow.transition_refusal(process=process, state=State.DRAFT, to=State.PANEL) == (
        "A respect accreditation cannot move from “Draft: evidence being prepared” to "
        "“With the accreditation panel”"
    )
    # A refusal or a deferral can only be appealed (respect/gates.py).
    assert workflow.next_states(process=process, state=State.NOT_ACCREDITED) == {State.APPEAL}
    assert workflow.next_states(process=process, state=State.DEFERRED) == {
        State.PANEL,
        State.APPEAL,
    }
    assert workflow.next_states(process=process, state=State.REPORT_DRAFTED) == {
        State.INTERNALLY_VERIFIED,
        State.REPORT_RETURNED,
    }


def test_it_keeps_findings_from_the_service_until_the_decision() -> None:
    process = Process.RESPECT_ACCREDITATION
    assert not workflow.findings_released(process=process, state=State.PANEL)
    assert workflow.findings_released(process=process, state=State.ACCREDITED)
    assert workflow.is_read_only(process=process, state=State.NOT_ACCREDITED)
    assert not workflow.is_read_only(process=process, state=State.SITE_VISIT)
