from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from ostsafe.core import access, auditing
from ostsafe.core.access import Action
from ostsafe.core.api import (
    ChronologyEventSerializer,
    ChronologyQuerySerializer,
    HouseholdRecordsAddViewSet,
    HouseholdRecordsReadViewSet,
    ReachableRelatedField,
    chronology_response,
    family_record_field,
)
from ostsafe.core.converters import ID_PATTERN, parse_id
from ostsafe.core.households import chronology_sources
from ostsafe.core.validators import today
from ostsafe.directory import selectors as directory
from ostsafe.directory.models import ServiceKind
from ostsafe.families.models import Household, HouseholdMember, Involvement, ServiceUser

from . import selectors, services
from .models import (
    BreakGlassGrant,
    BreakGlassReview,
    Consent,
    Notification,
    PartnerReport,
    Referral,
    ReferralOutcome,
    ShareScope,
    SharingDecision,
    TeamDiscussion,
)


def validated(serializer_class, request) -> dict:
    """The request body checked by `serializer_class` (a 400 with field messages when it does not pass)."""
    data = serializer_class(data=request.data)
    data.is_valid(raise_exception=True)
    return data.validated_data


class TeamDiscussionSerializer(serializers.ModelSerializer):
    class Meta:
        model = TeamDiscussion
        fields = ["id", "held_on", "participants", "other_risks", "outcome", "rationale", "recorded_by"]
        read_only_fields = ["recorded_by"]


class ConsentSerializer(serializers.ModelSerializer):
    household = family_record_field(Household, "")
    service_user = family_record_field(ServiceUser, "household__")
    recipient = family_record_field(Involvement, "household__", help_text="An entry of the family's network")
    status = serializers.SerializerMethodField(help_text="Given, Refused, Withdrawn, Not yet started or Ended, today")
    discussions = TeamDiscussionSerializer(many=True, read_only=True)

    class Meta:
        model = Consent
        fields = [
            "id",
            "household",
            "service_user",
            "recipient",
            "purpose",
            "purpose_detail",
            "decision",
            "decided_on",
            "valid_from",
            "valid_until",
            "explained_how",
            "status",
            "recorded_by",
            "withdrawn_on",
            "withdrawal_note",
            "discussions",
        ]
        read_only_fields = ["recorded_by", "withdrawn_on", "withdrawal_note"]
        extra_kwargs = {"valid_from": {"required": False}}

    def get_status(self, consent) -> str:
        return consent.status_label(today())


class WithdrawSerializer(serializers.Serializer):
    withdrawn_on = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, max_length=10_000)


class ConsentViewSet(HouseholdRecordsAddViewSet):
    """Consent to share: one record per service user, recipient (an entry of the family's network), purpose and
    period. POST records a decision; `withdraw` records a given consent as withdrawn (it stops covering anything at
    once); `team-discussion` records the team manager's discussion after a refusal or withdrawal."""

    queryset = Consent.objects.select_related("household__team").prefetch_related("discussions")
    serializer_class = ConsentSerializer
    edit_action = Action.RECORD_CONSENT
    audit_name = "consent"
    filter_lookups = {"service_user": "service_user_id", "recipient": "recipient_id"}

    def required_write_action(self):
        if self.action == "team_discussion":
            return Action.RECORD_TEAM_DISCUSSION
        return self.edit_action

    def create_record(self, *, household, data, user):
        data.pop("household")
        return services.record_consent(household=household, recorded_by=user, **data)

    def _answer(self, consent, code=status.HTTP_200_OK):
        return Response(ConsentSerializer(self.base_queryset().get(pk=consent.pk)).data, status=code)

    @action(detail=True, methods=["post"], serializer_class=WithdrawSerializer)
    def withdraw(self, request, pk=None):
        consent = self.get_object()
        values = validated(WithdrawSerializer, request)
        services.withdraw_consent(consent=consent, withdrawn_by=request.user, **values)
        return self._answer(consent)

    @action(detail=True, methods=["post"], url_path="team-discussion", serializer_class=TeamDiscussionSerializer)
    def team_discussion(self, request, pk=None):
        consent = self.get_object()
        values = validated(TeamDiscussionSerializer, request)
        services.record_team_discussion(consent=consent, recorded_by=request.user, **values)
        return self._answer(consent, status.HTTP_201_CREATED)


