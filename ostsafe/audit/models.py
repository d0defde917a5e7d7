from django.conf import settings
from django.db import models

from .actions import describe


class Outcome(models.TextChoices):
    ALLOWED = "allowed", "Allowed"
    REFUSED = "refused", "Refused"


class AccessEvent(models.Model):
    """One look at (or attempt on) a family's record. Append-only: the database refuses UPDATE and DELETE.

    `household_id` is a plain integer, not a foreign key, so that the record of who looked survives anything that
    happens to the household itself.
    """

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    # No index of its own: (user, id) below serves every lookup by person.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        null=True,
        related_name="+",
    )
    household_id = models.BigIntegerField(null=True)
    action = models.CharField(max_length=80)
    path = models.CharField(max_length=500)
    method = models.CharField(max_length=10, default="GET")
    ip_address = models.GenericIPAddressField(null=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    detail = models.CharField(max_length=500, blank=True)

    class Meta:
        # Newest first in the order the log was written: the pages read it by keyset on the number (the primary key),
        # and each filter has its index range (selectors.page_of_events).
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["user", "id"], name="audit_user_id"),
            models.Index(fields=["household_id", "id"], name="audit_household_id"),
            models.Index(fields=["id"], condition=models.Q(outcome="refused"), name="audit_refused"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_id} {self.action} {self.household_id} {self.outcome}"

    @property
    def action_label(self) -> str:
        return describe(self.action)


class ListedHousehold(models.Model):
    """A family shown on a list page (a caseload page, the counter, a task list): one access event per page view
    names them all here, so the log reads as one look at one list, and each family's own log still finds it.
    Append-only, like the events."""

    # No index of its own: the unique (event, household) constraint's index serves lookups by event.
    event = models.ForeignKey(
        AccessEvent, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="listed"
    )
    household_id = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["household_id", "event"], name="audit_listed_household_event")]
        constraints = [models.UniqueConstraint(fields=["event", "household_id"], name="one_listing_per_event")]

    def __str__(self) -> str:
        return f"{self.event_id}: {self.household_id}"
