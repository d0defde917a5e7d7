"""Every write about consent to share, one function per thing a practitioner does, each one transaction."""

from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ostsafe.accounts.selectors import manager_of, team_manager_for
from ostsafe.audit.actions import CONSENT_BY_DECISION, AuditAction
from ostsafe.audit.services import record_change
from ostsafe.core import access
from ostsafe.core.mail import queue_email
from ostsafe.core.services import DomainError, apply_changes
from ostsafe.core.validators import today
from ostsafe.core.working_days import add_working_days
from ostsafe.directory.models import ServiceKind
from ostsafe.families.models import MemberRole
from ostsafe.tasks import services as task_services
from ostsafe.tasks.models import Task

from . import letters
from .models import (
    OPEN_OUTCOMES,
    BreakGlassGrant,
    BreakGlassReview,
    Consent,
    Decision,
    DecisionStatus,
    Notification,
    NotificationKind,
    NotificationStatus,
    NotificationTemplate,
    PartnerReport,
    PartnerReportKind,
    Purpose,
    Referral,
    SharingDecision,
    TeamDiscussion,
)

TEAM_DISCUSSION_DAYS = 5
TEAM_DISCUSSION_RULE = "sharing.team_discussion"
WRITE_LETTER_RULE = "sharing.write_routine_notification"
WRITE_LETTER_WORKING_DAYS = 5


def _keyworker(service_user, fallback):
    """Who acts for a service user: their keyworker, else `fallback` (whoever acted), else a team manager of the
    family's service (a rule running with nobody at the keyboard, like the missed-dose run)."""
    return service_user.keyworker or fallback or team_manager_for(service_user.household, None)


def team_discussion_key(consent) -> str:
    return f"{TEAM_DISCUSSION_RULE}:{consent.pk}"


def _what(consent) -> str:
    return consent.purpose_label[:1].lower() + consent.purpose_label[1:]


def _ask_for_team_discussion(consent: Consent, *, why: str, by, on: date) -> None:
    """Guide: "If the client refuses to consent, this is recorded and a team discussion takes place to consider
    whether this refusal, in the context of other risks, may constitute significant harm and therefore requires a
    child protection referral or another intervention." A task for the team manager."""
    task_services.create_task(
        title="Hold a team discussion: consent to share refused",
        detail=(
            f"{consent.service_user.full_name} {why}. Consider whether this, with the other risks, may constitute "
            "significant harm and needs a child protection referral or another intervention, and record the "
            "discussion on the Sharing tab."
        ),
        household=consent.household,
        service_user=consent.service_user,
        assignee=team_manager_for(consent.household, by),
        due_on=on + timedelta(days=TEAM_DISCUSSION_DAYS),
        created_by=by,
        rule=TEAM_DISCUSSION_RULE,
        dedupe_key=team_discussion_key(consent),
    )


@transaction.atomic
def record_consents(*, recipients, **fields) -> list:
    """One decision about sharing with several professionals at once: a consent record for each (all or none)."""
    return [record_consent(recipient=recipient, **fields) for recipient in recipients]


@transaction.atomic
def record_consent(
    *,
    household,
    service_user,
    recipient,
    purpose: str,
    decision: str,
    decided_on: date,
    recorded_by,
    purpose_detail: str = "",
    valid_from: date | None = None,
    valid_until: date | None = None,
    explained_how: str = "",
) -> Consent:
    """Record a service user's decision about sharing with one professional in the family's network, for one purpose.
    Consent to routine notification needs how it was explained. Guide: "a lack of parental consent to share
    information should be treated as a potential child protection issue", so any refusal asks the team manager for a
    team discussion."""
    errors = {}
    if recipient.household_id != household.pk:
        errors["recipient"] = "Choose a professional in this family's network"
    elif recipient.end_date is not None and recipient.end_date < decided_on:
        errors["recipient"] = (
            f"{recipient.display_name} stopped working with this family on {recipient.end_date:%-d %B %Y}"
        )
    if service_user.household_id != household.pk:
        errors["service_user"] = "Choose someone who lives in this household"
    if valid_until is not None and valid_until < today():
        errors["valid_until"] = "The review or end date must be today or later: consent that has ended covers nothing"
    if decision == Decision.GIVEN and purpose == Purpose.ROUTINE_NOTIFICATION and not (explained_how or "").strip():
        errors["explained_how"] = (
            "Record how routine notification was explained, and the reassurance given that it is part of "
            "supporting parents and their children earlier"
        )
    if errors:
        raise DomainError(errors)
    consent = apply_changes(
        Consent(household=household, service_user=service_user, recipient=recipient, recorded_by=recorded_by),
        {
            "purpose": purpose,
            "purpose_detail": purpose_detail if purpose == Purpose.OTHER else "",
            "decision": decision,
            "decided_on": decided_on,
            "valid_from": valid_from or decided_on,
            "valid_until": valid_until if decision == Decision.GIVEN else None,
            "explained_how": explained_how,
        },
    )
    if decision == Decision.GIVEN and purpose == Purpose.ROUTINE_NOTIFICATION:
        task_services.create_task(
            title=f"Send the routine notification letter to {recipient.display_name}",
            detail="Consent given. Write the letter from the Sharing tab, read it and send it; a follow-up call comes "
            "after.",
            household=household,
            service_user=service_user,
            assignee=_keyworker(service_user, recorded_by),
            due_on=add_working_days(today(), WRITE_LETTER_WORKING_DAYS),
            created_by=recorded_by,
            rule=WRITE_LETTER_RULE,
            dedupe_key=f"{WRITE_LETTER_RULE}:{consent.pk}",
        )
    if decision == Decision.REFUSED:
        _ask_for_team_discussion(
            consent,
            why=f"refused consent to {_what(consent)} with {recipient.display_name}",
            by=recorded_by,
            on=decided_on,
        )
    record_change(
        user=recorded_by, action=CONSENT_BY_DECISION[decision], household_id=household.pk, detail=f"{consent.pk}"
    )
    return consent


