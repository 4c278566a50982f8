"""How she can safely be reached: her preferences, her address and her numbers and emails, and
the one check (`assert_safe_to_send`) every way of reaching her goes through."""

import re
from datetime import datetime

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from tandem.audit.services import audit_event_record
from tandem.lib.errors import ActionRefused
from tandem.support.contact_values import contact_value_index
from tandem.support.models import (
    ContactMethod,
    ContactPoint,
    ContactPointKind,
    IssCase,
    SafeContactPreference,
    Survivor,
    SurvivorAddress,
    SurvivorLink,
)
from tandem.support.selectors import normalised_contact_value
from tandem.support.services.iss_cases import iss_case_lock, iss_case_save_with_version


@transaction.atomic
def safe_contact_preferences_set(
    *,
    iss_case: IssCase,
    actor: User,
    expected_version: int,
    preferred_methods: list[str],
    unsafe_methods: list[str],
    safe_times: str,
    notes: str,
) -> SafeContactPreference:
    """How and when she can safely be contacted, as she has told the ISS. Shown wherever someone
    is about to contact her; a method she calls unsafe is refused by `assert_safe_to_send`."""
    iss_case = iss_case_lock(iss_case=iss_case, expected_version=expected_version)
    for field_name, methods in (
        ("preferred_methods", preferred_methods),
        ("unsafe_methods", unsafe_methods),
    ):
        unknown = sorted(set(methods) - set(ContactMethod.values))
        if unknown:
            raise ActionRefused(f"unknown contact method: {', '.join(unknown)}", field=field_name)
    both = [
        method
        for method in ContactMethod
        if method in preferred_methods and method in unsafe_methods
    ]
    if both:
        raise ActionRefused(
            "a method cannot be both preferred and unsafe: "
            + ", ".join(method.label.lower() for method in both),
            field="unsafe_methods",
        )
    preference, _ = SafeContactPreference.objects.update_or_create(
        survivor=iss_case.survivor,
        defaults={
            "preferred_methods": [m for m in ContactMethod.values if m in preferred_methods],
            "unsafe_methods": [m for m in ContactMethod.values if m in unsafe_methods],
            "safe_times": safe_times.strip(),
            "notes": notes.strip(),
        },
    )
    iss_case_save_with_version(iss_case)
    # What she said about contacting her stays out of the trail, like her contact details.
    audit_event_record(
        actor=actor,
        action="changed",
        target=iss_case,
        summary="safe-contact preferences changed",
    )
    return preference


_UK_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})$")


@transaction.atomic
def survivor_address_change(
    *,
    survivor: Survivor,
    actor: User,
    expected_version: int,
    lines: str,
    postcode: str,
    source: str,
    confirmed_with_survivor: bool,
    known_to_perpetrator: bool = False,
    now: datetime | None = None,
) -> SurvivorAddress:
    """Her new address, only once confirmed with her and with its source recorded. The address
    she left becomes unsafe: it may be known to him, and she no longer receives post there.
    `expected_version` is her ISS case's."""
    now = now or timezone.now()
    iss_case = iss_case_lock(iss_case=survivor.iss_case, expected_version=expected_version)
    if not lines.strip():
        raise ActionRefused("enter the address", field="lines")
    postcode_match = _UK_POSTCODE.match(" ".join(postcode.upper().split()))
    if postcode_match is None:
        raise ActionRefused("enter a UK postcode, like AA1 1AA", field="postcode")
    if not source.strip():
        raise ActionRefused(
            "say where the new address came from, e.g. she told her ISS worker", field="source"
        )
    if not confirmed_with_survivor:
        raise ActionRefused(
            "confirm the new address with her before recording it",
            field="confirmed_with_survivor",
        )
    previous = (
        SurvivorAddress.objects.select_for_update().filter(survivor=survivor, current=True).first()
    )
    if previous is not None:
        previous.current = False
        if not previous.unsafe:
            previous.unsafe = True
            previous.unsafe_reason = (
                f"she moved away: a new address was recorded on {timezone.localdate(now):%d %b %Y}"
            )
        previous.save()
    address = SurvivorAddress.objects.create(
        survivor=survivor,
        lines=lines.strip(),
        postcode=" ".join(postcode_match.groups()),
        current=True,
        source=source.strip(),
        confirmed_with_survivor_at=now,
        known_to_perpetrator=known_to_perpetrator,
        recorded_by=actor,
        recorded_at=now,
    )
    iss_case_save_with_version(iss_case)
    audit_event_record(
        actor=actor,
        action="changed",
        target=survivor,
        summary="address changed"
        + (": previous address flagged unsafe" if previous is not None else ""),
    )
    return address


def _matching_contact_points(*, survivor: Survivor, kind: str, value: str) -> list[ContactPoint]:
    """Her records of this number or email, however it is written (by its blind index)."""
    index = contact_value_index(kind=kind, value=value)
    if not index:
        return []
    return list(ContactPoint.objects.filter(survivor=survivor, kind=kind, value_index=index))


