"""The whole-family risk assessment. Guide, "Seeing the child and whole family risk assessment".

Questions are versioned data (`QuestionSet` and `Question`, loaded by migration): a new version is a new set, so an
assessment completed on version 1 always reads as it was answered. The suggested level comes from transparent rules
carried by each question (`risk_rules`); the practitioner's level decides, with a rationale when the two differ.
"""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from ostsafe.core import access
from ostsafe.core.fields import NoteField
from ostsafe.core.validators import validate_happened


class RiskLevel(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class Section(models.TextChoices):
    CHILD = "child", "The child's perspective and daily routine"
    HOPES_FEARS = "hopes_fears", "The parents' own hopes and fears"
    SUBSTANCE_USE = "substance_use", "How important alcohol and drug use is in the parent's life"
    OTHER_PROBLEMS = "other_problems", "Other problems"
    ADULTS = "adults", "Fathers, partners, extended family and other adults around the child"
    COMPLIANCE = "compliance", "Treatment and safety planning for every adult in the home"
    STRENGTHS = "strengths", "Strengths: what the family is doing well"
    REFLECTION = "reflection", "Your own attitudes and reactions"
    PREGNANCY = "pregnancy", "Pregnancy"


class AnswerKind(models.TextChoices):
    YES_NO = "yes_no", "Yes or no"
    CHOICE = "choice", "One of a list"
    TEXT = "text", "Free text"


class QuestionSet(models.Model):
    version = models.PositiveIntegerField(unique=True)
    published_on = models.DateField()
    notes = NoteField(blank=True)

    class Meta:
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"Whole-family assessment, version {self.version}"


class Question(models.Model):
    question_set = models.ForeignKey(QuestionSet, on_delete=models.PROTECT, related_name="questions")
    key = models.SlugField(max_length=60)
    section = models.CharField(max_length=30, choices=Section.choices)
    order = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=300)
    help_text = models.CharField(max_length=300, blank=True)
    guide_source = models.TextField(help_text="The words of the guide this question comes from")
    kind = models.CharField(max_length=10, choices=AnswerKind.choices)
    choices = models.JSONField(default=list, blank=True, help_text="[[value, label], ...] for 'one of a list'")
    required = models.BooleanField(default=True)
    # {"answer value": {"weight": 2, "reason": "...", "forces_high": false}}: the rule, shown beside the answer.
    risk_rules = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["question_set", "order"]
        constraints = [models.UniqueConstraint(fields=["question_set", "key"], name="question_key_unique_in_set")]

    def __str__(self) -> str:
        return self.text

    def choice_pairs(self) -> list[tuple[str, str]]:
        if self.kind == AnswerKind.YES_NO:
            return [("yes", "Yes"), ("no", "No")]
        return [tuple(pair) for pair in self.choices]


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", "In progress"
    COMPLETED = "completed", "Completed"


class AssessmentQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(access.household_q(user, prefix="household__"))

    def completed(self):
        return self.filter(status=AssessmentStatus.COMPLETED)