@transaction.atomic
def withdraw_consent(*, consent: Consent, withdrawn_on: date, withdrawn_by, note: str = "") -> Consent:
    """The service user withdraws consent they gave. It stops covering anything now: the partner loses what it
    covered on their next request. Like a refusal, it asks the team manager for a team discussion."""
    consent = Consent.objects.select_for_update().get(pk=consent.pk)
    if consent.decision != Decision.GIVEN:
        raise DomainError("Only consent that was given can be withdrawn")
    if consent.withdrawn_at is not None:
        raise DomainError(f"This consent was already withdrawn on {consent.withdrawn_on:%-d %B %Y}")
    if withdrawn_on < consent.decided_on:
        raise DomainError({"withdrawn_on": "Consent cannot be withdrawn before the date it was given"})
    apply_changes(
        consent,
        {
            "withdrawn_at": timezone.now(),
            "withdrawn_on": withdrawn_on,
            "withdrawn_by": withdrawn_by,
            "withdrawal_note": note,
        },
    )
    task_services.close_rule_task(
        dedupe_key=f"{WRITE_LETTER_RULE}:{consent.pk}", outcome="Consent withdrawn", closed_by=withdrawn_by
    )
    _ask_for_team_discussion(
        consent,
        why=f"withdrew consent to {_what(consent)} with {consent.recipient.display_name}",
        by=withdrawn_by,
        on=withdrawn_on,
    )
    record_change(
        user=withdrawn_by,
        action=AuditAction.CONSENT_WITHDRAW,
        household_id=consent.household_id,
        detail=f"{consent.pk}",
    )
    return consent


@transaction.atomic
def record_team_discussion(
    *,
    consent: Consent,
    held_on: date,
    participants: str,
    other_risks: str,
    outcome: str,
    rationale: str,
    recorded_by,
) -> TeamDiscussion:
    """The team discussion after consent was refused or withdrawn: who took part, the other risks considered, the
    outcome and why. Closes the manager's task."""
    if not (consent.decision == Decision.REFUSED or consent.withdrawn_at is not None):
        raise DomainError("A team discussion is recorded about consent that was refused or withdrawn")
    if held_on < (consent.withdrawn_on or consent.decided_on):
        raise DomainError({"held_on": "The discussion must be on or after the day consent was refused or withdrawn"})
    discussion = apply_changes(
        TeamDiscussion(household=consent.household, consent=consent, recorded_by=recorded_by),
        {
            "held_on": held_on,
            "participants": participants,
            "other_risks": other_risks,
            "outcome": outcome,
            "rationale": rationale,
        },
    )
    task_services.close_rule_task(
        dedupe_key=team_discussion_key(consent), outcome=discussion.get_outcome_display(), closed_by=recorded_by
    )
    record_change(
        user=recorded_by,
        action=AuditAction.TEAM_DISCUSSION_RECORD,
        household_id=consent.household_id,
        detail=f"{discussion.pk}",
    )
    return discussion


# Notifications --------------------------------------------------------------------------------------------------------

FOLLOW_UP_CALL_RULE = "sharing.follow_up_call"
SEND_UPDATE_RULE = "sharing.send_update"
UNACKNOWLEDGED_RULE = "sharing.unacknowledged"
FOLLOW_UP_CALL_WORKING_DAYS = 5


