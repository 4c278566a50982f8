"""The Respect accreditation rules that stand alone (rule respect-accreditation): the narrative's
word count, the 3-year period, survivor support and the scope."""

from datetime import date

import pytest

from tandem.assurance.respect import deadlines as respect_deadlines
from tandem.assurance.respect import gates as respect_gates
from tandem.organisations.models import IssProvision, Organisation, Service


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
