from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from ostsafe.assessments.api import FamilyViewSerializer
from ostsafe.core.access import Action
from ostsafe.core.api import HouseholdRecordsAddViewSet, family_record_field
from ostsafe.core.validators import today
from ostsafe.families.models import Household, ServiceUser
from ostsafe.sharing.models import Consent
from ostsafe.sharing.selectors import agreement_consents

from . import services
from .models import ActionChange, Disagreement, GuidanceAgreement, PlanAction, PlanReview, SafetyPlan, Strength


class ShareConsentSerializer(serializers.ModelSerializer):
    """The service user's decisions about sharing the agreement (the consent records of /api/consents/)."""

    class Meta:
        model = Consent
        fields = ["id", "recipient", "decided_on", "decision", "valid_from", "valid_until", "withdrawn_on"]


class GuidanceAgreementSerializer(serializers.ModelSerializer):
    household = family_record_field(Household, "")
    service_user = family_record_field(ServiceUser, "household__")
    share_consents = serializers.SerializerMethodField(help_text="The service user's decisions about sharing it")
    template_version = serializers.IntegerField(source="template.version", read_only=True)

    class Meta:
        model = GuidanceAgreement
        fields = [
            "id",
            "household",
            "service_user",
            "template_version",
            "expectations",
            "status",
            "drafted_on",
            "signature_method",
            "signed_name",
            "signed_on",
            "not_forthcoming_reason",
            "share_consents",
        ]
        read_only_fields = [
            "status",
            "drafted_on",
            "signature_method",
            "signed_name",
            "signed_on",
            "not_forthcoming_reason",
        ]

    @extend_schema_field(ShareConsentSerializer(many=True))
    def get_share_consents(self, agreement):
        consents = getattr(agreement.service_user, "agreement_consents", None)
        if consents is None:  # a record just made or changed, not read through the viewset's prefetch
            consents = agreement_consents().filter(service_user=agreement.service_user)
        return ShareConsentSerializer(consents, many=True).data


class SignSerializer(serializers.Serializer):
    signed_name = serializers.CharField()
    confirmed = serializers.BooleanField()
    signed_on = serializers.DateField()


class GuidanceAgreementViewSet(HouseholdRecordsAddViewSet):
    """Guidance agreements. POST drafts one; `sign` records an on-screen signature (typed name, confirmation)."""

    queryset = GuidanceAgreement.objects.select_related("household__team", "template").prefetch_related(
        Prefetch("service_user__consents", queryset=agreement_consents(), to_attr="agreement_consents")
    )
    serializer_class = GuidanceAgreementSerializer
    edit_action = Action.RECORD_PLAN
    audit_name = "agreement"
    filter_lookups = {"service_user": "service_user_id"}

    def create_record(self, *, household, data, user):
        return services.draft_agreement(
            household=household,
            service_user=data["service_user"],
            expectations=data["expectations"],
            drafted_by=user,
            drafted_on=today(),
        )

    @action(detail=True, methods=["post"], serializer_class=SignSerializer)
    def sign(self, request, pk=None):
        agreement = self.get_object()
        data = SignSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.sign_agreement_on_screen(agreement=agreement, recorded_by=request.user, **data.validated_data)
        return Response(GuidanceAgreementSerializer(self.base_queryset().get(pk=agreement.pk)).data)


class ActionChangeSerializer(serializers.ModelSerializer):
    class Meta:
        model = ActionChange
        fields = ["field", "old_value", "new_value", "reason", "changed_on"]


class PlanActionSerializer(serializers.ModelSerializer):
    changes = ActionChangeSerializer(many=True, read_only=True)

    class Meta:
        model = PlanAction
        fields = ["id", "expectation", "why", "owner", "due_on", "status", "changes"]


class StrengthSerializer(serializers.ModelSerializer):
    class Meta:
        model = Strength
        fields = ["what", "noticed_on"]
        read_only_fields = fields


class DisagreementSerializer(serializers.ModelSerializer):
    class Meta:
        model = Disagreement
        fields = [
            "about",
            "whose_view",
            "family_view",
            "practitioner_view",
            "raised_on",
            "negotiation",
            "outcome",
            "decision",
            "decided_by",
            "resolved_on",
        ]
        read_only_fields = fields


class ReviewSerializer(serializers.ModelSerializer):
    family_views = FamilyViewSerializer(many=True, read_only=True)

    class Meta:
        model = PlanReview
        fields = [
            "reviewed_on",
            "understood_and_agreed",
            "noticed_sudden_compliance",
            "noticed_agreement_with_sanctions",
            "notes",
            "next_review_on",
            "family_views",
        ]


class SafetyPlanSerializer(serializers.ModelSerializer):
    household = family_record_field(Household, "")
    actions = PlanActionSerializer(many=True, read_only=True)
    reviews = ReviewSerializer(many=True, read_only=True)
    strengths = StrengthSerializer(many=True, read_only=True)
    disagreements = DisagreementSerializer(many=True, read_only=True)

    class Meta:
        model = SafetyPlan
        fields = ["id", "household", "created_on", "next_review_on", "actions", "reviews", "strengths", "disagreements"]
        read_only_fields = ["created_on", "next_review_on"]


class AddActionSerializer(serializers.Serializer):
    expectation = serializers.CharField()
    why = serializers.CharField()
    owner = serializers.CharField(allow_blank=True)
    due_on = serializers.DateField()


class SafetyPlanViewSet(HouseholdRecordsAddViewSet):
    """Safety plans with their actions, change history and reviews. POST starts one; `actions` adds an action."""

    queryset = SafetyPlan.objects.select_related("household__team").prefetch_related(
        "actions__changes", "reviews__family_views", "strengths", "disagreements"
    )
    serializer_class = SafetyPlanSerializer
    edit_action = Action.RECORD_PLAN
    audit_name = "safety_plan"

    def create_record(self, *, household, data, user):
        return services.start_safety_plan(household=household, created_by=user, created_on=today())

    @action(detail=True, methods=["post"], serializer_class=AddActionSerializer)
    def actions(self, request, pk=None):
        plan = self.get_object()
        data = AddActionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.add_plan_action(plan=plan, added_by=request.user, as_of=today(), **data.validated_data)
        return Response(SafetyPlanSerializer(self.base_queryset().get(pk=plan.pk)).data, status=201)
