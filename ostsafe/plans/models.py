"""Guidance agreements, safety plans with timescales, reviews and meetings. Guide, "OST and risk reduction": draw up a
guidance agreement and sign it with the service user; make clear what is expected and why, with clear timescales;
plan to young children's needs and timescales; do not shift goals because of non-compliance; review regularly."""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from ostsafe.core import access
from ostsafe.core.fields import NoteField
from ostsafe.core.validators import validate_happened, validate_plannable


class PlanPolicy(models.Model):
    """Configurable timescales (defaults in docs/rules.md; an administrator changes them in Django admin)."""

    baby_action_days = models.PositiveSmallIntegerField(default=14, help_text="Youngest child under 1")
    under_five_action_days = models.PositiveSmallIntegerField(default=28, help_text="Youngest child under 5")
    older_child_action_days = models.PositiveSmallIntegerField(default=42, help_text="Youngest child 5 or over")
    agreement_valid_days = models.PositiveSmallIntegerField(
        default=365, help_text="A signed guidance agreement counts as current for this many days"
    )

    class Meta:
        verbose_name_plural = "plan policy"

    def __str__(self) -> str:
        return "Safety plan and agreement policy"

    @classmethod
    def current(cls) -> "PlanPolicy":
        return cls.objects.order_by("pk").first() or cls()


class AgreementTemplate(models.Model):
    """A versioned guidance agreement text. Published by migration, never edited: a signed agreement keeps its words."""

    version = models.PositiveIntegerField(unique=True)
    title = models.CharField(max_length=200)
    sections = models.JSONField(help_text='[{"heading": ..., "text": ...}, ...]')
    published_on = models.DateField()

    class Meta:
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"{self.title} (version {self.version})"


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", "Drafted, not yet signed"
    SIGNED = "signed", "Signed"
    NOT_FORTHCOMING = "not_forthcoming", "Not signed: the service user would not agree"


class SignatureMethod(models.TextChoices):
    ON_SCREEN = "on_screen", "Signed on screen"
    PAPER = "paper", "Signed on paper (scan uploaded)"


class AgreementQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(access.household_q(user, prefix="household__"))


def agreement_scan_path(instance, filename: str) -> str:
    # `filename` is the one the service gave it (plans.uploads.stored_name), not the uploader's.
    return f"agreements/{instance.household_id}/{filename}"


class GuidanceAgreement(models.Model):
    household = models.ForeignKey("families.Household", on_delete=models.PROTECT, related_name="agreements")
    service_user = models.ForeignKey("families.ServiceUser", on_delete=models.PROTECT, related_name="agreements")
    template = models.ForeignKey(AgreementTemplate, on_delete=models.PROTECT, related_name="+")
    expectations = NoteField("What is expected, and why", help_text="In the service user's own terms, with timescales")
    status = models.CharField(max_length=20, choices=AgreementStatus.choices, default=AgreementStatus.DRAFT)
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    drafted_on = models.DateField(validators=[validate_happened])
    signature_method = models.CharField(max_length=10, choices=SignatureMethod.choices, blank=True)
    signed_name = models.CharField("Name typed by the service user", max_length=200, blank=True)
    signed_on = models.DateField(null=True, blank=True, validators=[validate_happened])
    scan = models.FileField(upload_to=agreement_scan_path, blank=True)
    not_forthcoming_reason = NoteField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = AgreementQuerySet.as_manager()

    class Meta:
        ordering = ["-drafted_on", "-id"]

    def __str__(self) -> str:
        return f"Guidance agreement, {self.get_status_display().lower()}"

    def is_current(self, as_of: date, valid_days: int) -> bool:
        return (
            self.status == AgreementStatus.SIGNED
            and self.signed_on is not None
            and 0 <= (as_of - self.signed_on).days <= valid_days
        )


class SafetyPlan(models.Model):
    household = models.ForeignKey("families.Household", on_delete=models.PROTECT, related_name="safety_plans")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_on = models.DateField(validators=[validate_happened])
    next_review_on = models.DateField()

    class Meta:
        ordering = ["-created_on", "-id"]

    def __str__(self) -> str:
        return f"Safety plan from {self.created_on:%-d %B %Y}"


class ActionStatus(models.TextChoices):
    OPEN = "open", "Under way"
    DONE = "done", "Done"
    NOT_DONE = "not_done", "Not done"


