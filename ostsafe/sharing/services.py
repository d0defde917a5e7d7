"""Every write about consent to share, one function per thing a practitioner does, each one transaction."""

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from ostsafe.accounts.selectors import team_manager_for
from ostsafe.audit.actions import CONSENT_BY_DECISION, AuditAction
from ostsafe.audit.services import record_change
from ostsafe.core.services import DomainError, apply_changes
from ostsafe.core.validators import today
from ostsafe.tasks import services as task_services

from .models import Consent, Decision, Purpose, TeamDiscussion

TEAM_DISCUSSION_DAYS = 5
TEAM_DISCUSSION_RULE = "sharing.team_discussion"


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