def _draft(*, consent: Consent, kind: str, drafted_by, development: str = "") -> Notification:
    template = NotificationTemplate.objects.filter(kind=kind).order_by("-version").first()
    if template is None:
        raise DomainError("No letter template is published for this kind of notification")
    context = letters.letter_context(
        household=consent.household,
        service_user=consent.service_user,
        recipient=consent.recipient,
        keyworker=_keyworker(consent.service_user, drafted_by),
        development=development,
    )
    return apply_changes(
        Notification(
            household=consent.household,
            service_user=consent.service_user,
            recipient=consent.recipient,
            consent=consent,
            kind=kind,
            template=template,
            drafted_by=drafted_by,
        ),
        {
            "subject": letters.fill(template.subject, context),
            "body": "\n\n".join(letters.fill(p, context) for p in template.paragraphs),
            "development": development,
        },
    )


def _refuse_unless_their_children(consent: Consent) -> None:
    """Guide: routine notification goes to the child's health visitor (under 5) or school nurse (school age). A
    recipient who uses OST Safe must be one of them, with a child of their age group in the family (an unborn child
    counts for the health visitor); a professional outside OST Safe is taken as named."""
    professional = consent.recipient.professional
    if professional is None:
        return
    ages = access.routine_notification_ages(professional)
    if ages is None:
        raise DomainError(
            "Routine notification goes to the health visitor (children under 5) or the school nurse (school age)"
        )
    low, high = ages
    children = consent.household.members.current(today()).filter(role=MemberRole.CHILD)
    if not any(
        (child.age is None and child.expected_due_date is not None and low == 0)
        or (child.age is not None and low <= child.age < high)
        for child in children
    ):
        group = "under 5" if low == 0 else "of school age"
        raise DomainError(f"{consent.recipient.display_name} works with children {group}: this family has none")


@transaction.atomic
def draft_routine_notification(*, consent: Consent, drafted_by) -> Notification:
    """The routine notification letter to the professional the consent names, drafted from the newest template for
    the keyworker to read before it is sent. Only under current consent to routine notification, and once."""
    consent = Consent.objects.select_for_update().select_related("household__team__organisation").get(pk=consent.pk)
    if consent.purpose != Purpose.ROUTINE_NOTIFICATION:
        raise DomainError("A routine notification needs consent to routine notification")
    if not consent.is_current(today()):
        raise DomainError(f"Consent is {consent.status_label(today()).lower()}: nothing may be sent under it")
    _refuse_unless_their_children(consent)
    earlier = consent.notifications.exclude(status=NotificationStatus.CANCELLED).first()
    if earlier is not None:
        when = f"sent on {earlier.sent_at:%-d %B %Y}" if earlier.is_sent else "drafted and waiting to be sent"
        raise DomainError(f"The routine notification to {consent.recipient.display_name} was already {when}")
    notification = _draft(consent=consent, kind=NotificationKind.ROUTINE, drafted_by=drafted_by)
    record_change(
        user=drafted_by,
        action=AuditAction.NOTIFICATION_DRAFT,
        household_id=consent.household_id,
        detail=f"{notification.pk}",
    )
    return notification


@transaction.atomic
def draft_updates(*, household, development: str, drafted_by, service_user=None) -> list[Notification]:
    """Guide: tell the health visitor or school nurse of "any developments, significant changes, or concerns". One
    draft update to every recipient whose current consent covers updates (about `service_user`, or anyone in the
    household), each with a task for the keyworker to check and send it. Never sent without a person."""
    covering = (
        Consent.objects.filter(household=household, purpose=Purpose.UPDATES, decision=Decision.GIVEN)
        .select_related("service_user__keyworker", "recipient__professional", "household__team__organisation")
        .order_by("recipient_id", "pk")
    )
    if service_user is not None:
        covering = covering.filter(service_user=service_user)
    drafts: list[Notification] = []
    for consent in covering:
        if not consent.is_current(today()) or any(d.recipient_id == consent.recipient_id for d in drafts):
            continue
        if _keyworker(consent.service_user, drafted_by) is None:
            continue  # nobody in the service to check it: nothing is drafted that nobody will read
        notification = _draft(
            consent=consent, kind=NotificationKind.UPDATE, drafted_by=drafted_by, development=development
        )
        keyworker = _keyworker(consent.service_user, drafted_by)
        task_services.create_task(
            title=f"Check and send the update to {consent.recipient.display_name}",
            detail=f"Drafted because: {development}. Read it, change what needs changing, and send it, or record "
            "why it was not sent.",
            household=household,
            service_user=consent.service_user,
            assignee=keyworker,
            due_on=add_working_days(today(), 1),
            created_by=drafted_by,
            rule=SEND_UPDATE_RULE,
            dedupe_key=f"{SEND_UPDATE_RULE}:{notification.pk}",
        )
        drafts.append(notification)
    if drafts:
        record_change(
            user=drafted_by,
            action=AuditAction.NOTIFICATION_DRAFT,
            household_id=household.pk,
            detail=" ".join(str(d.pk) for d in drafts),
        )
    return drafts


