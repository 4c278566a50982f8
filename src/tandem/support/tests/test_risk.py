"""The DASH checklist as data, its yes count and the MARAC referral criteria (rule `dash`).

Every test checks rule `dash` (R22 B4.1); the comment at the top of each says which part.
"""

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml

from tandem.support.gates import (
    MaracCriterion,
    MaracSettings,
    dash_yes_count,
    marac_referral_criteria,
    risk_level,
)
from tandem.support.instruments import (
    INSTRUMENTS_DIR,
    Instrument,
    InstrumentDataError,
    InstrumentKind,
    instrument_file_read,
    instrument_get,
    instrument_list,
    instruments_read,
)

ASSESSED_ON = date(2026, 3, 1)
DASH_FILE = INSTRUMENTS_DIR / "dash-2009.yaml"
SARA_FILE = INSTRUMENTS_DIR / "sara-v3.yaml"


def dash() -> Instrument:
    return instrument_get(instrument_id="safelives-dash")


def answers_with_yes(count: int) -> dict[int, str]:
    return {number: "yes" if number <= count else "no" for number in range(1, 25)}


def criteria_for(
    *,
    yes_count: int = 0,
    settings: MaracSettings | None = None,
    professional_judgement_high: bool = False,
    professional_judgement_reasons: str = "",
    incident_dates: list[date] | None = None,
    previous_marac_referral_dates: list[date] | None = None,
) -> list[MaracCriterion]:
    return marac_referral_criteria(
        yes_count=yes_count,
        settings=settings or MaracSettings(),
        professional_judgement_high=professional_judgement_high,
        professional_judgement_reasons=professional_judgement_reasons,
        incident_dates=incident_dates or [],
        assessed_on=ASSESSED_ON,
        previous_marac_referral_dates=previous_marac_referral_dates or [],
    )


def days_before_assessment(*days: int) -> list[date]:
    return [ASSESSED_ON - timedelta(days=day) for day in days]


def read_broken_copy(tmp_path: Path, *, source: Path, old: str, new: str) -> InstrumentDataError:
    text = source.read_text(encoding="utf-8")
    assert old in text, "the edit must change the copy"
    path = tmp_path / source.name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(InstrumentDataError) as raised:
        instrument_file_read(path=path)
    return raised.value


# The checklist's score


def test_it_counts_only_yes_answers_and_leaves_unanswered_questions_out() -> None:
    # dash: the score is the number of yes answers; not known and unanswered are not yes.
    answers = {1: "yes", 2: "no", 3: "not-known", 4: "yes"}

    assert dash_yes_count(instrument=dash(), answers=answers) == 2
    assert dash_yes_count(instrument=dash(), answers={}) == 0
    assert dash_yes_count(instrument=dash(), answers=answers_with_yes(24)) == 24


@pytest.mark.parametrize("number", [25, 0, -1])
def test_it_refuses_an_answer_to_a_question_the_checklist_does_not_have(number: int) -> None:
    # dash: the checklist has questions 1 to 24 only.
    with pytest.raises(ValueError, match=rf"question {number} is not one of the 24 questions"):
        dash_yes_count(instrument=dash(), answers={1: "yes", number: "yes"})


def test_it_refuses_an_answer_that_is_not_one_of_the_options() -> None:
    # dash: each question is answered yes, no or not known, nothing else.
    with pytest.raises(
        ValueError, match=r"question 7: 'maybe' is not one of the answers"
    ) as raised:
        dash_yes_count(instrument=dash(), answers={7: "maybe"})

    assert "yes, no, not-known" in str(raised.value)


def test_it_refuses_to_count_answers_for_a_summary_judgement_instrument() -> None:
    # dash: a licensed tool is recorded by summary judgements, so it has no answers to count.
    with pytest.raises(ValueError, match="sara-v3 is a summary-judgement"):
        dash_yes_count(instrument=instrument_get(instrument_id="sara-v3"), answers={1: "yes"})


# Visible high risk


def test_it_meets_visible_high_risk_at_14_yes_answers_but_not_13_by_default() -> None:
    # dash: SafeLives' default MARAC threshold is 14 yes answers.
    thirteen = dash_yes_count(instrument=dash(), answers=answers_with_yes(13))
    fourteen = dash_yes_count(instrument=dash(), answers=answers_with_yes(14))

    assert criteria_for(yes_count=thirteen) == []
    assert criteria_for(yes_count=fourteen) == [MaracCriterion.VISIBLE_HIGH_RISK]
    assert risk_level(criteria=criteria_for(yes_count=thirteen)) == "standard"
    assert risk_level(criteria=criteria_for(yes_count=fourteen)) == "high"


