"""What the managers' dashboard keeps over time: each practice's figures for each team (and each keyworker in it),
as they stood at the end of each month. Guide, "Managing practice": managers see what is slipping, and whether it is
getting better. Figures are kept as they were on the day, not worked out again later from records that have changed
since (a deadline moved, a task closed late)."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from ostsafe.core.fields import NoteField
from ostsafe.core.validators import validate_happened


class PracticeFigure(models.Model):
    """One practice, one month, one team (keyworker empty) or one keyworker's families in that team: how many of
    the families with children met it, of how many it applied to. The month's row is rewritten each night until the
    month ends, so a past month holds the figures of its last day."""

    month = models.DateField(help_text="The first day of the month the figures are for")
    recorded_on = models.DateField(help_text="The day the figures were counted (the month's last, once it has ended)")
    team = models.ForeignKey("accounts.Team", on_delete=models.CASCADE, related_name="+")
    keyworker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    measure = models.CharField(max_length=40)
    met = models.PositiveIntegerField()
    of = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["month", "team", "measure"],
                condition=Q(keyworker__isnull=True),
                name="practice_figure_team_month",
            ),
            models.UniqueConstraint(
                fields=["month", "team", "keyworker", "measure"],
                condition=Q(keyworker__isnull=False),
                name="practice_figure_worker_month",
            ),
            models.CheckConstraint(condition=Q(met__lte=models.F("of")), name="practice_figure_met_within_of"),
        ]
        indexes = [models.Index(fields=["team", "month"], name="practice_figure_team_idx")]

    def __str__(self):
        return f"{self.measure} {self.month:%B %Y}: {self.met} of {self.of}"


class FamilyFigures(models.Model):
    """Which practices one family with children meets today, as the dashboard counts them, kept in the database with
    what they were worked out from: the day, the family's change number and every family's (core.marks), and the
    measures' own fingerprint (their SQL, policies included). A row that differs in any of these is worked out again
    before it is counted, so the first dashboard a worker draws sums kept rows instead of counting every family in
    reach afresh (management.family_figures). Derived, never edited; one row a family, rewritten in place."""

    household = models.OneToOneField(
        "families.Household", primary_key=True, on_delete=models.CASCADE, related_name="kept_figures"
    )
    as_of = models.DateField()
    version = models.BigIntegerField(help_text="The family's change number the figures were worked out at")
    every = models.BigIntegerField(help_text="Every family's change number (the policies) at the time")
    fingerprint = models.BigIntegerField(help_text="The measures' SQL the figures were worked out by")
    met = models.BigIntegerField(help_text="One bit a measure, in the measures' order: the family meets it")
    applies = models.BigIntegerField(help_text="One bit a measure: it applies to the family (always, for most)")

    def __str__(self):
        return f"{self.household_id} on {self.as_of}: {self.met:b} of {self.applies:b}"


class TeamFigures(models.Model):
    """One team's dashboard figures as a worker keeps them in its own process (management.selectors), kept in the
    database too under the same key, so that a worker that has kept nothing yet (just started, or another worker
    counted since) reads each team's figures in one query instead of a pass over every family in reach. The key is a
    digest of everything the figures were counted from: the scope they were counted for (the viewer's reach and the
    dashboard's filters), the team, its families' change state and every family's (core.marks), the day and the
    measures' fingerprint. A change in any of these makes a new key, so a row is never rewritten and never given for
    another scope; the morning's job deletes the days before. Derived, never edited."""

    key = models.CharField(max_length=32, primary_key=True, help_text="blake2b of what the figures were counted from")
    as_of = models.DateField()
    team_number = models.BigIntegerField(
        help_text="The team's id, kept as a number: a row for a team since deleted is never asked for, gone tomorrow"
    )
    counts = models.JSONField(
        null=True, help_text="The team's name and [met, of] for each measure; null: none of its families in scope"
    )

    def __str__(self):
        return f"team {self.team_number} on {self.as_of}"


class SupervisionPolicy(models.Model):
    """How often each family's case is supervised, by its decided risk level (an administrator changes these in
    Django admin; docs/rules.md has the defaults)."""

    high_every_days = models.PositiveSmallIntegerField(default=28, help_text="High risk: supervise at least this often")
    medium_every_days = models.PositiveSmallIntegerField(default=56)
    low_every_days = models.PositiveSmallIntegerField(default=91)
    not_assessed_every_days = models.PositiveSmallIntegerField(
        default=28, help_text="Not yet assessed: as often as high risk, until the level is decided"
    )

    class Meta:
        verbose_name_plural = "supervision policy"

    def __str__(self):
        return "Supervision policy"

    @classmethod
    def current(cls) -> "SupervisionPolicy":
        return cls.objects.order_by("pk").first() or cls()

    def every_days(self, level: str | None) -> int:
        return {"high": self.high_every_days, "medium": self.medium_every_days, "low": self.low_every_days}.get(
            level or "", self.not_assessed_every_days
        )


class CaseSupervision(models.Model):
    """A family's case discussed in supervision. Guide, "Managing practice": 'healthy scepticism' and 'respectful
    uncertainty'; reflection on and in practice; guard against over-optimism."""

    household = models.ForeignKey("families.Household", on_delete=models.PROTECT, related_name="supervisions")
    held_on = models.DateField("Date of the supervision", validators=[validate_happened])
    supervisor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    practitioner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The keyworker whose case it is",
    )
    discussed = NoteField("What was discussed")
    evidence = NoteField(
        "Evidence, not optimism",
        help_text="What do we know, and how do we know it? What has been seen, not only said?",
    )
    disguised_compliance = NoteField(
        "Disguised compliance",
        help_text="Sudden compliance, changes agreed but not carried out, or no change despite much work?",
    )
    childs_perspective = NoteField(
        "The child's perspective", help_text="What is daily life like for the child? What would the child say?"
    )
    decisions = NoteField("Decisions")
    training_need = NoteField(
        "A training need identified", blank=True, help_text="For the practitioner, if one came out of the discussion"
    )
    next_due_on = models.DateField("Next supervision of this case due")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["household", "held_on"], name="supervision_household_idx")]

    def __str__(self):
        return f"Case supervision on {self.held_on:%-d %B %Y}"


