"""The packaged library holds the six frameworks as published, with the cross-framework mappings."""

import re
from collections import Counter
from pathlib import Path

import pytest

from tandem.standards.models import Framework, Requirement, RequirementMapping

pytestmark = pytest.mark.django_db
SOURCES = Path(__file__).resolve().parents[4].parent / "shared" / "standards"
needs_sources = pytest.mark.skipif(
    not SOURCES.is_dir(), reason=f"the source texts are not at {SOURCES}"
)


def levels(slug: str) -> Counter[str]:
    return Counter(Requirement.objects.filter(framework__slug=slug).values_list("level", flat=True))


def test_it_holds_respect_2022_with_79_indicators_split_as_published(library: None) -> None:
    indicators = Requirement.objects.filter(framework__slug="respect-2022", level="indicator")
    by_section = Counter(indicators.values_list("parent__parent__code", flat=True))
    assert by_section == {"A": 8, "B-S": 31, "B-I": 27, "C": 10, "D": 3}
    # The two section B's share printed refs; ids tell them apart.
    structured = Requirement.objects.get(framework__slug="respect-2022", code="S-B3.3")
    icm = Requirement.objects.get(framework__slug="respect-2022", code="I-B3.3")
    assert structured.ref == icm.ref == "B3.3"


def test_it_holds_the_2008_audit_with_60_indicators_from_a11_to_f18(library: None) -> None:
    codes = list(
        Requirement.objects.filter(framework__slug="respect-audit-2008", level="indicator")
        .order_by("position")
        .values_list("code", flat=True)
    )
    assert len(codes) == 60
    assert (codes[0], codes[-1]) == ("A1.1", "F1.8")
    assert {code[0] for code in codes} == set("ABCDEF")


def test_it_holds_the_other_frameworks_with_their_published_structure(library: None) -> None:
    assert levels("west-midlands-dva")["standard"] == 11
    assert levels("wales-perpetrator")["standard"] == 23
    assert levels("home-office-2022") == {"standard": 7}
    wales_questions = Requirement.objects.filter(
        framework__slug="wales-perpetrator", level="question"
    )
    assert wales_questions.filter(code__startswith="C.").exists(), "commissioning questions"
    assert levels("wales-perpetrator")["item"] > 23, "sub-items i, ii, ..."
    ne = Requirement.objects.filter(framework__slug="respect-ne-minimum")
    assert ne.filter(code="2", level="section").exists(), "principles"
    assert set(ne.filter(level="section").values_list("code", flat=True)) == {"2", "3", "4", "5"}


def test_it_records_applicability_from_the_source(library: None) -> None:
    """R22 B5.6 and B5.7 apply to behaviour-change interventions only; section B-I to ICM only."""
    respect = Requirement.objects.filter(framework__slug="respect-2022")
    assert respect.get(code="S-B5.6").applies_to == ["behaviour_change"]
    assert respect.get(code="S-B5.7").applies_to == ["behaviour_change"]
    assert respect.get(code="S-B3.3").applies_to == ["behaviour_change", "early_response"]
    assert respect.get(code="I-B3.3").applies_to == ["icm"]
    assert respect.get(code="C1.3").applies_to == []


def test_it_records_guidance_force_evidence_and_assessment_methods(library: None) -> None:
    a11 = Requirement.objects.get(framework__slug="respect-2022", code="A1.1")
    assert a11.guidance[0]["force"] == "must"
    assert a11.guidance[0]["text"].startswith(
        "1. The service must have the following policies and procedures"
    )
    assert a11.evidence[0].startswith("Submit the policies and procedures listed above.")
    assert a11.assessment_methods == ["written_submission"]
    a33 = Requirement.objects.get(framework__slug="respect-2022", code="A3.3")
    assert "site_visit_documents" in a33.assessment_methods


def test_it_maps_every_welsh_standard_to_respect_2022(library: None) -> None:
    mapped = set(
        RequirementMapping.objects.filter(
            source__framework__slug="wales-perpetrator",
            source__level="standard",
            target__framework__slug="respect-2022",
        ).values_list("source__code", flat=True)
    )
    assert mapped == {str(n) for n in range(1, 24)}


@needs_sources
def test_it_maps_every_stated_home_office_alignment(library: None) -> None:
    """Each R22 standard says which Home Office standards it is aligned with; all are mapped."""
    text = (SOURCES / "respect-standard-2022.txt").read_text(encoding="utf-8")
    stated = set()
    heading = None
    for line in text.splitlines():
        standard = re.match(r"^([A-D]\d) Standard", line)
        if standard:
            ref = standard.group(1)
            icm = "Intensive Case Management" in line
            heading = f"{'I' if icm else 'S'}-{ref}" if ref.startswith("B") else ref
        aligned = re.match(r"^Aligned with Home Office Standards? ([\d, and]+)", line)
        if aligned and heading:
            for number in re.findall(r"\d", aligned.group(1)):
                stated.add((heading, f"HO{number}"))
    mapped = set(
        RequirementMapping.objects.filter(
            source__framework__slug="respect-2022", target__framework__slug="home-office-2022"
        ).values_list("source__code", "target__code")
    )
    assert len(stated) >= 30
    assert mapped == stated


def _normalised(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("**", "")).strip()


@needs_sources
def test_it_transcribes_every_requirement_text_verbatim_from_its_source(library: None) -> None:
    """Every line of every text field is in the source (whitespace, bold markers and bullets aside)."""
    missing = []
    for framework in Framework.objects.all():
        source = _normalised((SOURCES / framework.source).read_text(encoding="utf-8"))
        for requirement in framework.requirements.all():
            fields = [requirement.text, requirement.title, requirement.purpose]
            fields += [g["text"] for g in requirement.guidance] + requirement.evidence
            for value in fields:
                for line in value.splitlines():
                    line = _normalised(re.sub(r"^\s*[-*•]\s+", "", line))
                    if line and line not in source:
                        missing.append(f"{framework.slug}:{requirement.code}: {line[:80]}")
    assert missing == []


@needs_sources
@pytest.mark.parametrize(
    ("slug", "code", "expected"),
    [
        (
            "respect-2022",
            "A1.1",
            "The organisation has written policies, procedures, and strategies that are clear, "
            "workable, fully implemented and reviewed regularly.",
        ),
        (
            "respect-audit-2008",
            "B9.2",
            "The organisation does not offer a place on a group or individual programme to a man "
            "who has been charged with a domestic violence related offence until the criminal "
            "proceedings have reached a conclusion.",
        ),
        (
            "respect-audit-2008",
            "A4.3",
            "All staff and volunteers are Criminal Records Bureau or Disclosure Scotland checked "
            "before starting work in any capacity within the organisation. These checks are "
            "repeated every three years thereafter.",
        ),
        (
            "home-office-2022",
            "HO6",
            "Interventions should be delivered by staff who are skilled and supported in "
            "responding to domestic abuse.",
        ),
    ],
)
def test_it_matches_spot_checked_nodes_word_for_word(
    library: None, slug: str, code: str, expected: str
) -> None:
    requirement = Requirement.objects.get(framework__slug=slug, code=code)
    assert _normalised(requirement.text) == expected
    source = Framework.objects.get(slug=slug).source
    assert expected in _normalised((SOURCES / source).read_text(encoding="utf-8"))
