"""Reads of people's accounts for the administrator's user list."""

from django.contrib.auth.models import User
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django_otp.plugins.otp_totp.models import TOTPDevice

from tandem.organisations.models import StaffMembership


def users_for_administrator(*, search: str = "") -> QuerySet[User]:
    """Every account, with its roles, current services and whether it has set up two-factor
    authentication (`enrolled`); `search` matches any part of the username, name or email."""
    users = (
        User.objects.annotate(
            enrolled=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True))
        )
        .prefetch_related(
            "groups",
            Prefetch(
                "memberships",
                queryset=StaffMembership.objects.filter(ended_on=None).select_related("service"),
                to_attr="current_memberships",
            ),
        )
        .order_by("last_name", "first_name", "username")
    )
    for word in search.split():
        users = users.filter(
            Q(username__icontains=word)
            | Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(email__icontains=word)
        )
    return users