class TrainingKind(models.TextChoices):
    HIDDEN_HARM = "hidden_harm", "Hidden Harm"
    OST_AND_CHILDREN = "ost_and_children", "OST and risks to children"
    SAFEGUARDING_1 = "safeguarding_1", "Safeguarding children, level 1"
    SAFEGUARDING_2 = "safeguarding_2", "Safeguarding children, level 2"
    SAFEGUARDING_3 = "safeguarding_3", "Safeguarding children, level 3"
    MULTI_AGENCY = "multi_agency", "Multi-agency training"
    OTHER = "other", "Other"


# Guide, "Managing practice": aspects of OST and risk are core to Hidden Harm training; staff who work with the
# families need safeguarding at level 3 (intercollegiate guidance for those who assess and plan for children).
REQUIRED_TRAINING = (TrainingKind.HIDDEN_HARM, TrainingKind.OST_AND_CHILDREN, TrainingKind.SAFEGUARDING_3)
# Training without an expiry date is refreshed after this long.
TRAINING_VALID_DAYS = 3 * 365
TRAINING_DUE_WITHIN_DAYS = 60


class TrainingRecord(models.Model):
    """A course a practitioner completed (treatment staff, or a partner's multi-agency training)."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="training")
    kind = models.CharField(max_length=30, choices=TrainingKind.choices)
    course = models.CharField("Course", max_length=200, help_text="Its name, and who ran it")
    completed_on = models.DateField("Date completed", validators=[validate_happened])
    expires_on = models.DateField(
        "Refresh by", null=True, blank=True, help_text="Leave empty for three years from the date completed"
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-completed_on", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.course}"

    def clean(self):
        if self.expires_on and self.completed_on and self.expires_on <= self.completed_on:
            raise ValidationError({"expires_on": "The refresh date must be after the date completed"})

    @property
    def refresh_by(self):
        return self.expires_on or self.completed_on + timedelta(days=TRAINING_VALID_DAYS)


class TrainingNeed(models.Model):
    """A training need identified (in supervision, or by the manager), until training meets it."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="training_needs")
    need = NoteField("The training need")
    identified_on = models.DateField(validators=[validate_happened])
    supervision = models.ForeignKey(CaseSupervision, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    met_by = models.ForeignKey(TrainingRecord, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    identified_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["identified_on", "pk"]

    def __str__(self):
        return self.need[:80]
