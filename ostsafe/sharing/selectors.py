"""Reads of consent and of what has been shared, shaped for a page, in a fixed number of queries."""

from datetime import date, timedelta

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from ostsafe.core import access
from ostsafe.core.households import DONE, NOT_STARTED, shared_sections
from ostsafe.families.models import Household, HouseholdMember, Involvement, MemberRole, ServiceUser

from .models import (
    BreakGlassGrant,
    Consent,
    Decision,
    Notification,
    NotificationKind,
    NotificationStatus,
    PartnerReport,
    Purpose,
    Referral,
    ShareScope,
    SharingDecision,
    TeamDiscussion,
)


def _awaiting_discussion():
    """Consent refused or withdrawn, with no team discussion recorded about it yet."""
    return Consent.objects.filter(Q(decision=Decision.REFUSED) | Q(withdrawn_at__isnull=False)).filter(
        ~Exists(TeamDiscussion.objects.filter(consent=OuterRef("pk")))
    )


def consents_awaiting_discussion(household) -> list[Consent]:
    return list(
        _awaiting_discussion().filter(household=household).select_related("service_user", "recipient__professional")
    )


def households_awaiting_discussion(household_ids: list) -> set:
    """Which of these households show "Consent to share refused: team discussion needed" (one query)."""
    return set(
        _awaiting_discussion().filter(household_id__in=household_ids).values_list("household_id", flat=True).distinct()
    )


def team_discussion_alert(household) -> list[str]:
    if _awaiting_discussion().filter(household=household).exists():
        return ["Consent to share refused: team discussion needed"]
    return []


def sharing_tab(household, as_of: date):
    """The Sharing tab: each service user with every consent decision (newest first, each with its `status` today)
    and the team discussions."""
    consents = Consent.objects.select_related("recipient__professional__organisation", "recorded_by", "withdrawn_by")
    service_users = list(
        household.service_users.prefetch_related(Prefetch("consents", queryset=consents)).order_by("pk")
    )
    for service_user in service_users:
        for consent in service_user.consents.all():
            consent.status = consent.status_label(as_of)
    discussions = TeamDiscussion.objects.filter(household=household).select_related(
        "consent__service_user", "consent__recipient__professional", "recorded_by"
    )
    return service_users, list(discussions)


def agreement_consents():
    """Consent decisions about sharing the guidance agreement (a Prefetch queryset for a service user's consents)."""
    return Consent.objects.filter(purpose=Purpose.AGREEMENT).select_related("recipient__professional")


def consent_in(household, pk: int) -> Consent:
    return Consent.objects.select_related("service_user", "recipient__professional").get(household=household, pk=pk)


# What consent to each purpose lets a partner see, besides who the family are and who to contact.
PURPOSE_SCOPES = {Purpose.AGREEMENT: ShareScope.AGREEMENT, Purpose.SAFETY_PLAN: ShareScope.SAFETY_PLAN}


# What a partner sees --------------------------------------------------------------------------------------------------


def shared_with_me(user, as_of: date) -> list[Household]:
    """A partner's "Shared with me": the households they reach, each with its lead practitioner, the children living
    there and the consents that cover this partner (four queries, however many families)."""
    return list(shared_households(user, as_of).filter(access.household_q(user)).order_by("-unread", "name", "pk"))


def shared_households(user, as_of: date) -> QuerySet[Household]:
    """Households with what the shared list shows (lead practitioner, children, the consents covering `user`); the
    caller filters them to the user's reach."""
    mine = Consent.objects.filter(access.consent_covers_q(user)).order_by("purpose", "pk")
    leads = Involvement.objects.filter(is_lead=True, end_date__isnull=True).select_related("professional__organisation")
    children = HouseholdMember.objects.current(as_of).filter(role=MemberRole.CHILD).order_by("date_of_birth", "pk")
    unread = Notification.objects.filter(
        household=OuterRef("pk"),
        status=NotificationStatus.SENT,
        acknowledged_at__isnull=True,
        recipient__professional_id=user.pk,
    )
    return (
        Household.objects.select_related("team")
        .annotate(unread=Exists(unread))
        .prefetch_related(
            Prefetch("network", queryset=leads, to_attr="leads"),
            Prefetch("members", queryset=children, to_attr="children"),
            Prefetch("consents", queryset=mine, to_attr="covering_me"),
        )
        .order_by("name", "pk")
    )


