"""Consent, letters to partners, partners' reports, decisions to share, referrals and break-glass in the family
chronology."""

from django.utils import timezone

from ostsafe.core.households import ChronologyEvent, in_period

from .models import (
    BreakGlassGrant,
    Consent,
    Notification,
    NotificationStatus,
    PartnerReport,
    Referral,
    SharingDecision,
    TeamDiscussion,
)


def _day(moment):
    return timezone.localtime(moment).date()


def _what(consent) -> str:
    return f"{consent.purpose_label.lower()}, {consent.recipient.display_name}"


def consent_events(household, since, until) -> list[ChronologyEvent]:
    found = []
    consents = Consent.objects.filter(household=household).select_related("service_user", "recipient__professional")
    for c in in_period(consents, "decided_on", since, until):
        decision = "gave" if c.decision == "given" else "refused"
        found.append(
            ChronologyEvent(
                on=c.decided_on,
                kind="consent",
                title=f"{c.service_user.full_name} {decision} consent: {_what(c)}",
            )
        )
    for c in in_period(consents.filter(withdrawn_on__isnull=False), "withdrawn_on", since, until):
        found.append(
            ChronologyEvent(
                on=c.withdrawn_on,
                kind="consent",
                title=f"{c.service_user.full_name} withdrew consent: {_what(c)}",
                detail=c.withdrawal_note,
            )
        )
    discussions = TeamDiscussion.objects.filter(household=household).select_related("recorded_by")
    for d in in_period(discussions, "held_on", since, until):
        found.append(
            ChronologyEvent(
                on=d.held_on,
                kind="consent",
                title=f"Team discussion about refused consent: {d.get_outcome_display().lower()}",
                detail=d.rationale,
                by=d.recorded_by.full_name,
            )
        )
    return found


def letter_events(household, since, until) -> list[ChronologyEvent]:
    letters = Notification.objects.filter(household=household, status=NotificationStatus.SENT).select_related(
        "recipient__professional", "sent_by"
    )
    found = []
    for n in letters:
        if (since is None or _day(n.sent_at) >= since) and (until is None or _day(n.sent_at) <= until):
            found.append(
                ChronologyEvent(
                    on=_day(n.sent_at),
                    kind="letters",
                    title=f"{n.get_kind_display()} sent to {n.recipient.display_name}",
                    detail=n.development,
                    by=n.sent_by.full_name if n.sent_by_id else "",
                )
            )
        if n.call_on and (since is None or n.call_on >= since) and (until is None or n.call_on <= until):
            found.append(
                ChronologyEvent(
                    on=n.call_on,
                    kind="letters",
                    title=f"Follow-up call with {n.recipient.display_name}",
                    detail=n.call_outcome,
                )
            )
    reports = PartnerReport.objects.filter(household=household).select_related("reported_by", "child")
    for r in in_period(reports, "happened_on", since, until):
        about = f" ({r.child.given_name})" if r.child_id and r.child.given_name else ""
        found.append(
            ChronologyEvent(
                on=r.happened_on,
                kind="letters",
                title=f"From {r.reported_by.get_role_display().lower()}: {r.get_kind_display().lower()}{about}",
                detail=r.details,
                by=r.reported_by.full_name,
            )
        )
    return found


def safeguarding_events(household, since, until) -> list[ChronologyEvent]:
    """Decisions about sharing without consent, child protection referrals and break-glass access."""
    found = []
    decisions = SharingDecision.objects.filter(household=household).select_related("recipient__professional")
    for d in in_period(decisions, "decided_on", since, until):
        what = "share" if d.share else "not to share"
        found.append(
            ChronologyEvent(
                on=d.decided_on,
                kind="referrals",
                title=f"Decision to {what} without consent with {d.recipient.display_name} "
                f"({d.get_status_display().lower()})",
                detail=d.reason,
            )
        )
    referrals = Referral.objects.filter(household=household).select_related("made_by")
    for r in in_period(referrals, "made_on", since, until):
        found.append(
            ChronologyEvent(
                on=r.made_on,
                kind="referrals",
                title=f"Child protection referral to {r.sent_to}",
                detail=r.concerns,
                by=r.made_by.full_name,
            )
        )
    for r in in_period(referrals.filter(decided_on__isnull=False), "decided_on", since, until):
        found.append(
            ChronologyEvent(on=r.decided_on, kind="referrals", title=f"Referral decision: {r.get_outcome_display()}")
        )
    for g in BreakGlassGrant.objects.filter(household=household).select_related("user"):
        if (since is None or _day(g.granted_at) >= since) and (until is None or _day(g.granted_at) <= until):
            found.append(
                ChronologyEvent(
                    on=_day(g.granted_at),
                    kind="referrals",
                    title=f"Break-glass access by {g.user.full_name}",
                    detail=g.reason,
                )
            )
    return found