def test_it_uses_a_service_threshold_of_17_where_the_area_sets_one() -> None:
    # dash: the threshold is a per-service setting; some areas use 17.
    settings = MaracSettings(visible_high_risk_threshold=17)

    assert criteria_for(yes_count=16, settings=settings) == []
    assert criteria_for(yes_count=17, settings=settings) == [MaracCriterion.VISIBLE_HIGH_RISK]


@pytest.mark.parametrize("threshold", [0, 25])
def test_it_refuses_a_threshold_outside_the_checklist(threshold: int) -> None:
    # dash: a threshold must be reachable and meaningful: between 1 and the 24 questions.
    with pytest.raises(ValueError, match="visible_high_risk_threshold must be between 1 and 24"):
        MaracSettings(visible_high_risk_threshold=threshold)


def test_it_accepts_the_threshold_at_either_end_of_the_checklist() -> None:
    # dash: 1 and 24 are the boundaries of a valid threshold.
    assert MaracSettings(visible_high_risk_threshold=1).visible_high_risk_threshold == 1
    assert MaracSettings(visible_high_risk_threshold=24).visible_high_risk_threshold == 24


@pytest.mark.parametrize(
    ("setting", "value", "message"),
    [
        ("escalation_incidents", 1, "escalation_incidents must be at least 2"),
        ("escalation_window_days", 0, "escalation_window_days must be at least 1 day"),
        ("repeat_window_days", 0, "repeat_window_days must be at least 1 day"),
    ],
)
def test_it_refuses_settings_that_cannot_describe_a_pattern(
    setting: str, value: int, message: str
) -> None:
    # dash: escalation needs more than one incident and windows need at least a day.
    with pytest.raises(ValueError, match=message):
        MaracSettings(**{setting: value})


@pytest.mark.parametrize("yes_count", [-1, 25])
def test_it_refuses_a_yes_count_the_checklist_cannot_give(yes_count: int) -> None:
    # dash: the score runs from 0 to the 24 questions.
    with pytest.raises(ValueError, match="yes_count must be between 0 and 24"):
        criteria_for(yes_count=yes_count)


# Professional judgement


def test_it_raises_a_standard_result_to_high_on_professional_judgement_with_reasons() -> None:
    # dash: the checklist is insufficient alone, so judgement can refer below the threshold.
    criteria = criteria_for(
        yes_count=9,
        professional_judgement_high=True,
        professional_judgement_reasons="Recent non-fatal strangulation and threats to kill.",
    )

    assert criteria == [MaracCriterion.PROFESSIONAL_JUDGEMENT]
    assert risk_level(criteria=criteria) == "high"


@pytest.mark.parametrize("reasons", ["", "   \n\t"])
def test_it_refuses_a_professional_judgement_of_high_without_written_reasons(reasons: str) -> None:
    # dash: professional judgement requires written reasons.
    with pytest.raises(ValueError, match="professional_judgement_reasons"):
        criteria_for(professional_judgement_high=True, professional_judgement_reasons=reasons)


def test_it_never_lowers_visible_high_risk_on_professional_judgement() -> None:
    # dash: judgement raises the level and never lowers it; there is no input that lowers it.
    criteria = criteria_for(
        yes_count=15,
        professional_judgement_high=False,
        professional_judgement_reasons="I think the risk is standard: they have separated.",
    )

    assert criteria == [MaracCriterion.VISIBLE_HIGH_RISK]
    assert risk_level(criteria=criteria) == "high"


# Potential escalation


def test_it_meets_potential_escalation_at_3_incidents_in_the_year_but_not_2() -> None:
    # dash: 3 or more incidents in 12 months by default.
    assert criteria_for(incident_dates=days_before_assessment(0, 100)) == []
    assert criteria_for(incident_dates=days_before_assessment(0, 100, 200)) == [
        MaracCriterion.POTENTIAL_ESCALATION
    ]


def test_it_counts_an_incident_exactly_365_days_before_but_not_366() -> None:
    # dash: the escalation window ends on the assessment day and includes both ends.
    assert criteria_for(incident_dates=days_before_assessment(0, 10, 365)) == [
        MaracCriterion.POTENTIAL_ESCALATION
    ]
    assert criteria_for(incident_dates=days_before_assessment(0, 10, 366)) == []