def recipient_email(notification) -> str:
    recipient = notification.recipient
    return recipient.professional.email if recipient.professional_id else recipient.email


@transaction.atomic
def send_notification(*, notification: Notification, sent_by, body: str | None = None) -> Notification:
    """Send a drafted notification: by email (the letter as a PDF) where the recipient has an address, and in their
    shared view. Only while the consent that covers it is current (withdrawn since the draft: refused). A routine
    notification is followed by a telephone call: a task for the keyworker."""
    notification = Notification.objects.select_for_update().get(pk=notification.pk)
    if notification.status != NotificationStatus.DRAFT:
        raise DomainError(f"This letter is {notification.get_status_display().lower()}: it cannot be sent again")
    consent = notification.consent
    if not consent.is_current(today()):
        raise DomainError(
            f"Consent to share with {notification.recipient.display_name} is now "
            f"{consent.status_label(today()).lower()}: the letter cannot be sent"
        )
    changes = {
        "status": NotificationStatus.SENT,
        "sent_at": timezone.now(),
        "sent_by": sent_by,
        "emailed_to": recipient_email(notification),
    }
    if body is not None:
        changes["body"] = body
    apply_changes(notification, changes)
    task_services.close_rule_task(dedupe_key=f"{SEND_UPDATE_RULE}:{notification.pk}", outcome="Sent", closed_by=sent_by)
    if notification.kind == NotificationKind.ROUTINE:
        task_services.close_rule_task(
            dedupe_key=f"{WRITE_LETTER_RULE}:{notification.consent_id}", outcome="Letter sent", closed_by=sent_by
        )
        task_services.create_task(
            title=f"Follow-up call to {notification.recipient.display_name} about the routine notification",
            detail="Guide: following the letter, a telephone call between the keyworker and the health visitor or "
            "school nurse. Record what was agreed on the Sharing tab.",
            household=notification.household,
            service_user=notification.service_user,
            assignee=_keyworker(notification.service_user, sent_by),
            due_on=add_working_days(today(), FOLLOW_UP_CALL_WORKING_DAYS),
            created_by=sent_by,
            rule=FOLLOW_UP_CALL_RULE,
            dedupe_key=f"{FOLLOW_UP_CALL_RULE}:{notification.pk}",
        )
    pk = notification.pk
    if notification.emailed_to:
        _email(notification)
    record_change(
        user=sent_by, action=AuditAction.NOTIFICATION_SEND, household_id=notification.household_id, detail=f"{pk}"
    )
    return notification


def _email(notification: Notification) -> None:
    """The letter by email with its PDF, queued with the sending (core.mail: sent by the worker, retried)."""
    notification = Notification.objects.select_related(
        "household__team__organisation", "recipient__professional__organisation", "template", "consent", "service_user"
    ).get(pk=notification.pk)
    queue_email(
        to=notification.emailed_to,
        subject=f"{settings.OSTSAFE_SERVICE_NAME}: {notification.subject}",
        body=notification.body + "\n\nThe letter is attached. Please acknowledge it in OST Safe, under Shared with me.",
        attachment=(
            f"{notification.kind}-notification-{notification.pk}.pdf",
            letters.letter_pdf(notification),
            "application/pdf",
        ),
    )


@transaction.atomic
def cancel_notification(*, notification: Notification, cancelled_by, reason: str) -> Notification:
    """Decide not to send a drafted update (the development does not warrant it, say), with the reason."""
    notification = Notification.objects.select_for_update().get(pk=notification.pk)
    if notification.status != NotificationStatus.DRAFT:
        raise DomainError("Only a letter not yet sent can be withdrawn from sending")
    if not reason.strip():
        raise DomainError({"reason": "Record why it is not being sent"})
    apply_changes(notification, {"status": NotificationStatus.CANCELLED, "call_outcome": reason})
    task_services.close_rule_task(
        dedupe_key=f"{SEND_UPDATE_RULE}:{notification.pk}", outcome=f"Not sent: {reason}", closed_by=cancelled_by
    )
    record_change(
        user=cancelled_by,
        action=AuditAction.NOTIFICATION_CANCEL,
        household_id=notification.household_id,
        detail=f"{notification.pk}",
    )
    return notification


