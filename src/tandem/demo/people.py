"""Synthetic people: first names from short lists, surnames such as "Example" and
"Testington", phone numbers in Ofcom's drama range (07700 900xxx), emails at example.invalid.
Who a referral is about is fixed before any dates are: a re-referral reuses it."""

import random
from dataclasses import dataclass
from datetime import date, timedelta

from tandem.cases.models import ReferralSource
from tandem.cases.services.intake import SurvivorDetails
from tandem.demo.dates import years_before
from tandem.support.models import Relationship

PERPETRATOR_FIRST_NAMES = [
    "Adam",
    "Ben",
    "Carl",
    "Dan",
    "Ed",
    "Frank",
    "Gary",
    "Harry",
    "Ian",
    "Jack",
    "Karl",
    "Liam",
    "Mark",
    "Neil",
    "Owen",
    "Paul",
    "Rob",
    "Sean",
    "Tom",
    "Will",
]
SURVIVOR_FIRST_NAMES = [
    "Alice",
    "Beth",
    "Clare",
    "Dawn",
    "Emma",
    "Fay",
    "Gemma",
    "Hannah",
    "Isla",
    "Jo",
    "Kate",
    "Lucy",
    "Mia",
    "Nina",
    "Olivia",
    "Pam",
    "Rose",
    "Sara",
    "Tina",
    "Zoe",
]
CHILD_FIRST_NAMES = [
    "Alex",
    "Bailey",
    "Casey",
    "Drew",
    "Eden",
    "Frankie",
    "Harley",
    "Jamie",
    "Jordan",
    "Kit",
    "Logan",
    "Morgan",
    "Quinn",
    "Riley",
    "Sky",
]
SURNAMES = [
    "Example",
    "Sample",
    "Testington",
    "Demo",
    "Placeholder",
    "Fictional",
    "Specimen",
    "Exampleton",
    "Samplewood",
    "Testwell",
    "Mockley",
    "Notreal",
    "Dummyfield",
    "Madeup",
    "Pretendly",
]
REFERRERS = (
    ("Example Constabulary (synthetic)", "police"),
    ("Example Council Children's Services (synthetic)", "childrens-services"),
    ("Example Probation Delivery Unit (synthetic)", "probation"),
    ("Example Health Centre (synthetic)", "health-centre"),
    ("Example Housing Association (synthetic)", "housing"),
)


@dataclass
class Identity:
    """Who the referral is about, fixed before any dates are: a re-referral reuses it."""

    first_name: str
    last_name: str
    phone: str
    source: ReferralSource
    referrer: tuple[str, str, str]  # name, organisation, contact
    survivors: list[SurvivorDetails]
    has_children: bool


class Phones:
    """Numbers from Ofcom's drama range, each used once."""

    def __init__(self, rng: random.Random) -> None:
        self._free = list(range(1000))
        rng.shuffle(self._free)

    def next(self) -> str:
        return f"07700 900{self._free.pop():03d}"


def synthetic_identity(rng: random.Random, phones: Phones, today: date) -> Identity:
    last_name = rng.choice(SURNAMES)
    source = ReferralSource.AGENCY if rng.random() < 0.75 else ReferralSource.SELF
    referrer = ("", "", "")
    if source == ReferralSource.AGENCY:
        organisation, slug = rng.choice(REFERRERS)
        name = (
            f"{rng.choice(SURVIVOR_FIRST_NAMES + PERPETRATOR_FIRST_NAMES)} {rng.choice(SURNAMES)}"
        )
        referrer = (f"{name} (synthetic)", organisation, f"referrals@{slug}.example.invalid")
    count = rng.choices([1, 2, 3], weights=[58, 35, 7])[0]
    if count == 1:
        partner = [Relationship.CURRENT_PARTNER, Relationship.EX_PARTNER]
        relationships = rng.choices(partner, weights=[55, 45])
    elif count == 2:
        relationships = rng.choice(
            [
                [Relationship.CURRENT_PARTNER, Relationship.EX_PARTNER],
                [Relationship.NEW_PARTNER, Relationship.EX_PARTNER],
            ]
        )
    else:
        relationships = [
            Relationship.CURRENT_PARTNER,
            Relationship.EX_PARTNER,
            Relationship.FAMILY_MEMBER,
        ]
    survivors = []
    for relationship in relationships:
        first_name = rng.choice(SURVIVOR_FIRST_NAMES)
        survivor_last_name = last_name if rng.random() < 0.3 else rng.choice(SURNAMES)
        email = ""
        if rng.random() < 0.35:
            email = f"{first_name}.{survivor_last_name}{rng.randint(1, 99)}@example.invalid"
        born = None
        if rng.random() < 0.75:
            born = years_before(today, rng.randint(19, 60)) - timedelta(days=rng.randint(0, 364))
        survivors.append(
            SurvivorDetails(
                first_name,
                survivor_last_name,
                relationship,
                phone=phones.next(),
                email=email.lower(),
                date_of_birth=born,
            )
        )
    return Identity(
        first_name=rng.choice(PERPETRATOR_FIRST_NAMES),
        last_name=last_name,
        phone=phones.next() if rng.random() < 0.8 else "",
        source=source,
        referrer=referrer,
        survivors=survivors,
        has_children=rng.random() < 0.6,
    )
