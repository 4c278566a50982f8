"""Subject access review: before his export (`tandem.cases.subject_access`) is released to him, the
other people it names are listed for a person to review, and the release records who confirmed
that review.

The export is built from a whitelist of his side's fields (NE 5.2), yet those fields hold what
staff wrote: a note can name his partner or a child, and "Your worker" and "Referred by" name
staff and referrers. UK GDPR Art. 15(4) and DPA 2018 Sch. 2 para 16: information about another
person is released only with their consent or where reasonable, so a person decides, item by
item; Tandem finds the items.
"""

import re
from dataclasses import asdict, dataclass
from datetime import datetime

from django.contrib.auth.models import User
from django.db import transaction

from tandem.access.permissions import refuse_unless_permitted
from tandem.audit.models import AuditEvent
from tandem.audit.services import audit_event_record
from tandem.cases.models import Child, ContactNote, PerpetratorCase, RiskAssessment
from tandem.cases.rules import EXPORT_SUBJECT_ACCESS
from tandem.cases.subject_access import Export
from tandem.dataprotection.models import SubjectAccessRelease
from tandem.lib.errors import ActionRefused
from tandem.support.models import Survivor

# Fields that name someone else by what they are, whatever they hold.
NAMED_BY_FIELD = {
    ("Your details", "Your worker"): "staff member",
    ("Referral", "Referred by"): "referrer",
}
NOTE_MAX = 2000


@dataclass(frozen=True)
class ThirdPartyItem:
    """One place in the export that names someone else: the section, the record's number in a
    list section (from 1; none in a section of fields), the field, who they are, and the name."""

    section: str
    record: int | None
    field: str
    person: str
    name: str

    def for_the_record(self) -> dict[str, object]:
        """Kept with the release: where and who, not the name itself."""
        kept = asdict(self)
        del kept["name"]
        return kept


def _names_around(case: PerpetratorCase) -> list[tuple[str, str]]:
    """(kind, name) of the other people connected to his case, each name at least two letters."""
    people: list[tuple[str, str]] = []
    for survivor in Survivor.objects.filter(links__perpetrator_case=case):
        people += [("survivor", survivor.first_name), ("survivor", survivor.last_name)]
    for child in Child.objects.filter(case=case):
        people += [("child", child.first_name), ("child", child.last_name)]
    staff_ids = {case.allocated_worker_id, case.created_by_id}
    staff_ids |= set(ContactNote.objects.filter(case=case).values_list("recorded_by", flat=True))
    staff_ids |= set(RiskAssessment.objects.filter(case=case).values_list("assessed_by", flat=True))
    for user in User.objects.filter(pk__in=staff_ids - {None}):
        people += [("staff member", user.first_name), ("staff member", user.last_name)]
    if case.referrer_name:
        people += [("referrer", part) for part in case.referrer_name.split()]
    own = {case.first_name.casefold(), case.last_name.casefold()}
    return [
        (kind, name)
        for kind, name in dict.fromkeys(people)
        if len(name.strip(".")) >= 2 and name.casefold() not in own
    ]


def subject_access_third_parties(*, case: PerpetratorCase, export: Export) -> list[ThirdPartyItem]:
    """Every field of the export that names another person: by what the field is (his worker,
    his referrer), or by a name of someone connected to his case found in its text."""
    patterns = [
        (kind, name, re.compile(rf"(?<!\w){re.escape(name)}(?!\w)", re.IGNORECASE))
        for kind, name in _names_around(case)
    ]
    items: list[ThirdPartyItem] = []
    for section, content in export.items():
        records = content if isinstance(content, list) else [content]
        for number, record in enumerate(records, start=1):
            position = number if isinstance(content, list) else None
            for field, value in record.items():
                if not value:
                    continue
                if (section, field) in NAMED_BY_FIELD:
                    items.append(
                        ThirdPartyItem(
                            section, position, field, NAMED_BY_FIELD[section, field], value
                        )
                    )
                    continue
                for kind, name, pattern in patterns:
                    if pattern.search(value):
                        items.append(ThirdPartyItem(section, position, field, kind, name))
    return items


@transaction.atomic
def subject_access_release(
    *,
    case: PerpetratorCase,
    export: Export,
    third_parties_reviewed: bool,
    review_note: str,
    actor: User,
    now: datetime,
) -> SubjectAccessRelease:
    """Record that his export is released, by a senior manager of the service who confirms that
    each third-party item listed was reviewed. Refused without that confirmation."""
    refuse_unless_permitted(
        actor=actor,
        permission=EXPORT_SUBJECT_ACCESS,
        target=case,
        refusal="only a senior manager of the service releases his data",
    )
    items = subject_access_third_parties(case=case, export=export)
    if items and not third_parties_reviewed:
        raise ActionRefused(
            f"Confirm that each of the {len(items)} third-party item(s) listed was reviewed "
            "(removed, or kept with consent or where reasonable) before his data is released",
            field="third_parties_reviewed",
        )
    review_note = review_note.strip()
    if len(review_note) > NOTE_MAX:
        raise ActionRefused(
            f"The review note must be {NOTE_MAX} characters or fewer", field="review_note"
        )
    release = SubjectAccessRelease.objects.create(
        case=case,
        released_by=actor,
        released_at=now,
        third_party_items=[item.for_the_record() for item in items],
        review_note=review_note,
    )
    audit_event_record(
        actor=actor,
        action=AuditEvent.Action.EXPORTED,
        target=case,
        summary=f"subject access: released after review of {len(items)} third-party item(s)",
    )
    return release