@transaction.atomic
def record_follow_up_call(*, notification: Notification, call_on: date, outcome: str, recorded_by) -> Notification:
    """The telephone call that follows the routine notification letter, and what was agreed."""
    notification = Notification.objects.select_for_update().get(pk=notification.pk)
    if notification.kind != NotificationKind.ROUTINE or not notification.is_sent:
        raise DomainError("A follow-up call is recorded after a routine notification letter has been sent")
    if call_on < timezone.localtime(notification.sent_at).date():
        raise DomainError({"call_on": "The call must be on or after the day the letter was sent"})
    if not outcome.strip():
        raise DomainError({"outcome": "Record what was agreed on the call"})
    apply_changes(notification, {"call_on": call_on, "call_outcome": outcome, "call_by": recorded_by})
    task_services.close_rule_task(
        dedupe_key=f"{FOLLOW_UP_CALL_RULE}:{notification.pk}", outcome="Call made", closed_by=recorded_by
    )
    record_change(
        user=recorded_by,
        action=AuditAction.NOTIFICATION_CALL,
        household_id=notification.household_id,
        detail=f"{notification.pk}",
    )
    return notification


@transaction.atomic
def acknowledge_notification(*, notification: Notification, acknowledged_by) -> Notification:
    """The recipient acknowledges a letter sent to them (the page has asked the gate that it is theirs)."""
    notification = Notification.objects.select_for_update().get(pk=notification.pk)
    if not notification.is_sent:
        raise DomainError("Only a letter that has been sent can be acknowledged")
    if notification.acknowledged_at is None:
        apply_changes(notification, {"acknowledged_at": timezone.now(), "acknowledged_by": acknowledged_by})
        task_services.close_rule_task(
            dedupe_key=f"{UNACKNOWLEDGED_RULE}:{notification.pk}", outcome="Acknowledged", closed_by=acknowledged_by
        )
        record_change(
            user=acknowledged_by,
            action=AuditAction.NOTIFICATION_ACKNOWLEDGE,
            household_id=notification.household_id,
            detail=f"{notification.pk}",
        )
    return notification


def chase_referrals(*, as_of: date) -> int:
    """Referrals sent more than one working day ago without both an acknowledgement and a decision recorded: a task
    for the referrer to chase children's social care (once per referral), closed when both are in. Run daily."""
    made = 0
    waiting = Referral.objects.filter(sent_at__isnull=False, closed_on__isnull=True).filter(
        Q(acknowledged_on__isnull=True) | Q(outcome="")
    )
    for referral in waiting.select_related("household", "made_by").order_by("pk"):
        if add_working_days(timezone.localtime(referral.sent_at).date(), REFERRAL_WORKING_DAYS) >= as_of:
            continue
        key = f"{REFERRAL_ACKNOWLEDGEMENT_RULE}:{referral.pk}"
        if Task.objects.filter(dedupe_key=key).exists():
            continue
        task_services.create_task(
            title="Referral: no acknowledgement and decision from children's social care",
            detail=f"Sent to {referral.sent_to} on {timezone.localtime(referral.sent_at):%-d %B %Y}. Working Together "
            "2023: a decision within one working day. Chase it, and record the acknowledgement and the decision.",
            household=referral.household,
            assignee=referral.made_by,
            due_on=as_of,
            rule=REFERRAL_ACKNOWLEDGEMENT_RULE,
            dedupe_key=key,
        )
        made += 1
    return made


def chase_unacknowledged(*, as_of: date) -> int:
    """Letters sent more than OSTSAFE_ACKNOWLEDGE_WORKING_DAYS working days ago and not acknowledged: a task for the
    keyworker to get in touch (once per letter). Run daily (`manage.py chase_notifications`)."""
    days = settings.OSTSAFE_ACKNOWLEDGE_WORKING_DAYS
    made = 0
    waiting = (
        Notification.objects.filter(status=NotificationStatus.SENT, acknowledged_at__isnull=True)
        .select_related("household", "service_user__keyworker", "recipient__professional", "sent_by")
        .order_by("pk")
    )
    for notification in waiting:
        if add_working_days(timezone.localtime(notification.sent_at).date(), days) >= as_of:
            continue
        key = f"{UNACKNOWLEDGED_RULE}:{notification.pk}"
        if Task.objects.filter(dedupe_key=key).exists():
            continue
        task_services.create_task(
            title=f"{notification.recipient.display_name} has not acknowledged the letter",
            detail=f"{notification.subject}, sent {timezone.localtime(notification.sent_at):%-d %B %Y}. Get in touch "
            "to check it arrived.",
            household=notification.household,
            service_user=notification.service_user,
            assignee=_keyworker(notification.service_user, notification.sent_by),
            due_on=as_of,
            rule=UNACKNOWLEDGED_RULE,
            dedupe_key=key,
        )
        made += 1
    return made