class Assessment(models.Model):
    household = models.ForeignKey("families.Household", on_delete=models.PROTECT, related_name="assessments")
    service_user = models.ForeignKey(
        "families.ServiceUser",
        on_delete=models.PROTECT,
        related_name="assessments",
        help_text="The adult in treatment this assessment starts from; it covers the whole household",
    )
    question_set = models.ForeignKey(QuestionSet, on_delete=models.PROTECT, related_name="assessments")
    status = models.CharField(max_length=10, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(auto_now_add=True)
    suggested_level = models.CharField(max_length=10, choices=RiskLevel.choices, blank=True)
    suggested_reasons = models.JSONField(default=list, blank=True)
    # {section: risk weight of its answers}, kept at completion (the answers do not change afterwards).
    domain_weights = models.JSONField(default=dict, blank=True)
    practitioner_level = models.CharField("Your risk level", max_length=10, choices=RiskLevel.choices, blank=True)
    rationale = NoteField(blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    completed_on = models.DateField(null=True, blank=True)
    next_review_on = models.DateField(null=True, blank=True)
    home_visit_every_days = models.PositiveSmallIntegerField(null=True, blank=True)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-completed_on", "-started_at", "-id"]

    def __str__(self) -> str:
        return f"Assessment of {self.household} ({self.get_status_display().lower()})"

    @property
    def is_completed(self) -> bool:
        return self.status == AssessmentStatus.COMPLETED

    def is_overdue(self, as_of: date) -> bool:
        return self.is_completed and self.next_review_on is not None and self.next_review_on < as_of


class Answer(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    value = NoteField(blank=True)
    # Guide: "work with evidence, not optimism". An answer that contradicts the family's record says why.
    differs_from_record_because = NoteField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assessment", "question"], name="one_answer_per_question")]

    def __str__(self) -> str:
        return f"{self.question.key}: {self.value}"


class RiskLevelPolicy(models.Model):
    """What each risk level means for practice. Documented defaults (docs/rules.md); an administrator may change
    them in Django admin. Changes apply to assessments completed afterwards."""

    level = models.CharField(max_length=10, choices=RiskLevel.choices, unique=True)
    review_after_days = models.PositiveSmallIntegerField()
    home_visit_every_days = models.PositiveSmallIntegerField()

    class Meta:
        verbose_name_plural = "risk level policies"

    def __str__(self) -> str:
        return f"{self.get_level_display()}: review after {self.review_after_days} days"


class PreBirthOutcome(models.TextChoices):
    AWAITING = "awaiting", "Awaiting a response"
    ACCEPTED = "accepted", "Accepted: assessment under way"
    COMPLETED = "completed", "Pre-birth assessment completed"
    DECLINED = "declined", "Declined by children's social care"


class PreBirthRequest(models.Model):
    """Guide: "If appropriate, ask Children's Social Care to conduct a pre-birth assessment for female drug users
    who are pregnant." The request (date, to whom) and its outcome."""

    household = models.ForeignKey("families.Household", on_delete=models.PROTECT, related_name="pre_birth_requests")
    service_user = models.ForeignKey("families.ServiceUser", on_delete=models.PROTECT, related_name="+")
    assessment = models.ForeignKey(Assessment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    requested_on = models.DateField(validators=[validate_happened])
    requested_to = models.CharField("Requested from", max_length=200, help_text="Team and person, if known")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(max_length=20, choices=PreBirthOutcome.choices, default=PreBirthOutcome.AWAITING)
    outcome_on = models.DateField(null=True, blank=True, validators=[validate_happened])
    outcome_note = NoteField(blank=True)

    class Meta:
        ordering = ["-requested_on", "-id"]

    def __str__(self) -> str:
        return f"Pre-birth assessment requested {self.requested_on:%-d %B %Y}"


class Occasion(models.TextChoices):
    ASSESSMENT = "assessment", "At the whole-family assessment"
    REVIEW = "review", "At a review of the safety plan"
    MEETING = "meeting", "At a meeting about the children"
    VISIT = "visit", "At a home visit"


class FamilyView(models.Model):
    """Guide, "Seeing the child and whole family": "seek the views of any adult living with the child on family
    functioning and what could improve family life and the child's wellbeing", and "talk to parents about their own
    hopes and fears". Their words, attributed and dated, shown beside the professional's view at the assessment or
    review they were given at."""

    household = models.ForeignKey("families.Household", on_delete=models.PROTECT, related_name="family_views")
    whose = models.CharField("Whose views", max_length=200)
    service_user = models.ForeignKey(
        "families.ServiceUser", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    member = models.ForeignKey(
        "families.HouseholdMember", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    occasion = models.CharField("When they said it", max_length=12, choices=Occasion.choices)
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, null=True, blank=True, related_name="family_views"
    )
    review = models.ForeignKey(
        "plans.PlanReview", on_delete=models.CASCADE, null=True, blank=True, related_name="family_views"
    )
    family_life = NoteField("How they see family life: what works, and what is hard")
    what_would_help = NoteField("What they think would make family life and the children's wellbeing better")
    hopes = NoteField("Their hopes for themselves and the children", blank=True)
    fears = NoteField("Their fears", blank=True)
    said_on = models.DateField("Date", validators=[validate_happened])
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["said_on", "id"]

    def __str__(self) -> str:
        return f"{self.whose}, {self.said_on:%-d %B %Y}"

    def clean(self):
        super().clean()
        errors = {}
        if self.occasion == Occasion.ASSESSMENT and not self.assessment_id:
            errors["occasion"] = "Say which assessment they were given at"
        if self.occasion == Occasion.REVIEW and not self.review_id:
            errors["occasion"] = "Say which review they were given at"
        if self.assessment_id and self.assessment.household_id != self.household_id:
            errors["assessment"] = "Choose an assessment of this family"
        if self.review_id and self.review.plan.household_id != self.household_id:
            errors["review"] = "Choose a review of this family's plan"
        if errors:
            raise ValidationError(errors)