class PlanAction(models.Model):
    plan = models.ForeignKey(SafetyPlan, on_delete=models.CASCADE, related_name="actions")
    expectation = NoteField("What is expected")
    why = NoteField("Why")
    owner = models.CharField("Who does it", max_length=200)
    due_on = models.DateField("By when", validators=[validate_plannable])
    status = models.CharField(max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    created_on = models.DateField()

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.expectation[:60]

    def clean(self):
        super().clean()
        if not self.owner.strip():
            raise ValidationError({"owner": "Say who does this action"})


class ActionChange(models.Model):
    """Guide: "do not be led into shifting goals because of non-compliance". Every change keeps its reason."""

    action = models.ForeignKey(PlanAction, on_delete=models.CASCADE, related_name="changes")
    field = models.CharField(max_length=20)
    old_value = NoteField()
    new_value = NoteField()
    reason = NoteField()
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_on = models.DateField(validators=[validate_happened])

    class Meta:
        ordering = ["changed_on", "id"]

    def __str__(self) -> str:
        return f"{self.field} changed {self.changed_on:%-d %B %Y}"


class PlanReview(models.Model):
    plan = models.ForeignKey(SafetyPlan, on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField(validators=[validate_happened])
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    understood_and_agreed = models.BooleanField("The service user understood the plan and agreed with it")
    # Guide, "Professional curiosity": disguised compliance might be suggested by a sudden compliance with
    # practitioner requests or unexpected agreement with sanctions. The review asks; the warning-signs engine reads it.
    noticed_sudden_compliance = models.BooleanField("Sudden compliance with requests", default=False)
    noticed_agreement_with_sanctions = models.BooleanField("Unexpected agreement with sanctions", default=False)
    notes = NoteField(blank=True)
    next_review_on = models.DateField()

    class Meta:
        ordering = ["-reviewed_on", "-id"]

    def __str__(self) -> str:
        return f"Review {self.reviewed_on:%-d %B %Y}"


class ActionProgress(models.Model):
    review = models.ForeignKey(PlanReview, on_delete=models.CASCADE, related_name="progress")
    action = models.ForeignKey(PlanAction, on_delete=models.CASCADE, related_name="progress")
    status = models.CharField(max_length=10, choices=ActionStatus.choices)
    note = NoteField(blank=True)

    def __str__(self) -> str:
        return f"{self.action}: {self.get_status_display()}"


class MeetingKind(models.TextChoices):
    CORE_GROUP = "core_group", "Core group"
    CHILD_PROTECTION = "child_protection", "Child protection conference"
    CHILD_IN_NEED = "child_in_need", "Child in need meeting"
    TEAM_AROUND_FAMILY = "team_around_family", "Team around the family"
    PROFESSIONALS = "professionals", "Professionals' meeting"


class Meeting(models.Model):
    """A meeting about a child's welfare. Guide: invite any adult living with the child, and seek their views on
    family functioning and what could improve family life."""

    household = models.ForeignKey("families.Household", on_delete=models.PROTECT, related_name="meetings")
    kind = models.CharField(max_length=30, choices=MeetingKind.choices)
    held_on = models.DateField(validators=[validate_happened])
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    actions_agreed = NoteField(blank=True)

    class Meta:
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.held_on:%-d %B %Y}"


class MeetingAdult(models.Model):
    """One adult living with the child, for one meeting: invited, attended, and their views."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="adults")
    name = models.CharField(max_length=200)
    service_user = models.ForeignKey(
        "families.ServiceUser", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    member = models.ForeignKey(
        "families.HouseholdMember", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    invited = models.BooleanField()
    attended = models.BooleanField(default=False)
    views = NoteField("Their views on family life and what would improve it", blank=True)

    def __str__(self) -> str:
        return self.name


class Strength(models.Model):
    """Guide, "Seeing the child and whole family": "recognise and endorse what clients are doing well, while being
    honest about the issues". Shown on the plan, and in the family's own copy."""

    plan = models.ForeignKey(SafetyPlan, on_delete=models.CASCADE, related_name="strengths")
    what = NoteField("What the family is doing well")
    noticed_on = models.DateField("Date", validators=[validate_happened])
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["noticed_on", "id"]

    def __str__(self) -> str:
        return self.what[:60]


class Decision(models.TextChoices):
    AGREED = "agreed", "Agreed together"
    FAMILY_VIEW = "family_view", "The family's view was accepted"
    PRACTITIONER_VIEW = "practitioner_view", "The practitioner's view stands, to keep the children safe"
    ESCALATED = "escalated", "Taken to the team manager or a multi-agency meeting to decide"


class Disagreement(models.Model):
    """Guide, "Joint working": "negotiate areas of disagreement between families and practitioners, and how to
    resolve them". What the family and the practitioner disagree about, each side in its own words; once resolved,
    how it was negotiated, what was decided and who decided. Open ones show on the plan and at the next review."""

    plan = models.ForeignKey(SafetyPlan, on_delete=models.CASCADE, related_name="disagreements")
    about = NoteField("What you disagree about")
    whose_view = models.CharField("Who in the family", max_length=200)
    family_view = NoteField("What they say, in their words")
    practitioner_view = NoteField("What you think, and why")
    raised_on = models.DateField("Date", validators=[validate_happened])
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    negotiation = NoteField("How it was talked through", blank=True)
    outcome = NoteField("What was decided", blank=True)
    decision = models.CharField("How it was settled", max_length=20, choices=Decision.choices, blank=True)
    decided_by = models.CharField("Who decided", max_length=200, blank=True)
    resolved_on = models.DateField("Date it was settled", null=True, blank=True, validators=[validate_happened])
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["raised_on", "id"]

    def __str__(self) -> str:
        return self.about[:60]

    @property
    def is_open(self) -> bool:
        return self.resolved_on is None

    def clean(self):
        super().clean()
        if self.resolved_on is None:
            return
        errors = {}
        for field in ("negotiation", "outcome", "decision", "decided_by"):
            if not getattr(self, field):
                errors[field] = {
                    "negotiation": "Say how it was talked through with the family",
                    "outcome": "Say what was decided",
                    "decision": "Choose how it was settled",
                    "decided_by": "Say who decided",
                }[field]
        if self.raised_on and self.resolved_on < self.raised_on:
            errors["resolved_on"] = "It cannot be settled before it was raised"
        if errors:
            raise ValidationError(errors)


class FamilyCopy(models.Model):
    """Guide, "Joint working": "share agreed aims and the progress of how to achieve them". A plain-language copy
    of the plan given to an adult of the family (each adult can have their own), and when: after a review the copy
    they hold is out of date until they are given the new one."""

    plan = models.ForeignKey(SafetyPlan, on_delete=models.CASCADE, related_name="family_copies")
    given_to = models.CharField("Given to", max_length=200)
    given_to_key = models.CharField(max_length=40)
    given_on = models.DateField("Date", validators=[validate_happened])
    given_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The latest review the copy showed: a later review makes it out of date.
    covers_review = models.ForeignKey(PlanReview, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-given_on", "-id"]

    def __str__(self) -> str:
        return f"Copy for {self.given_to}, {self.given_on:%-d %B %Y}"