def test_it_uses_a_service_escalation_window_of_180_days() -> None:
    # dash: the escalation window is configurable per service.
    settings = MaracSettings(escalation_window_days=180)

    assert criteria_for(settings=settings, incident_dates=days_before_assessment(0, 10, 180)) == [
        MaracCriterion.POTENTIAL_ESCALATION
    ]
    assert criteria_for(settings=settings, incident_dates=days_before_assessment(0, 10, 181)) == []


def test_it_uses_a_service_count_of_incidents_for_escalation() -> None:
    # dash: the number of incidents is configurable per service.
    settings = MaracSettings(escalation_incidents=4)

    assert criteria_for(settings=settings, incident_dates=days_before_assessment(0, 1, 2)) == []


def test_it_leaves_incidents_after_the_assessment_out() -> None:
    # dash: an assessment judges what had happened by the day it was made.
    later = [ASSESSED_ON + timedelta(days=1), ASSESSED_ON + timedelta(days=2)]

    assert criteria_for(incident_dates=[ASSESSED_ON, *later]) == []


# Repeat referral


def test_it_meets_repeat_referral_for_an_incident_inside_the_year_after_a_referral() -> None:
    # dash: any new incident within 12 months of a previous MARAC referral.
    referral = date(2025, 9, 1)

    assert criteria_for(
        incident_dates=[date(2026, 2, 1)], previous_marac_referral_dates=[referral]
    ) == [MaracCriterion.REPEAT_REFERRAL]


def test_it_meets_repeat_referral_for_an_incident_365_days_after_a_referral_but_not_366() -> None:
    # dash: the repeat window includes its last day.
    at_edge = ASSESSED_ON
    referral = at_edge - timedelta(days=365)

    assert criteria_for(incident_dates=[at_edge], previous_marac_referral_dates=[referral]) == [
        MaracCriterion.REPEAT_REFERRAL
    ]
    assert (
        criteria_for(
            incident_dates=[at_edge], previous_marac_referral_dates=[referral - timedelta(days=1)]
        )
        == []
    )


def test_it_does_not_count_an_incident_before_or_on_the_day_of_the_referral_as_repeat() -> None:
    # dash: a repeat is a new incident after the referral, not the one that was referred.
    referral = date(2025, 12, 1)

    assert (
        criteria_for(
            incident_dates=[date(2025, 11, 30), referral], previous_marac_referral_dates=[referral]
        )
        == []
    )


def test_it_uses_a_service_repeat_window() -> None:
    # dash: the repeat window is configurable per service.
    referral = ASSESSED_ON - timedelta(days=200)
    settings = MaracSettings(repeat_window_days=180)

    assert (
        criteria_for(
            settings=settings,
            incident_dates=[ASSESSED_ON],
            previous_marac_referral_dates=[referral],
        )
        == []
    )


def test_it_lists_every_criterion_met_in_a_stable_order() -> None:
    # dash: meeting any criterion is a referral; the list says why, in the order of the rule.
    criteria = criteria_for(
        yes_count=20,
        professional_judgement_high=True,
        professional_judgement_reasons="Escalating stalking after separation.",
        incident_dates=days_before_assessment(1, 2, 3),
        previous_marac_referral_dates=days_before_assessment(30),
    )

    assert criteria == list(MaracCriterion)
    assert [criterion.label for criterion in criteria] == [
        "Visible high risk (DASH yes answers at the threshold)",
        "Professional judgement of high risk",
        "Potential escalation",
        "Repeat referral",
    ]


# The instruments as data


def test_it_ships_the_dash_checklist_with_24_questions_numbered_1_to_24() -> None:
    # dash: the SafeLives checklist has 24 questions answered yes, no or not known.
    instrument = dash()

    assert [question.number for question in instrument.questions] == list(range(1, 25))
    assert instrument.answer_ids == ("yes", "no", "not-known")
    assert instrument.counts_answer == "yes"
    assert (instrument.kind, instrument.publisher, instrument.licensed) == (
        InstrumentKind.ITEM_CHECKLIST,
        "SafeLives",
        False,
    )
    assert instrument.source


def test_it_lists_every_shipped_instrument_and_names_an_unknown_one() -> None:
    # dash: instruments are data, so a service can add another recognised tool as a file.
    assert [instrument.id for instrument in instrument_list()] == ["safelives-dash", "sara-v3"]
    with pytest.raises(LookupError, match="no instrument 'odara'"):
        instrument_get(instrument_id="odara")