# What a partner sees --------------------------------------------------------------------------------------------------


class SharedChildSerializer(serializers.Serializer):
    given_name = serializers.CharField()
    age = serializers.CharField(source="age_label")


class ContactSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="display_name")
    organisation = serializers.CharField(source="display_organisation")

    class Meta:
        model = Involvement
        fields = ["name", "organisation", "role_in_family", "phone", "email"]


class CoveringConsentSerializer(serializers.ModelSerializer):
    purpose_label = serializers.CharField()

    class Meta:
        model = Consent
        fields = ["purpose", "purpose_label", "decided_on", "valid_from", "valid_until"]


class SharedHouseholdSerializer(serializers.ModelSerializer):
    children = SharedChildSerializer(many=True)
    lead = serializers.SerializerMethodField()
    shared_for = CoveringConsentSerializer(many=True, source="covering_me")

    class Meta:
        model = Household
        fields = ["id", "name", "children", "lead", "shared_for"]

    def get_lead(self, household) -> dict | None:
        return ContactSerializer(household.leads[0]).data if household.leads else None


class SharedHouseholdViewSet(HouseholdRecordsReadViewSet):
    """Families shared with the caller (health visitors, school nurses, social workers): those whose network they
    are in while a consent given to them is current. Only the shared view: who the family are, who leads, and what
    the consent covers. Withdrawn or ended consent takes the family off at once."""

    queryset = Household.objects.all()
    serializer_class = SharedHouseholdSerializer
    view_action = Action.VIEW_SHARED
    household_lookup = ""
    audit_name = "shared_household"
    http_method_names = ["get", "head", "options"]

    def household_of(self, obj):
        return obj

    def base_queryset(self):
        return selectors.shared_households(self.request.user, today())

    @extend_schema(parameters=[ChronologyQuerySerializer], responses=ChronologyEventSerializer(many=True))
    # The events as one list, newest first (filtered by kind and period, not paged).
    @action(detail=True, methods=["get"], pagination_class=None)
    def chronology(self, request, pk=None):
        """The chronology of what is shared with the caller: only the kinds their consent or decision covers."""
        household = self.get_object()
        return chronology_response(
            request, household, chronology_sources(selectors.covered_scopes(request.user, household))
        )


# Letters --------------------------------------------------------------------------------------------------------------


class NotificationSerializer(serializers.ModelSerializer):
    consent = family_record_field(Consent, "household__", help_text="Current consent to routine notification")

    class Meta:
        model = Notification
        fields = [
            "id",
            "household",
            "service_user",
            "recipient",
            "consent",
            "kind",
            "subject",
            "body",
            "development",
            "status",
            "drafted_at",
            "sent_at",
            "emailed_to",
            "acknowledged_at",
            "call_on",
            "call_outcome",
        ]
        read_only_fields = [f for f in fields if f != "consent"]


class SendSerializer(serializers.Serializer):
    body = serializers.CharField(required=False, max_length=10_000, help_text="An update's checked words")


class CancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=10_000)


class CallSerializer(serializers.Serializer):
    call_on = serializers.DateField()
    outcome = serializers.CharField(max_length=10_000)


class AcknowledgeSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    acknowledged = serializers.BooleanField(read_only=True)