def shared_view(user, household, as_of: date) -> dict:
    """Everything the shared view shows one partner about one household: who the family are, who leads and how to
    reach them, the keyworkers, and what consent covers for this partner."""
    members = list(HouseholdMember.objects.current(as_of).filter(household=household).order_by("role", "date_of_birth"))
    service_users = list(
        ServiceUser.objects.filter(household=household, discharged_on__isnull=True)
        .select_related("keyworker__team", "keyworker__organisation")
        .order_by("pk")
    )
    network = list(
        Involvement.objects.filter(household=household, end_date__isnull=True)
        .select_related("professional__organisation")
        .order_by("-is_lead", "pk")
    )
    covering = list(
        Consent.objects.filter(access.consent_covers_q(user), household=household)
        .select_related("service_user")
        .order_by("purpose", "pk")
    )
    decisions = list(
        SharingDecision.objects.filter(access.decision_covers_q(user), household=household)
        .select_related("service_user", "approved_by")
        .order_by("pk")
    )
    scopes = {PURPOSE_SCOPES[c.purpose] for c in covering if c.purpose in PURPOSE_SCOPES}
    scopes |= {scope for d in decisions for scope in d.scopes}
    return {
        "decisions": decisions,
        "sections": shared_sections(household, scopes, as_of),
        "members": members,
        "children": [m for m in members if m.is_child],
        "service_users": service_users,
        "network": network,
        "lead": next((i for i in network if i.is_lead), None),
        "consents": covering,
        "purposes": {c.purpose for c in covering},
    }


# Letters and partners' reports ----------------------------------------------------------------------------------------


def letters_for_household(household) -> list[Notification]:
    return list(
        Notification.objects.filter(household=household)
        .select_related("recipient__professional__organisation", "service_user", "sent_by", "acknowledged_by")
        .order_by("-drafted_at", "-pk")
    )


def letter_in(household, pk: int) -> Notification:
    return Notification.objects.select_related(
        "household__team__organisation",
        "recipient__professional__organisation",
        "service_user",
        "consent",
        "template",
        "sent_by",
        "acknowledged_by",
        "call_by",
    ).get(household=household, pk=pk)


def letters_to(user, household) -> list[Notification]:
    """The letters sent to this partner about this family, newest first."""
    return list(
        Notification.objects.filter(
            household=household, status=NotificationStatus.SENT, recipient__professional_id=user.pk
        ).order_by("-sent_at", "-pk")
    )


def reports_for_household(household) -> list[PartnerReport]:
    return list(
        PartnerReport.objects.filter(household=household)
        .select_related("child", "reported_by__organisation")
        .order_by("-happened_on", "-pk")
    )


def decisions_for_household(household) -> list[SharingDecision]:
    return list(
        SharingDecision.objects.filter(household=household)
        .select_related("service_user", "recipient__professional", "recorded_by", "approved_by")
        .order_by("-decided_on", "-pk")
    )


def referrals_for_household(household) -> list[Referral]:
    return list(
        Referral.objects.filter(household=household)
        .select_related("made_by")
        .prefetch_related("children")
        .order_by("-made_on", "-pk")
    )


def referral_in(household, pk: int) -> Referral:
    return (
        Referral.objects.select_related("household__team__organisation", "made_by")
        .prefetch_related("children")
        .get(household=household, pk=pk)
    )


# Break-glass ----------------------------------------------------------------------------------------------------------


def break_glass_for_review(user, as_of: date, days: int = 30) -> list[BreakGlassGrant]:
    """Open grants, grants not yet reviewed, and the last `days` days' grants, for this manager."""
    since = timezone.now() - timedelta(days=days)
    return list(
        BreakGlassGrant.objects.filter(access.break_glass_review_q(user))
        .filter(Q(granted_at__gte=since) | Q(review="") | Q(expires_at__gt=timezone.now()))
        .select_related("user__organisation", "household__team__organisation", "reviewed_by")
        .order_by("review", "-granted_at", "-pk")
    )


def grant_for_review(user, pk: int) -> BreakGlassGrant | None:
    return (
        BreakGlassGrant.objects.filter(access.break_glass_review_q(user), pk=pk)
        .select_related("user__organisation", "household")
        .first()
    )


# The family chronology ---------------------------------------------------------------------------------------------


