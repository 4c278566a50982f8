"""A write already done under a key (a form's token, an API client's `Idempotency-Key`): a repeat
of it is answered with the first answer instead of being done again."""

from django.conf import settings
from django.db import models

from tandem.lib.encryption import EncryptedTextField


class IdempotencyKey(models.Model):
    """One person's write on one route under one key. `status` is empty while it is being done.
    The answer's body is encrypted: it may hold a survivor's details, like the record it made."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    route = models.CharField(max_length=300)
    key = models.CharField(max_length=255)
    request_fingerprint = models.CharField(
        max_length=64, blank=True, help_text="SHA-256 of the request body (the API only)"
    )
    created_at = models.DateTimeField()
    status = models.PositiveSmallIntegerField(null=True, blank=True)
    body = EncryptedTextField(blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    location = models.CharField(max_length=2000, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "route", "key"], name="idempotency_key_once")
        ]
        indexes = [models.Index(fields=["created_at"], name="idempotency_key_age")]

    def __str__(self) -> str:
        return f"{self.route} under key {self.key!r}"