class NotificationViewSet(HouseholdRecordsAddViewSet):
    """Letters to partners. POST drafts the routine notification under a consent; `send` sends a draft (an update's
    `body` may be changed first); `not-sent` records why a drafted update is not sent; `follow-up-call` records the
    call after a routine notification; `acknowledge` is the recipient's, for a letter sent to them."""

    queryset = Notification.objects.select_related("household__team", "recipient")
    serializer_class = NotificationSerializer
    edit_action = Action.SEND_NOTIFICATION
    audit_name = "notification"
    household_from = "consent.household"
    filter_lookups = {"service_user": "service_user_id", "recipient": "recipient_id"}

    def get_object(self):
        if self.action != "acknowledge":
            return super().get_object()
        return self._acknowledgeable()

    def _acknowledgeable(self):
        try:
            letter = self.base_queryset().get(pk=parse_id(self.kwargs["pk"]))
        except Notification.DoesNotExist:
            raise exceptions.NotFound() from None
        access.require(
            self.request,
            Action.VIEW_SHARED,
            letter.household,
            check=lambda user: (
                access.can(user, Action.VIEW_SHARED, letter.household)
                and letter.is_sent
                and access.is_recipient(user, letter.recipient)
            ),
            audit_as=self.audit_as("acknowledge"),
            message="This letter was not sent to you.",
        )
        return letter

    def create_record(self, *, household, data, user):
        return services.draft_routine_notification(consent=data["consent"], drafted_by=user)

    def _answer(self, letter, code=status.HTTP_200_OK):
        return Response(NotificationSerializer(self.base_queryset().get(pk=letter.pk)).data, status=code)

    @action(detail=True, methods=["post"], serializer_class=SendSerializer)
    def send(self, request, pk=None):
        letter = self.get_object()
        values = validated(SendSerializer, request)
        body = values.get("body") if letter.kind == "update" else None
        services.send_notification(notification=letter, sent_by=request.user, body=body)
        return self._answer(letter)

    @action(detail=True, methods=["post"], url_path="not-sent", serializer_class=CancelSerializer)
    def not_sent(self, request, pk=None):
        letter = self.get_object()
        values = validated(CancelSerializer, request)
        services.cancel_notification(notification=letter, cancelled_by=request.user, **values)
        return self._answer(letter)

    @action(detail=True, methods=["post"], url_path="follow-up-call", serializer_class=CallSerializer)
    def follow_up_call(self, request, pk=None):
        letter = self.get_object()
        values = validated(CallSerializer, request)
        services.record_follow_up_call(notification=letter, recorded_by=request.user, **values)
        return self._answer(letter)

    @action(detail=True, methods=["post"], serializer_class=AcknowledgeSerializer)
    def acknowledge(self, request, pk=None):
        letter = self.get_object()
        services.acknowledge_notification(notification=letter, acknowledged_by=request.user)
        return Response(AcknowledgeSerializer({"id": letter.pk, "acknowledged": True}).data)


# Partners post back ---------------------------------------------------------------------------------------------------


class PartnerReportSerializer(serializers.ModelSerializer):
    household = family_record_field(Household, "")
    child = family_record_field(HouseholdMember, "household__", required=False, allow_null=True)

    class Meta:
        model = PartnerReport
        fields = [
            "id",
            "household",
            "child",
            "kind",
            "category",
            "attendance_percent",
            "happened_on",
            "details",
            "reported_by",
            "reported_at",
        ]
        read_only_fields = ["reported_by", "reported_at"]


class PartnerReportViewSet(HouseholdRecordsAddViewSet):
    """What partners tell the treatment service: an update, a concern (with its category) or a child health event
    (a missed health-visiting contact or immunisation, a routine not age-appropriate, school attendance below 90%).
    Partners add them for families shared with them; the treatment team reads them. The keyworker gets a task."""

    queryset = PartnerReport.objects.select_related("household__team")
    serializer_class = PartnerReportSerializer
    edit_action = Action.REPORT_TO_SERVICE
    audit_name = "partner_report"
    filter_lookups = {"child": "child_id"}

    def create_record(self, *, household, data, user):
        data.pop("household")
        return services.record_partner_report(household=household, reported_by=user, **data)


# Sharing without consent, and referrals -------------------------------------------------------------------------------


class SharingDecisionSerializer(serializers.ModelSerializer):
    household = family_record_field(Household, "")
    service_user = family_record_field(ServiceUser, "household__")
    recipient = family_record_field(Involvement, "household__")
    scopes = serializers.ListField(child=serializers.ChoiceField(choices=ShareScope.choices), required=False)

    class Meta:
        model = SharingDecision
        fields = [
            "id",
            "household",
            "service_user",
            "recipient",
            "share",
            "scopes",
            "reason",
            "article_6_basis",
            "special_category_condition",
            "family_told",
            "not_told_reason",
            "decided_on",
            "valid_from",
            "valid_until",
            "status",
            "recorded_by",
            "approved_by",
            "approval_note",
        ]
        read_only_fields = ["status", "recorded_by", "approved_by", "approval_note"]


