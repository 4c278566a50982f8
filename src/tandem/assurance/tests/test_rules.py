"""The Respect accreditation rules that stand alone (rule respect-accreditation): the narrative's
word count, the 3-year period, survivor support, the scope, applicability, evidence file types,
and the state machine."""

import itertools
from datetime import date

import pytest

from tandem.assurance import workflow
from tandem.assurance.applicability import applicable_requirements
from tandem.assurance.models import Process, State
from tandem.assurance.respect import deadlines as respect_deadlines
from tandem.assurance.respect import gates as respect_gates
from tandem.assurance.tests import synthetic_files as files
from tandem.lib import documents
from tandem.lib.documents import DocumentKind
from tandem.organisations.models import IssProvision, Organisation, Service
from tandem.standards.models import Framework, Level


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", 0),
        ("one", 1),
        ("  spaced \n\n out\twords  ", 3),
        ("risk-led, survivor-focused work", 3),  # hyphenated words are one word each
        ("12 sessions over 2022/23 in B3.3", 6),  # numbers are words
        ("first - second \u2013 third \u2022 fourth", 4),  # a lone dash or bullet is not a word
        ("don't stop", 2),
    ],
)
def test_it_counts_words_as_a_person_would(text: str, words: int) -> None:
    assert respect_gates.narrative_word_count(text) == words


def test_it_accepts_a_narrative_of_exactly_250_words_and_refuses_251() -> None:
    """Rule respect-accreditation: a narrative of up to 250 words."""
    assert respect_gates.narrative_refusal(ref="B3.3", text=" ".join(["word"] * 250)) is None
    assert (
        respect_gates.narrative_refusal(ref="B3.3", text=" ".join(["word"] * 251))
        == "The narrative for B3.3 has 251 words; the limit is 250"
    )


@pytest.mark.parametrize(
    ("decided", "expires"),
    [
        (date(2025, 3, 10), date(2028, 3, 10)),
        (date(2024, 2, 29), date(2027, 2, 28)),  # a leap day: the last day of February
        (date(2025, 12, 31), date(2028, 12, 31)),
    ],
)
def test_it_accredits_for_exactly_3_years(decided: date, expires: date) -> None:
    """Rule respect-accreditation: accredited for 3 years from the decision."""
    assert respect_deadlines.accreditation_expires_on(decided) == expires
    last_day = date.fromordinal(expires.toordinal() - 1)
    assert respect_deadlines.is_accreditation_current(expires_on=expires, today=last_day)
    assert not respect_deadlines.is_accreditation_current(expires_on=expires, today=expires)


def _service(**fields: object) -> Service:
    return Service(name="Synthetic DAPP", **fields)


def test_it_refuses_perpetrator_work_without_survivor_support() -> None:
    """R22 scope: no perpetrator work without survivor support can be accredited."""
    assert (
        respect_gates.survivor_support_refusal(service=_service(iss_provision="internal")) is None
    )
    partner = Organisation(pk=1, name="Synthetic partner")
    assert (
        respect_gates.survivor_support_refusal(
            service=_service(iss_provision="external", external_iss_organisation=partner)
        )
        is None
    )
    refusal = respect_gates.survivor_support_refusal(service=_service(iss_provision=""))
    assert refusal is not None
    assert "no Integrated Support Service" in refusal
    assert respect_gates.survivor_support_refusal(
        service=_service(iss_provision=IssProvision.EXTERNAL)
    ), "an external ISS must name its partner"


def test_it_refuses_a_scope_the_service_does_not_offer() -> None:
    service = _service(offers_behaviour_change=True)
    assert respect_gates.scope_refusal(service=service, scope=["behaviour_change"]) is None
    assert respect_gates.scope_refusal(service=service, scope=[]) == (
        "Choose at least one intervention to be accredited"
    )
    assert respect_gates.scope_refusal(service=service, scope=["icm"]) == (
        "Synthetic DAPP does not offer: Intensive case management"
    )
    assert "Unknown" in (respect_gates.scope_refusal(service=service, scope=["groupwork"]) or "")


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


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("policy.pdf", files.PDF, DocumentKind.PDF),
        ("policy.docx", files.DOCX, DocumentKind.DOCX),
        ("policy.doc", files.DOC, DocumentKind.DOC),
        ("policy.odt", files.ODT, DocumentKind.ODT),
        ("figures.xlsx", files.XLSX, DocumentKind.XLSX),
        ("figures.ods", files.ODS, DocumentKind.ODS),
        ("figures.csv", files.CSV, DocumentKind.CSV),
        ("chart.png", files.PNG, DocumentKind.PNG),
        ("photo.jpg", files.JPEG, DocumentKind.JPEG),
        ("no-extension", files.PDF, DocumentKind.PDF),  # the content decides
    ],
)
def test_it_reads_a_files_type_from_its_content(name: str, content: bytes, kind: str) -> None:
    assert documents.document_kind(content=content, name=name) == kind


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("policy.pdf", files.EXE, "is not a PDF, Word"),
        ("policy.exe", files.EXE, "is not a PDF, Word"),
        ("chart.pdf", files.PNG, "its name says PDF but its content is a PNG image"),
        ("policy.docx", files.DOCM, "macro-enabled"),
        ("figures.xls", files.XLS, "is not a PDF, Word"),
        ("archive.zip", files.PLAIN_ZIP, "is not a PDF, Word"),
        ("notes.txt", files.CSV, "is not a PDF, Word"),  # plain text is a CSV only by name
        ("page.csv", b"<html><script>alert(1)</script></html>", "is not a PDF, Word"),
        ("binary.csv", b"a,b\x00c\n", "is not a PDF, Word"),
    ],
)
def test_it_refuses_a_file_by_its_content(name: str, content: bytes, says: str) -> None:
    with pytest.raises(documents.NotAcceptedFile, match=says):
        documents.document_kind(content=content, name=name)


def test_it_labels_sizes_as_a_person_reads_them() -> None:
    assert documents.size_label(documents.EVIDENCE_MAX_BYTES) == "20 MB"
    assert documents.size_label(1536 * 1024) == "1.5 MB"
    assert documents.size_label(2048) == "2 KB"
    assert documents.size_label(12) == "12 bytes"


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
    # A refusal or a deferral can only be appealed (lifecycle_rules.py).
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