# Partners post back ---------------------------------------------------------------------------------------------------

PARTNER_REPORT_RULE = "sharing.partner_report"


@transaction.atomic
def record_partner_report(
    *,
    household,
    reported_by,
    kind: str,
    happened_on: date,
    details: str,
    child=None,
    category: str = "",
    attendance_percent: int | None = None,
) -> PartnerReport:
    """A partner tells the treatment service of an update, a concern or a child health event (the page has asked
    the gate that the family is shared with them). A task for each service user's keyworker."""
    report = apply_changes(
        PartnerReport(household=household, reported_by=reported_by),
        {
            "kind": kind,
            "happened_on": happened_on,
            "details": details,
            "child": child,
            "category": category if kind == PartnerReportKind.CONCERN else "",
            "attendance_percent": attendance_percent,
        },
    )
    about = f" about {child.given_name}" if child is not None and child.given_name else ""
    keyworkers = {su.keyworker for su in household.service_users.select_related("keyworker") if su.keyworker}
    for keyworker in keyworkers or {team_manager_for(household, None)} - {None}:
        task_services.create_task(
            title=f"{reported_by.full_name} ({reported_by.get_role_display().lower()}): "
            f"{report.get_kind_display().lower()}{about}",
            detail=details,
            household=household,
            assignee=keyworker,
            due_on=add_working_days(today(), 1) if kind != PartnerReportKind.UPDATE else add_working_days(today(), 3),
            created_by=reported_by,
            rule=PARTNER_REPORT_RULE,
        )
    record_change(
        user=reported_by, action=AuditAction.PARTNER_REPORT, household_id=household.pk, detail=f"{report.pk} {kind}"
    )
    return report


# Sharing without consent ----------------------------------------------------------------------------------------------

APPROVAL_RULE = "sharing.decision_approval"


def _current_recipient(recipient, household, on: date) -> dict:
    if recipient.household_id != household.pk:
        return {"recipient": "Choose a professional in this family's network"}
    if recipient.end_date is not None and recipient.end_date < on:
        return {
            "recipient": f"{recipient.display_name} stopped working with this family on {recipient.end_date:%-d %B %Y}"
        }
    return {}


@transaction.atomic
def record_sharing_decision(
    *,
    household,
    service_user,
    recipient,
    share: bool,
    reason: str,
    family_told: bool,
    decided_on: date,
    recorded_by,
    approve_now: bool,
    scopes: list | None = None,
    article_6_basis: str = "",
    special_category_condition: str = "",
    not_told_reason: str = "",
    valid_from: date | None = None,
    valid_until: date | None = None,
) -> SharingDecision:
    """A decision to share without consent, or not to share, with its reasons. A manager's own decision is approved as
    it is recorded (`approve_now`: the page has asked the gate); anyone else's waits for a manager, who gets a task."""
    errors = _current_recipient(recipient, household, decided_on)
    if valid_until is not None and valid_until < today():
        errors["valid_until"] = "The end date must be today or later"
    if errors:
        raise DomainError(errors)
    decision = apply_changes(
        SharingDecision(household=household, service_user=service_user, recipient=recipient, recorded_by=recorded_by),
        {
            "share": share,
            "scopes": list(scopes or []) if share else [],
            "reason": reason,
            "article_6_basis": article_6_basis if share else "",
            "special_category_condition": special_category_condition if share else "",
            "family_told": family_told,
            "not_told_reason": "" if family_told else not_told_reason,
            "decided_on": decided_on,
            "valid_from": (valid_from or decided_on) if share else None,
            "valid_until": valid_until if share else None,
            "status": DecisionStatus.APPROVED if approve_now else DecisionStatus.AWAITING_APPROVAL,
            "approved_by": recorded_by if approve_now else None,
            "approved_at": timezone.now() if approve_now else None,
        },
    )
    if not approve_now:
        task_services.create_task(
            title=f"Approve or not: a decision {'to share' if share else 'not to share'} without consent",
            detail=f"With {recipient.display_name}: {reason}",
            household=household,
            service_user=service_user,
            assignee=team_manager_for(household, recorded_by),
            due_on=add_working_days(today(), 1),
            created_by=recorded_by,
            rule=APPROVAL_RULE,
            dedupe_key=f"{APPROVAL_RULE}:{decision.pk}",
        )
    record_change(
        user=recorded_by,
        action=AuditAction.SHARING_DECISION_RECORD,
        household_id=household.pk,
        detail=f"{decision.pk} {'share' if share else 'not share'}",
    )
    return decision


