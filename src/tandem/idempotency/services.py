"""Doing a write once however often it is sent (issue 12): a double-clicked form, or an API
client retrying after a timeout, gets the first answer instead of a second record.

`write_once` reserves the key (person, route, key) in the transaction that does the write, so a
repeat sent at the same moment waits for the first and then finds its answer; a key is kept
for `KEPT_FOR`, then forgotten (and its stored answer deleted)."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import TypeVar

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone

from tandem.idempotency.models import IdempotencyKey

KEPT_FOR = timedelta(hours=24)
# The longest key accepted (the column's length).
KEY_MAX_LENGTH = 255

Result = TypeVar("Result")


@dataclass(frozen=True)
class Answer:
    """What a write answered, to answer a repeat of it the same way."""

    status: int
    body: str = ""
    content_type: str = ""
    location: str = ""


class AlreadyDone(Exception):
    """The write was done before under this key: `answer` is what it answered then."""

    def __init__(self, answer: Answer) -> None:
        super().__init__("already done under this key")
        self.answer = answer


class KeyReused(Exception):
    """The key was used before for a different request on this route."""


def _answer_of(earlier: IdempotencyKey) -> Answer:
    return Answer(
        status=earlier.status or 0,
        body=earlier.body,
        content_type=earlier.content_type,
        location=earlier.location,
    )


def _earlier(*, user: User, route: str, key: str, fingerprint: str) -> None:
    """Raise what a repeat of an earlier write under this key gets; nothing if there is none
    (or it is older than `KEPT_FOR`, when it is forgotten)."""
    earlier = IdempotencyKey.objects.filter(user=user, route=route, key=key).first()
    if earlier is None:
        return
    if earlier.created_at < timezone.now() - KEPT_FOR:
        earlier.delete()
        return
    if earlier.request_fingerprint != fingerprint:
        raise KeyReused
    raise AlreadyDone(_answer_of(earlier))


def already_done(*, user: User, route: str, key: str, fingerprint: str = "") -> Answer | None:
    """The first answer, when this write was done before under this key (raises `KeyReused`
    when it was a different request)."""
    try:
        _earlier(user=user, route=route, key=key, fingerprint=fingerprint)
    except AlreadyDone as first:
        return first.answer
    return None


def write_once(
    *,
    user: User,
    route: str,
    key: str,
    fingerprint: str = "",
    write: Callable[[], Result],
    answer: Callable[[Result], Answer | None],
) -> Result:
    """Do `write` once for this person, route and key, and keep its `answer` (None: nothing to
    keep, the key is released, as when the write was refused). A repeat raises `AlreadyDone`
    with the first answer, or `KeyReused` when its `fingerprint` (of the request) differs."""
    now = timezone.now()
    with transaction.atomic():
        _earlier(user=user, route=route, key=key, fingerprint=fingerprint)
        try:
            with transaction.atomic():
                reserved = IdempotencyKey.objects.create(
                    user=user,
                    route=route,
                    key=key,
                    request_fingerprint=fingerprint,
                    created_at=now,
                )
        except IntegrityError:
            # Sent again at the same moment: the first has committed by now (its reservation
            # held this one back until then), so its answer is there to give.
            _earlier(user=user, route=route, key=key, fingerprint=fingerprint)
            raise
        result = write()
        given = answer(result)
        if given is None:
            reserved.delete()
        else:
            reserved.status = given.status
            reserved.body = given.body
            reserved.content_type = given.content_type
            reserved.location = given.location
            reserved.save(update_fields=["status", "body", "content_type", "location"])
        # Forget the keys older than a day, a bounded batch at a time.
        expired = IdempotencyKey.objects.filter(created_at__lt=now - KEPT_FOR)
        IdempotencyKey.objects.filter(
            pk__in=list(expired.values_list("pk", flat=True)[:100])
        ).delete()
    return result