class ApprovalSerializer(serializers.Serializer):
    approved = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=10_000)


class SharingDecisionViewSet(HouseholdRecordsAddViewSet):
    """Decisions to share without consent, or not to share, with the reasons and the lawful basis. A team manager's
    own decision is approved as recorded; anyone else's waits for `approve` (another team manager), and an approved,
    current decision to share opens the shared view to its recipient with what it covers."""

    queryset = SharingDecision.objects.select_related("household__team")
    serializer_class = SharingDecisionSerializer
    edit_action = Action.RECORD_CONSENT
    audit_name = "sharing_decision"
    filter_lookups = {"service_user": "service_user_id", "recipient": "recipient_id"}

    def required_write_action(self):
        return Action.APPROVE_SHARING if self.action == "approve" else self.edit_action

    def create_record(self, *, household, data, user):
        data.pop("household")
        approve_now = access.can(user, Action.APPROVE_SHARING, household)
        return services.record_sharing_decision(household=household, recorded_by=user, approve_now=approve_now, **data)

    @action(detail=True, methods=["post"], serializer_class=ApprovalSerializer)
    def approve(self, request, pk=None):
        decision = self.get_object()
        values = validated(ApprovalSerializer, request)
        services.approve_sharing_decision(decision=decision, approved_by=request.user, **values)
        return Response(SharingDecisionSerializer(self.base_queryset().get(pk=decision.pk)).data)


class ReferralSerializer(serializers.ModelSerializer):
    household = family_record_field(Household, "")
    children = family_record_field(HouseholdMember, "household__", many=True, required=False)
    service = ReachableRelatedField(
        reach=lambda user: directory.to_choose_from([ServiceKind.FRONT_DOOR]), required=False, allow_null=True
    )

    class Meta:
        model = Referral
        fields = [
            "id",
            "household",
            "children",
            "service",
            "sent_to",
            "concerns",
            "how_concerns_arose",
            "first_hand",
            "third_party",
            "parents_views",
            "parents_know",
            "parents_not_told_reason",
            "whereabouts",
            "referrer_contact",
            "include_assessment",
            "include_plan",
            "made_on",
            "made_by",
            "sent_at",
            "acknowledged_on",
            "acknowledged_by_name",
            "decided_on",
            "outcome",
            "outcome_note",
            "closed_on",
        ]
        read_only_fields = [
            "made_by",
            "sent_at",
            "acknowledged_on",
            "acknowledged_by_name",
            "decided_on",
            "outcome",
            "outcome_note",
            "closed_on",
        ]


class ReferralResponseSerializer(serializers.Serializer):
    acknowledged_on = serializers.DateField(required=False)
    acknowledged_by_name = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    decided_on = serializers.DateField(required=False)
    outcome = serializers.ChoiceField(choices=ReferralOutcome.choices, required=False)
    outcome_note = serializers.CharField(required=False, allow_blank=True, default="", max_length=10_000)


class SentSerializer(serializers.Serializer):
    """Nothing to send: the referral is recorded as sent now."""


class CloseReferralSerializer(serializers.Serializer):
    closed_on = serializers.DateField()