def covered_scopes(user, household) -> set[str]:
    """What a partner's current consents and decisions cover in this household (the scopes of the shared view)."""
    purposes = Consent.objects.filter(access.consent_covers_q(user), household=household).values_list(
        "purpose", flat=True
    )
    scopes: set[str] = {str(PURPOSE_SCOPES[p]) for p in purposes if p in PURPOSE_SCOPES}
    for decision_scopes in SharingDecision.objects.filter(
        access.decision_covers_q(user), household=household
    ).values_list("scopes", flat=True):
        scopes |= set(decision_scopes)
    return scopes


def partner_reports_since(household_ids, kinds, since: date) -> dict[int, list[PartnerReport]]:
    """What partners reported of these kinds since the date, by household, newest first (the warning-signs engine
    reads these). One query."""
    found: dict[int, list[PartnerReport]] = {}
    reports = (
        PartnerReport.objects.filter(household_id__in=household_ids, kind__in=list(kinds), happened_on__gte=since)
        .select_related("child", "reported_by")
        .order_by("-happened_on", "-pk")
    )
    for report in reports:
        found.setdefault(report.household_id, []).append(report)
    return found


def child_health_reporters(household_ids) -> set[int]:
    """The households with anyone who could tell the service about the children's health (a health visitor or school
    nurse, or any partner) sharing in them: without one, child health signs are unknown, not clear. Two queries."""
    today_ = timezone.localdate()
    consents = Consent.objects.filter(
        household_id__in=household_ids, decision=Decision.GIVEN, withdrawn_at__isnull=True
    )
    consents = consents.filter(valid_from__lte=today_).filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today_))
    reporting = PartnerReport.objects.filter(household_id__in=household_ids)
    return set(consents.values_list("household_id", flat=True)) | set(reporting.values_list("household_id", flat=True))


def checklist_status(household, as_of: date) -> str:
    """The new-family checklist: the service user asked about sharing (given or refused, either is an answer)."""
    return DONE if Consent.objects.filter(household=household).exists() else NOT_STARTED


def compliance_routine_notification(as_of: date):
    """Managers' dashboard: the routine notification letter sent to the health visitor or school nurse, or, where
    consent to it was refused, the refusal discussed by the team."""
    sent = Notification.objects.filter(
        household=OuterRef("pk"),
        kind=NotificationKind.ROUTINE,
        status=NotificationStatus.SENT,
        sent_at__date__lte=as_of,
    )
    discussed = TeamDiscussion.objects.filter(household=OuterRef("pk"), held_on__lte=as_of)
    return Exists(sent) | Exists(discussed)


def routine_notifications_sent_by_service(start: date, end: date) -> dict[int, int]:
    """Commissioner's report: routine notification letters sent in the period, by treatment service. One query."""
    rows = (
        Notification.objects.filter(
            kind=NotificationKind.ROUTINE,
            status=NotificationStatus.SENT,
            sent_at__date__gte=start,
            sent_at__date__lte=end,
        )
        .values("household__team__organisation_id")
        .annotate(n=Count("pk"))
    )
    return {r["household__team__organisation_id"]: r["n"] for r in rows}


def referrals_made_by_service(start: date, end: date) -> dict[int, int]:
    """Commissioner's report: child protection referrals made in the period, by treatment service. One query."""
    rows = (
        Referral.objects.filter(made_on__gte=start, made_on__lte=end)
        .values("household__team__organisation_id")
        .annotate(n=Count("pk"))
    )
    return {r["household__team__organisation_id"]: r["n"] for r in rows}


def contacts_by_service(households, since: date) -> dict[int, dict[str, int]]:
    """{local service id: {"referrals": made to it, "letters": sent to someone of it}} for these households since
    `since`. Two queries."""
    found: dict[int, dict[str, int]] = {}
    referrals = (
        Referral.objects.filter(household__in=households, service__isnull=False, made_on__gte=since)
        .values("service_id")
        .annotate(n=Count("pk"))
    )
    for row in referrals:
        found.setdefault(row["service_id"], {"referrals": 0, "letters": 0})["referrals"] = row["n"]
    letters = (
        Notification.objects.filter(
            household__in=households,
            recipient__service__isnull=False,
            status=NotificationStatus.SENT,
            sent_at__date__gte=since,
        )
        .values("recipient__service_id")
        .annotate(n=Count("pk"))
    )
    for row in letters:
        found.setdefault(row["recipient__service_id"], {"referrals": 0, "letters": 0})["letters"] = row["n"]
    return found
