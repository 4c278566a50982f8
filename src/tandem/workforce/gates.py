"""The workforce's gates on other apps' actions, one function per rule in rules.md section 5.

A gate returns a refusal message (naming the person and the rule) or None when it passes.
Allocation of cases (tandem.cases, tandem.support) and of sessions (tandem.delivery) call them.
"""

from datetime import date

from django.contrib.auth.models import User
from django.utils.formats import date_format

from tandem.lib.calendar import Jurisdiction
from tandem.lib.people import person_name
from tandem.organisations.models import Service
from tandem.workforce.deadlines import criminal_record_check_renewal_due
from tandem.workforce.models import SCHEME_FOR_JURISDICTION, CriminalRecordCheck


def allocation_refusal(*, user: User, service: Service, on: date) -> str | None:
    """Rule dbs (R22 A3.3, R08 A4.3, WG 12): nobody is allocated cases or sessions without a
    current criminal record check of the scheme of the service's jurisdiction (DBS, Disclosure
    Scotland or AccessNI), issued on or before `on` and less than 3 years before it."""
    scheme = SCHEME_FOR_JURISDICTION[Jurisdiction(service.jurisdiction)]
    # The oldest issue date still current on `on`: exactly 3 years before is no longer current.
    latest = (
        CriminalRecordCheck.objects.filter(
            worker__user=user,
            worker__organisation_id=service.organisation_id,
            scheme=scheme,
            issued_on__lte=on,
        )
        .order_by("-issued_on")
        .values_list("issued_on", flat=True)
        .first()
    )
    if latest is not None and on < criminal_record_check_renewal_due(issued_on=latest):
        return None
    if latest is None:
        reason = f"has no {scheme.label} check on file"
    else:
        reason = (
            f"has no current {scheme.label} check: the last, issued "
            f"{date_format(latest, 'j M Y')}, was due for renewal on "
            f"{date_format(criminal_record_check_renewal_due(issued_on=latest), 'j M Y')}"
        )
    return (
        f"{person_name(user)} {reason}; a worker without a current criminal record check cannot be "
        "allocated cases or sessions (rule dbs: renewed every 3 years)"
    )
