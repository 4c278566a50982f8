"""What accounts keep besides Django's users and django-otp's devices."""

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import models


class SignedInSession(models.Model):
    """A session a person signed in to, recorded at sign-in, so that all of one person's
    sessions can be ended at once (sign out everywhere, a leaver deactivated) without reading
    every session. Goes when the session goes (sign-out, expiry cleared, key cycled)."""

    session = models.OneToOneField(Session, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="signed_in_sessions"
    )
    signed_in_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.user} since {self.signed_in_at:%Y-%m-%d %H:%M}"
