from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from ostsafe.core.access import Action
from ostsafe.core.api import HouseholdRecordsAddViewSet, family_record_field
from ostsafe.core.validators import today
from ostsafe.families.models import Household, ServiceUser

from . import services
from .models import Answer, Assessment, FamilyView, RiskLevel


class AnswerSerializer(serializers.ModelSerializer):
    question = serializers.CharField(source="question.key")
    text = serializers.CharField(source="question.text")

    class Meta:
        model = Answer
        fields = ["question", "text", "value"]


class FamilyViewSerializer(serializers.ModelSerializer):
    """The views of an adult living with the child, in their words (read-only here: recorded on the pages)."""

    class Meta:
        model = FamilyView
        fields = ["whose", "occasion", "said_on", "family_life", "what_would_help", "hopes", "fears"]
        read_only_fields = fields


class AssessmentSerializer(serializers.ModelSerializer):
    household = family_record_field(Household, "")
    service_user = family_record_field(ServiceUser, "household__")
    answers = AnswerSerializer(many=True, read_only=True)
    family_views = FamilyViewSerializer(many=True, read_only=True)
    question_set_version = serializers.IntegerField(source="question_set.version", read_only=True)

    class Meta:
        model = Assessment
        fields = [
            "id",
            "household",
            "service_user",
            "status",
            "question_set_version",
            "started_at",
            "suggested_level",
            "suggested_reasons",
            "practitioner_level",
            "rationale",
            "completed_by",
            "completed_on",
            "next_review_on",
            "home_visit_every_days",
            "answers",
            "family_views",
        ]
        read_only_fields = [f for f in fields if f not in {"household", "service_user"}]


class AnswersInSerializer(serializers.Serializer):
    answers = serializers.DictField(child=serializers.CharField(allow_blank=True))
    reasons = serializers.DictField(
        child=serializers.CharField(allow_blank=True),
        required=False,
        default=dict,
        help_text="By question key: why an answer differs from what the family's record shows",
    )


class CompleteSerializer(serializers.Serializer):
    practitioner_level = serializers.ChoiceField(choices=RiskLevel.choices)
    rationale = serializers.CharField(allow_blank=True, required=False, default="")


class AssessmentViewSet(HouseholdRecordsAddViewSet):
    """Whole-family assessments. POST starts one (or returns the draft in progress); `answers` saves answers by
    question key; `complete` decides the level. Completed assessments cannot be changed."""

    queryset = Assessment.objects.select_related("household__team", "question_set").prefetch_related(
        "answers__question", "family_views"
    )
    serializer_class = AssessmentSerializer
    edit_action = Action.RECORD_ASSESSMENT
    audit_name = "assessment"
    filter_lookups = {"service_user": "service_user_id"}

    def create_record(self, *, household, data, user):
        return services.start_assessment(household=household, service_user=data["service_user"], started_by=user)

    @action(detail=True, methods=["post"], serializer_class=AnswersInSerializer)
    def answers(self, request, pk=None):
        assessment = self.get_object()
        data = AnswersInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.save_answers(
            assessment=assessment,
            answers=data.validated_data["answers"],
            reasons=data.validated_data["reasons"],
            saved_by=request.user,
        )
        return Response(AssessmentSerializer(self.base_queryset().get(pk=assessment.pk)).data)

    @action(detail=True, methods=["post"], serializer_class=CompleteSerializer)
    def complete(self, request, pk=None):
        assessment = self.get_object()
        data = CompleteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.complete_assessment(
            assessment=assessment, completed_by=request.user, completed_on=today(), **data.validated_data
        )
        return Response(AssessmentSerializer(self.base_queryset().get(pk=assessment.pk)).data)