@transaction.atomic
def approve_sharing_decision(*, decision: SharingDecision, approved: bool, note: str, approved_by) -> SharingDecision:
    """The manager's approval (or not) of a decision recorded by someone else (the page has asked the gate)."""
    decision = SharingDecision.objects.select_for_update().get(pk=decision.pk)
    if decision.status != DecisionStatus.AWAITING_APPROVAL:
        raise DomainError(f"This decision is already {decision.get_status_display().lower()}")
    if decision.recorded_by_id == approved_by.pk:
        raise DomainError("Another manager approves a decision you recorded")
    if not approved and not note.strip():
        raise DomainError({"note": "Record why it is not approved"})
    apply_changes(
        decision,
        {
            "status": DecisionStatus.APPROVED if approved else DecisionStatus.NOT_APPROVED,
            "approved_by": approved_by,
            "approved_at": timezone.now(),
            "approval_note": note,
        },
    )
    task_services.close_rule_task(
        dedupe_key=f"{APPROVAL_RULE}:{decision.pk}",
        outcome="Approved" if approved else f"Not approved: {note}",
        closed_by=approved_by,
    )
    record_change(
        user=approved_by,
        action=AuditAction.SHARING_DECISION_APPROVE,
        household_id=decision.household_id,
        detail=f"{decision.pk} {'approved' if approved else 'not approved'}",
    )
    return decision


# Referrals to children's social care ----------------------------------------------------------------------------------

REFERRAL_ACKNOWLEDGEMENT_RULE = "sharing.referral_acknowledgement"
REFERRAL_WORKING_DAYS = 1  # Working Together 2023: acknowledge and decide within one working day


@transaction.atomic
def record_referral(*, household, children, made_by, made_on: date, **fields) -> Referral:
    """A child protection referral, written for the referral route (its PDF), not yet sent."""
    children = list(children or [])
    if not children:
        raise DomainError({"children": "Select the child or children the referral is about"})
    if any(child.household_id != household.pk or not child.is_child for child in children):
        raise DomainError({"children": "Choose children of this family"})
    service = fields.get("service")
    if service is not None:
        if service.kind != ServiceKind.FRONT_DOOR or not service.is_current:
            raise DomainError({"service": "Choose a children's social care front door that is in the directory now"})
        fields = {**fields, "sent_to": fields.get("sent_to") or service.name}
    if not fields.get("sent_to"):
        raise DomainError({"sent_to": "Choose the front door the referral goes to, or enter who it goes to"})
    referral = apply_changes(Referral(household=household, made_by=made_by), {"made_on": made_on, **fields})
    referral.children.set(children)
    record_change(user=made_by, action=AuditAction.REFERRAL_RECORD, household_id=household.pk, detail=f"{referral.pk}")
    return referral


@transaction.atomic
def send_referral(*, referral: Referral, sent_by) -> Referral:
    """Record the referral as sent. Children's social care should acknowledge it and decide within one working day
    (`chase_referrals` makes a task when they have not). Partners whose consent covers updates get a drafted
    update."""
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.sent_at is not None:
        raise DomainError(f"This referral was sent on {timezone.localtime(referral.sent_at):%-d %B %Y}")
    apply_changes(referral, {"sent_at": timezone.now()})
    draft_updates(household=referral.household, development="a child protection referral was made", drafted_by=sent_by)
    record_change(
        user=sent_by, action=AuditAction.REFERRAL_SEND, household_id=referral.household_id, detail=f"{referral.pk}"
    )
    return referral


@transaction.atomic
def record_referral_response(
    *,
    referral: Referral,
    recorded_by,
    acknowledged_on: date | None = None,
    acknowledged_by_name: str = "",
    decided_on: date | None = None,
    outcome: str = "",
    outcome_note: str = "",
) -> Referral:
    """Children's social care's acknowledgement and decision. Once both are in, the chasing task closes; a decision of
    no further action, early help or child in need closes the referral (section 47 and a child protection plan keep
    it open, and with it the allocated social worker's view of the family)."""
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.sent_at is None:
        raise DomainError("Record the referral as sent first")
    if outcome and decided_on is None:
        raise DomainError({"decided_on": "Enter the date of the decision"})
    if decided_on is not None and not outcome:
        raise DomainError({"outcome": "Select the decision"})
    changes: dict = {}
    if acknowledged_on is not None:
        changes |= {"acknowledged_on": acknowledged_on, "acknowledged_by_name": acknowledged_by_name}
    if outcome:
        changes |= {"decided_on": decided_on, "outcome": outcome, "outcome_note": outcome_note}
        if outcome not in OPEN_OUTCOMES:
            changes["closed_on"] = decided_on
    if not changes:
        raise DomainError("Record the acknowledgement, the decision, or both")
    apply_changes(referral, changes)
    if referral.acknowledged_on and referral.outcome:
        task_services.close_rule_task(
            dedupe_key=f"{REFERRAL_ACKNOWLEDGEMENT_RULE}:{referral.pk}",
            outcome=referral.get_outcome_display(),
            closed_by=recorded_by,
        )
    record_change(
        user=recorded_by,
        action=AuditAction.REFERRAL_RESPONSE,
        household_id=referral.household_id,
        detail=f"{referral.pk} {referral.outcome}",
    )
    return referral