@transaction.atomic
def contact_point_record(
    *,
    survivor: Survivor,
    actor: User,
    expected_version: int,
    kind: str,
    value: str,
    unsafe: bool,
    unsafe_reason: str,
    known_to_perpetrator: bool,
    now: datetime | None = None,
) -> ContactPoint:
    """Record one of her phone numbers or emails, or mark one unsafe or known to him.

    Marks only ever go on: once a number is unsafe or known to him it stays so, and she is
    reached on a new one instead. `expected_version` is her ISS case's."""
    now = now or timezone.now()
    iss_case = iss_case_lock(iss_case=survivor.iss_case, expected_version=expected_version)
    if kind not in ContactPointKind.values:
        raise ActionRefused("choose phone number or email address", field="kind")
    value = value.strip()
    if kind == ContactPointKind.PHONE and len(
        normalised_contact_value(kind=kind, value=value).lstrip("+")
    ) not in range(10, 16):
        raise ActionRefused("enter a phone number, like 07700 900 982", field="value")
    if kind == ContactPointKind.EMAIL:
        try:
            validate_email(value)
        except ValidationError:
            raise ActionRefused(
                "enter an email address, like name@example.invalid", field="value"
            ) from None
    if unsafe and not unsafe_reason.strip():
        raise ActionRefused("say why it is unsafe to use", field="unsafe_reason")
    matches = _matching_contact_points(survivor=survivor, kind=kind, value=value)
    if matches:
        point = matches[0]
        if unsafe:
            point.unsafe = True
            point.unsafe_reason = unsafe_reason.strip()
        point.known_to_perpetrator = point.known_to_perpetrator or known_to_perpetrator
        point.save()
    else:
        point = ContactPoint.objects.create(
            survivor=survivor,
            kind=kind,
            value=value,
            unsafe=unsafe,
            unsafe_reason=unsafe_reason.strip() if unsafe else "",
            known_to_perpetrator=known_to_perpetrator,
            recorded_by=actor,
            recorded_at=now,
        )
    iss_case_save_with_version(iss_case)
    flags = [
        label
        for flag, label in ((point.unsafe, "unsafe"), (point.known_to_perpetrator, "known to him"))
        if flag
    ]
    audit_event_record(
        actor=actor,
        action="changed",
        target=survivor,
        summary=f"{point.get_kind_display().lower()} recorded"
        + (f" ({', '.join(flags)})" if flags else ""),
    )
    return point


_SENT_TO_CONTACT_POINT = {
    ContactMethod.PHONE: ContactPointKind.PHONE,
    ContactMethod.TEXT: ContactPointKind.PHONE,
    ContactMethod.EMAIL: ContactPointKind.EMAIL,
}


def assert_safe_to_send(
    *, survivor: Survivor, method: str, destination: "str | SurvivorAddress | None"
) -> None:
    """The one check every way of reaching her goes through before anything is sent or anyone
    calls: letters to an address, calls and texts to a number, emails to an address.

    Refuses (ActionRefused, on `method` or `destination`) a method she has said is unsafe, and
    any destination marked unsafe, known to the perpetrator, his own number, not hers, not on
    her record, or an address she has left. `destination` is the number or email address for
    phone, text and email, and one of her `SurvivorAddress`es for a letter (and for an
    in-person visit at an address; a visit elsewhere needs none)."""
    if method not in ContactMethod.values:
        raise ActionRefused("choose how she is to be contacted", field="method")
    chosen = ContactMethod(method)
    safe_contact = SafeContactPreference.objects.filter(survivor=survivor).first()
    if safe_contact is not None and chosen in safe_contact.unsafe_methods:
        raise ActionRefused(
            f"she has said contact by {chosen.label.lower()} is unsafe: use another way",
            field="method",
        )
    if chosen in _SENT_TO_CONTACT_POINT:
        _assert_safe_contact_point(
            survivor=survivor, kind=_SENT_TO_CONTACT_POINT[chosen], destination=destination
        )
    elif chosen == ContactMethod.LETTER or isinstance(destination, SurvivorAddress):
        _assert_safe_address(survivor=survivor, destination=destination)


def _assert_safe_contact_point(
    *, survivor: Survivor, kind: ContactPointKind, destination: "str | SurvivorAddress | None"
) -> None:
    what = "number" if kind == ContactPointKind.PHONE else "email address"
    if not isinstance(destination, str) or not destination.strip():
        raise ActionRefused(f"give the {what} to use", field="destination")
    wanted = normalised_contact_value(kind=kind, value=destination)
    matches = _matching_contact_points(survivor=survivor, kind=kind, value=destination)
    for point in matches:
        if point.known_to_perpetrator:
            raise ActionRefused(
                f"{destination} is known to the perpetrator: never use it", field="destination"
            )
        if point.unsafe:
            raise ActionRefused(
                f"{destination} is marked unsafe ({point.unsafe_reason}): never use it",
                field="destination",
            )
    if kind == ContactPointKind.PHONE:
        his_numbers = SurvivorLink.objects.filter(survivor=survivor).values_list(
            "perpetrator_case__phone", flat=True
        )
        if wanted in {normalised_contact_value(kind=kind, value=n) for n in his_numbers if n}:
            raise ActionRefused(
                f"{destination} is the perpetrator's own number: never use it",
                field="destination",
            )
    on_her_record = survivor.phone if kind == ContactPointKind.PHONE else survivor.email
    if not matches and (
        not on_her_record or normalised_contact_value(kind=kind, value=on_her_record) != wanted
    ):
        raise ActionRefused(
            f"{destination} is not a {what} on her record: record it, and whether it is safe, "
            "before using it",
            field="destination",
        )


def _assert_safe_address(
    *, survivor: Survivor, destination: "str | SurvivorAddress | None"
) -> None:
    if not isinstance(destination, SurvivorAddress):
        raise ActionRefused("choose which of her addresses to use", field="destination")
    # Read afresh: the caller's copy may predate someone flagging the address.
    address = SurvivorAddress.objects.filter(pk=destination.pk, survivor=survivor).first()
    if address is None:
        raise ActionRefused("that address is not one of hers", field="destination")
    if address.known_to_perpetrator:
        raise ActionRefused(
            "this address is known to the perpetrator: nothing goes there", field="destination"
        )
    if address.unsafe:
        raise ActionRefused(
            f"this address is marked unsafe ({address.unsafe_reason}): nothing goes there",
            field="destination",
        )
    if not address.current:
        raise ActionRefused("she no longer lives at this address", field="destination")