def test_it_keeps_no_item_text_for_the_licensed_sara() -> None:
    # dash: licensed tools such as SARA are recorded as summary judgements, not item text.
    sara = instrument_get(instrument_id="sara-v3")
    document = yaml.safe_load(SARA_FILE.read_text(encoding="utf-8"))

    assert (sara.kind, sara.licensed, sara.questions) == (
        InstrumentKind.SUMMARY_JUDGEMENT,
        True,
        (),
    )
    assert not {"questions", "answer_options", "scoring", "question_count"} & set(document)
    assert [judgement.levels for judgement in sara.judgements] == [("low", "medium", "high")] * 3


@pytest.mark.parametrize(
    ("old", "new", "item", "field"),
    [
        (
            "  - number: 5\n    topic: Depressed or suicidal thoughts\n    text: null",
            "  - number: 5\n    topic: Depressed or suicidal thoughts\n    text: 7",
            "question 5",
            "text",
        ),
        (
            "  - number: 5\n    topic: Depressed or suicidal thoughts\n    text: null",
            "  - number: 5\n    topic: Depressed or suicidal thoughts",
            "question 5",
            "text",
        ),
        (
            "  - number: 5\n    topic: Depressed or suicidal thoughts\n",
            "  - number: 5\n",
            "question 5",
            "topic",
        ),
        ("  - number: 5\n", "  - number: 6\n", "question 6", "number"),
        ('counts_answer: "yes"', 'counts_answer: "maybe"', "scoring", "counts_answer"),
        # Unquoted, YAML reads yes as true: the schema catches it.
        ('counts_answer: "yes"', "counts_answer: yes", "scoring", "counts_answer"),
        ('  - id: "no"\n', '  - id: "yes"\n', "answer option yes", "id"),
        ("publisher: SafeLives\n", "", "instrument", "publisher"),
        (
            "  - number: 24\n    topic: Trouble with the police or criminal history\n    text: null\n",
            "",
            "instrument",
            "questions",
        ),
        ("licensed: false", "licensed: true", "instrument", "kind"),
    ],
)
def test_it_refuses_a_malformed_checklist_naming_file_item_and_field(
    tmp_path: Path, old: str, new: str, item: str, field: str
) -> None:
    # dash: a bad instrument file is refused whole, saying where the problem is.
    error = read_broken_copy(tmp_path, source=DASH_FILE, old=old, new=new)

    assert (error.file, error.item, error.field) == ("dash-2009.yaml", item, field)
    assert str(error).startswith(f"dash-2009.yaml: {item}: field '{field}': ")


def test_it_refuses_item_text_in_a_summary_judgement_instrument(tmp_path: Path) -> None:
    # dash: a licensed tool's item text is never stored.
    error = read_broken_copy(
        tmp_path,
        source=SARA_FILE,
        old="judgements:\n",
        new="questions:\n  - number: 1\n    topic: An item\n    text: An item.\njudgements:\n",
    )

    assert (error.file, error.item, error.field) == ("sara-v3.yaml", "instrument", "questions")
    assert "stores no item text" in error.problem


def test_it_refuses_a_file_that_is_not_yaml(tmp_path: Path) -> None:
    # dash: a broken file is named, not half-read.
    error = read_broken_copy(tmp_path, source=DASH_FILE, old="schema: 1\n", new="schema: [1\n")

    assert (error.file, error.item) == ("dash-2009.yaml", "(file)")
    assert "not valid YAML" in error.problem


def test_it_refuses_two_files_for_the_same_instrument(tmp_path: Path) -> None:
    # dash: an instrument id names one instrument; a new version is a new id or a changed file.
    text = DASH_FILE.read_text(encoding="utf-8")
    (tmp_path / "a-dash.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "b-dash.yaml").write_text(text, encoding="utf-8")

    with pytest.raises(InstrumentDataError) as raised:
        instruments_read(directory=tmp_path)

    assert (raised.value.file, raised.value.item, raised.value.field) == (
        "b-dash.yaml",
        "instrument",
        "id",
    )
    assert "already defined in a-dash.yaml" in raised.value.problem


def test_it_reports_the_first_problem_in_file_order(tmp_path: Path) -> None:
    # dash: with several problems, the one nearest the top of the file is named first.
    text = DASH_FILE.read_text(encoding="utf-8")
    for number in (10, 2):
        text = re.sub(rf"(  - number: {number}\n    topic: [^\n]+\n    text:) null", r"\1 0", text)
    path = tmp_path / "dash-2009.yaml"
    path.write_text(text, encoding="utf-8")

    with pytest.raises(InstrumentDataError) as raised:
        instrument_file_read(path=path)

    assert (raised.value.item, raised.value.field) == ("question 2", "text")