class ReferralViewSet(HouseholdRecordsAddViewSet):
    """Child protection referrals to children's social care. POST writes one (`children` required); `sent` records it
    as sent (a task to chase the decision in one working day); `response` records the acknowledgement and decision;
    `closed` records child protection work as ended."""

    queryset = Referral.objects.select_related("household__team").prefetch_related("children")
    serializer_class = ReferralSerializer
    edit_action = Action.REFER
    audit_name = "referral"

    def create_record(self, *, household, data, user):
        data.pop("household")
        return services.record_referral(household=household, made_by=user, **data)

    def _answer(self, referral):
        return Response(ReferralSerializer(self.base_queryset().get(pk=referral.pk)).data)

    @action(detail=True, methods=["post"], serializer_class=SentSerializer)
    def sent(self, request, pk=None):
        referral = self.get_object()
        services.send_referral(referral=referral, sent_by=request.user)
        return self._answer(referral)

    @action(detail=True, methods=["post"], serializer_class=ReferralResponseSerializer)
    def response(self, request, pk=None):
        referral = self.get_object()
        values = validated(ReferralResponseSerializer, request)
        services.record_referral_response(referral=referral, recorded_by=request.user, **values)
        return self._answer(referral)

    @action(detail=True, methods=["post"], serializer_class=CloseReferralSerializer)
    def closed(self, request, pk=None):
        referral = self.get_object()
        values = validated(CloseReferralSerializer, request)
        services.close_referral(referral=referral, closed_by=request.user, **values)
        return self._answer(referral)


# Break-glass ----------------------------------------------------------------------------------------------------------


class BreakGlassSerializer(serializers.ModelSerializer):
    household = serializers.IntegerField(source="household_id", help_text="The id of a family beyond your reach")

    class Meta:
        model = BreakGlassGrant
        fields = [
            "id",
            "household",
            "reason",
            "user",
            "granted_at",
            "expires_at",
            "review",
            "review_note",
            "reviewed_by",
        ]
        read_only_fields = ["user", "granted_at", "expires_at", "review", "review_note", "reviewed_by"]


class BreakGlassReviewSerializer(serializers.Serializer):
    review = serializers.ChoiceField(choices=BreakGlassReview.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=10_000)


class BreakGlassViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Break-glass. POST opens a family beyond the caller's reach in an emergency (treatment staff only; a reason;
    time-limited; every read then audited as break-glass). Managers list the grants they review and `review` them."""

    serializer_class = BreakGlassSerializer
    permission_classes = [permissions.IsAuthenticated]
    lookup_value_regex = ID_PATTERN

    audit_name = "break_glass"

    def audit_as(self, verb: str) -> str:
        return f"api.{self.audit_name}.{verb}"

    def get_queryset(self):
        return BreakGlassGrant.objects.filter(access.break_glass_review_q(self.request.user)).order_by("-granted_at")

    def list(self, request, *args, **kwargs):
        access.require(request, Action.APPROVE_SHARING, audit_as=self.audit_as("list"))
        response = super().list(request, *args, **kwargs)
        auditing.record_list_access(
            request=request,
            user=request.user,
            action=self.audit_as("list"),
            household_ids=[grant["household"] for grant in response.data.get("results", response.data)],
        )
        return response

    @extend_schema(
        responses={
            201: BreakGlassSerializer,
            404: OpenApiResponse(description="There is no such family"),
        }
    )
    def create(self, request):
        access.require(request, Action.BREAK_GLASS, audit_as=self.audit_as("create"))
        values = validated(BreakGlassSerializer, request)
        household = Household.objects.select_related("team").filter(pk=values["household_id"]).first()
        if household is None:
            raise exceptions.NotFound("There is no such family")
        access.require(
            request,
            Action.BREAK_GLASS,
            household,
            check=lambda user: access.may_break_glass(user, household),
            audit_as=self.audit_as("create"),
            message="You cannot use break-glass for this family: it is within your reach already, or your role "
            "does not allow it.",
        )
        grant = services.grant_break_glass(user=request.user, household=household, reason=values["reason"])
        return Response(BreakGlassSerializer(grant).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"], serializer_class=BreakGlassReviewSerializer)
    def review(self, request, pk=None):
        access.require(request, Action.APPROVE_SHARING, audit_as=self.audit_as("review"))
        grant = self.get_queryset().filter(pk=parse_id(pk)).first()
        if grant is None:
            raise exceptions.NotFound()
        values = validated(BreakGlassReviewSerializer, request)
        grant = services.review_break_glass(grant=grant, reviewed_by=request.user, **values)
        return Response(BreakGlassSerializer(grant).data)