@transaction.atomic
def close_referral(*, referral: Referral, closed_on: date, closed_by) -> Referral:
    """Child protection work has ended (a plan ended, an enquiry closed): the social worker's view ends with it."""
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.closed_on is not None:
        raise DomainError("This referral is already closed")
    if referral.decided_on is None or closed_on < referral.decided_on:
        raise DomainError({"closed_on": "A referral closes on or after the decision about it"})
    apply_changes(referral, {"closed_on": closed_on})
    record_change(
        user=closed_by, action=AuditAction.REFERRAL_CLOSE, household_id=referral.household_id, detail=f"{referral.pk}"
    )
    return referral


# Break-glass ----------------------------------------------------------------------------------------------------------

BREAK_GLASS_REVIEW_RULE = "sharing.break_glass_review"


@transaction.atomic
def grant_break_glass(*, user, household, reason: str) -> BreakGlassGrant:
    """Open a family beyond the user's reach for OSTSAFE_BREAK_GLASS_HOURS (the page has asked the gate that they may).
    Their own manager and the family's team manager each get a task to review it."""
    if len(reason.strip()) < 10:
        raise DomainError({"reason": "Say why you need this record now, in a sentence: the managers will review it"})
    now = timezone.now()
    active = BreakGlassGrant.objects.filter(user=user, household=household, expires_at__gt=now).first()
    if active is not None:
        return active
    grant = apply_changes(
        BreakGlassGrant(user=user, household=household),
        {
            "reason": reason,
            "granted_at": now,
            "expires_at": now + timedelta(hours=settings.OSTSAFE_BREAK_GLASS_HOURS),
        },
    )
    reviewers = {manager for manager in (manager_of(user), team_manager_for(household, None)) if manager is not None}
    for manager in reviewers:
        task_services.create_task(
            title=f"Review break-glass access by {user.full_name}",
            detail=f"{user.full_name} ({user.get_role_display().lower()}, {user.organisation}) opened this family's "
            f"record at {timezone.localtime(now):%H:%M on %-d %B %Y}: {reason}",
            household=household,
            assignee=manager,
            due_on=add_working_days(timezone.localdate(now), 1),
            created_by=user,
            rule=BREAK_GLASS_REVIEW_RULE,
            dedupe_key=f"{BREAK_GLASS_REVIEW_RULE}:{grant.pk}:{manager.pk}",
        )
    record_change(user=user, action=AuditAction.BREAK_GLASS_GRANT, household_id=household.pk, detail=f"{grant.pk}")
    return grant


@transaction.atomic
def review_break_glass(*, grant: BreakGlassGrant, review: str, note: str, reviewed_by) -> BreakGlassGrant:
    """A manager's review: appropriate or not (with a note). Closes every review task for the grant."""
    grant = BreakGlassGrant.objects.select_for_update().get(pk=grant.pk)
    if grant.user_id == reviewed_by.pk:
        raise DomainError("Another manager reviews your own break-glass access")
    if grant.review:
        raise DomainError(f"Already reviewed: {grant.get_review_display().lower()}")
    if review == BreakGlassReview.NOT_APPROPRIATE and not note.strip():
        raise DomainError({"note": "Say why it was not appropriate, and what happens next"})
    apply_changes(
        grant, {"review": review, "review_note": note, "reviewed_by": reviewed_by, "reviewed_at": timezone.now()}
    )
    for task in Task.objects.filter(dedupe_key__startswith=f"{BREAK_GLASS_REVIEW_RULE}:{grant.pk}:", status="open"):
        task_services.close_rule_task(
            dedupe_key=task.dedupe_key, outcome=grant.get_review_display(), closed_by=reviewed_by
        )
    record_change(
        user=reviewed_by,
        action=AuditAction.BREAK_GLASS_REVIEW,
        household_id=grant.household_id,
        detail=f"{grant.pk} {review}",
    )
    return grant
