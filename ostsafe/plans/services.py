"""Guidance agreements, safety plans, reviews and meetings. One function per thing a practitioner does; each is one
transaction that validates, writes its audit event, and makes the tasks the guide's rules call for."""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction

from ostsafe.accounts.selectors import team_manager_for
from ostsafe.audit.actions import AuditAction
from ostsafe.audit.services import record_change, record_changes
from ostsafe.core.services import DomainError, apply_changes
from ostsafe.core.validators import today
from ostsafe.families import selectors as families
from ostsafe.tasks import services as task_services

from . import family_copy
from .models import (
    ActionChange,
    ActionProgress,
    ActionStatus,
    AgreementStatus,
    AgreementTemplate,
    Disagreement,
    FamilyCopy,
    GuidanceAgreement,
    Meeting,
    MeetingAdult,
    PlanAction,
    PlanReview,
    SafetyPlan,
    SignatureMethod,
    Strength,
)
from .uploads import stored_name, validate_scan

REVIEW_DAYS_BY_LEVEL = {"high": 28, "medium": 56, "low": 91}


def _consider_child_protection(*, agreement: GuidanceAgreement, why: str, by, on: date):
    """Guide: "If agreement is not forthcoming, consider whether this should be referred as a child protection
    concern to the appropriate agency." A task for the team manager."""
    task_services.create_task(
        title="Consider whether this should be referred as a child protection concern",
        detail=f"{agreement.service_user.full_name}: {why}",
        household=agreement.household,
        service_user=agreement.service_user,
        assignee=team_manager_for(agreement.household, by),
        due_on=on + timedelta(days=3),
        created_by=by,
        rule="plans.agreement_not_forthcoming",
        dedupe_key=f"plans.child_protection_consider:{agreement.pk}",
    )


def _unsigned_key(agreement) -> str:
    return f"plans.agreement_unsigned:{agreement.pk}"


@transaction.atomic
def draft_agreement(*, household, service_user, expectations: str, drafted_by, drafted_on: date):
    """Draft a guidance agreement from the newest template. A task reminds the keyworker to have it signed."""
    if service_user.household_id != household.pk:
        raise DomainError({"service_user": "Choose someone who lives in this household"})
    agreement = apply_changes(
        GuidanceAgreement(household=household, service_user=service_user, drafted_by=drafted_by),
        {
            "template": AgreementTemplate.objects.order_by("-version").first(),
            "expectations": expectations,
            "drafted_on": drafted_on,
        },
    )
    task_services.create_task(
        title="Guidance agreement not yet signed",
        detail=f"Go through it with {service_user.full_name} and sign it together.",
        household=household,
        service_user=service_user,
        assignee=service_user.keyworker or drafted_by,
        due_on=drafted_on + timedelta(days=7),
        created_by=drafted_by,
        rule="plans.agreement_unsigned",
        dedupe_key=_unsigned_key(agreement),
    )
    record_change(
        user=drafted_by, action=AuditAction.AGREEMENT_DRAFT, household_id=household.pk, detail=f"{agreement.pk}"
    )
    return agreement


def _refuse_unless_draft(agreement):
    if agreement.status != AgreementStatus.DRAFT:
        raise DomainError("This agreement is no longer a draft. Draft a new one to change it")


def _signed(agreement, *, signed_on: date, recorded_by, **fields):
    if signed_on < agreement.drafted_on:
        raise DomainError({"signed_on": "The agreement cannot be signed before it was drafted"})
    apply_changes(
        agreement,
        {"status": AgreementStatus.SIGNED, "signed_on": signed_on, "recorded_by": recorded_by, **fields},
    )
    task_services.close_rule_task(
        dedupe_key=_unsigned_key(agreement), outcome=f"Signed on {signed_on:%-d %B %Y}", closed_by=recorded_by
    )
    record_change(
        user=recorded_by,
        action=AuditAction.AGREEMENT_SIGN,
        household_id=agreement.household_id,
        detail=f"{agreement.pk}",
    )
    return agreement


@transaction.atomic
def sign_agreement_on_screen(*, agreement, signed_name: str, confirmed: bool, signed_on: date, recorded_by):
    """The service user types their name and confirms they have read and agree. Fails without both."""
    _refuse_unless_draft(agreement)
    errors = {}
    if not signed_name.strip():
        errors["signed_name"] = "The service user must type their name to sign"
    if not confirmed:
        errors["confirmed"] = "The service user must confirm they have read the agreement and agree to it"
    if errors:
        raise DomainError(errors)
    return _signed(
        agreement,
        signed_on=signed_on,
        recorded_by=recorded_by,
        signature_method=SignatureMethod.ON_SCREEN,
        signed_name=signed_name.strip(),
    )


@transaction.atomic
def sign_agreement_on_paper(*, agreement, scan, signed_on: date, recorded_by):
    """A paper copy was signed; its scan (PDF or image, size-limited) is kept outside the web root."""
    _refuse_unless_draft(agreement)
    try:
        kind = validate_scan(scan)
    except ValidationError as error:
        raise DomainError({"scan": error.messages}) from None
    scan.name = stored_name(kind)
    return _signed(
        agreement, signed_on=signed_on, recorded_by=recorded_by, signature_method=SignatureMethod.PAPER, scan=scan
    )


@transaction.atomic
def record_agreement_not_forthcoming(*, agreement, reason: str, recorded_by, on: date):
    """The service user will not sign. Recorded with the reason; the team manager gets the child protection task."""
    _refuse_unless_draft(agreement)
    if not reason.strip():
        raise DomainError({"reason": "Record why the agreement was not signed, in the service user's words"})
    apply_changes(
        agreement,
        {"status": AgreementStatus.NOT_FORTHCOMING, "not_forthcoming_reason": reason, "recorded_by": recorded_by},
    )
    task_services.close_rule_task(dedupe_key=_unsigned_key(agreement), outcome="Not forthcoming", closed_by=recorded_by)
    _consider_child_protection(
        agreement=agreement, why=f"would not sign the guidance agreement: {reason}", by=recorded_by, on=on
    )
    record_change(
        user=recorded_by,
        action=AuditAction.AGREEMENT_NOT_FORTHCOMING,
        household_id=agreement.household_id,
        detail=f"{agreement.pk}",
    )
    return agreement


def _review_days(household) -> int:
    from ostsafe.assessments.selectors import latest_completed

    latest = latest_completed(household)
    if latest is None:
        return REVIEW_DAYS_BY_LEVEL["medium"]
    from ostsafe.assessments.models import RiskLevelPolicy

    policy = RiskLevelPolicy.objects.filter(level=latest.practitioner_level).first()
    return policy.review_after_days if policy else REVIEW_DAYS_BY_LEVEL[latest.practitioner_level]


def _review_due_task(plan, *, by):
    task_services.create_task(
        title="Safety plan review due",
        detail="Review progress on every action with the family, and check they understand and agree.",
        household=plan.household,
        assignee=by,
        due_on=plan.next_review_on,
        created_by=by,
        rule="plans.review_due",
        dedupe_key=f"plans.review_due:{plan.pk}",
    )


@transaction.atomic
def bring_review_forward(household) -> SafetyPlan | None:
    """A risk level just decided sets how often the safety plan is reviewed from now on: the next review is due that
    many days after the last (or the plan's start) — sooner than the old schedule said, never later."""
    plan = SafetyPlan.objects.select_for_update().filter(household=household).order_by("-created_on", "-pk").first()
    if plan is None:
        return None
    last = plan.reviews.order_by("-reviewed_on").values_list("reviewed_on", flat=True).first() or plan.created_on
    due_on = last + timedelta(days=_review_days(household))
    if due_on >= plan.next_review_on:
        return plan
    was = plan.next_review_on
    apply_changes(plan, {"next_review_on": due_on})
    task_services.bring_rule_task_forward(dedupe_key=f"plans.review_due:{plan.pk}", due_on=due_on)
    # Written with record_changes, which tells no change listener: this follows a change, it is not a new one.
    record_changes(
        user=None, action=AuditAction.PLAN_REVIEW_SOONER, household_ids=[household.pk], detail=f"{plan.pk} {was}"
    )
    return plan


def review_sooner_after_change(household_id: int) -> None:
    """The change listener (core.changes): after a family's record changes (an assessment completed), its safety plan
    review follows the level now decided."""
    from ostsafe.families.models import Household

    household = Household.objects.filter(pk=household_id).first()
    if household is not None:
        bring_review_forward(household)


@transaction.atomic
def start_safety_plan(*, household, created_by, created_on: date) -> SafetyPlan:
    """Start the household's safety plan; its reviews follow the risk level of the latest assessment."""
    plan = apply_changes(
        SafetyPlan(household=household, created_by=created_by),
        {"created_on": created_on, "next_review_on": created_on + timedelta(days=_review_days(household))},
    )
    _review_due_task(plan, by=created_by)
    record_change(user=created_by, action=AuditAction.PLAN_START, household_id=household.pk, detail=f"{plan.pk}")
    return plan


@transaction.atomic
def add_plan_action(*, plan, expectation: str, why: str, owner: str, due_on: date, added_by, as_of: date):
    """Add an action: what is expected, why, who does it and by when. Fails without an owner or with a past date."""
    if due_on < as_of:
        raise DomainError({"due_on": "The deadline for a new action must be today or later"})
    action = apply_changes(
        PlanAction(plan=plan),
        {"expectation": expectation, "why": why, "owner": owner, "due_on": due_on, "created_on": as_of},
    )
    record_change(
        user=added_by, action=AuditAction.PLAN_ACTION_ADD, household_id=plan.household_id, detail=f"{action.pk}"
    )
    return action


@transaction.atomic
def change_plan_action(*, action, changed_by, reason: str, on: date, expectation=None, due_on=None):
    """Change what is expected or move a deadline. Guide: do not shift goals because of non-compliance, so every
    change needs a reason and stays visible on the plan."""
    changes = {}
    if expectation is not None and expectation.strip() != action.expectation:
        changes["expectation"] = (action.expectation, expectation.strip())
    if due_on is not None and due_on != action.due_on:
        changes["due_on"] = (action.due_on.isoformat(), due_on.isoformat())
    if not changes:
        raise DomainError("Nothing has changed")
    if "due_on" in changes and due_on < on:
        # Guide: clear timescales. A deadline is moved to a new date still to come, never into the past.
        raise DomainError({"due_on": "A deadline can only be moved to today or later"})
    if not reason.strip():
        raise DomainError({"reason": "Give the reason for this change. It stays on the plan for everyone to see"})
    for field, (old, new) in changes.items():
        apply_changes(
            ActionChange(action=action, changed_by=changed_by),
            {"field": field, "old_value": old, "new_value": new, "reason": reason, "changed_on": on},
        )
    apply_changes(
        action,
        {
            k: v
            for k, v in {"expectation": expectation and expectation.strip(), "due_on": due_on}.items()
            if k in changes
        },
    )
    record_change(
        user=changed_by,
        action=AuditAction.PLAN_ACTION_CHANGE,
        household_id=action.plan.household_id,
        detail=f"{action.pk} {','.join(changes)}",
    )
    return action


@transaction.atomic
def review_plan(
    *,
    plan,
    reviewed_by,
    reviewed_on: date,
    understood_and_agreed: bool,
    notes: str,
    progress: dict[int, tuple[str, str]],
    noticed: tuple[str, ...] | list[str] = (),
) -> PlanReview:
    """Review the plan: progress on every open action, whether the service user understood and agreed, and whether
    the practitioner noticed sudden compliance or unexpected agreement with sanctions; the next review date follows
    from the risk level."""
    unknown = set(noticed) - {"sudden_compliance", "agreement_with_sanctions"}
    if unknown:
        raise DomainError({"noticed": "Select what you noticed from the list"})
    open_actions = list(plan.actions.filter(status=ActionStatus.OPEN))
    missing = [a for a in open_actions if a.pk not in progress]
    if missing:
        raise DomainError(f"Record progress on every action, including: {missing[0].expectation[:80]}")
    review = apply_changes(
        PlanReview(plan=plan, reviewed_by=reviewed_by),
        {
            "reviewed_on": reviewed_on,
            "understood_and_agreed": understood_and_agreed,
            "noticed_sudden_compliance": "sudden_compliance" in noticed,
            "noticed_agreement_with_sanctions": "agreement_with_sanctions" in noticed,
            "notes": notes,
            "next_review_on": reviewed_on + timedelta(days=_review_days(plan.household)),
        },
    )
    for action in open_actions:
        status, note = progress[action.pk]
        apply_changes(ActionProgress(review=review, action=action), {"status": status, "note": note})
        if status != action.status:
            apply_changes(action, {"status": status})
    task_services.close_rule_task(
        dedupe_key=f"plans.review_due:{plan.pk}", outcome=f"Reviewed {reviewed_on:%-d %B %Y}", closed_by=reviewed_by
    )
    apply_changes(plan, {"next_review_on": review.next_review_on})
    _review_due_task(plan, by=reviewed_by)
    holders = sorted(set(plan.family_copies.values_list("given_to", flat=True)))
    if holders:
        # Guide, "Joint working": share the progress. The copies the family holds are out of date now.
        task_services.create_task(
            title=f"Give {', '.join(holders)} the new copy of the plan",
            detail=f"Reviewed on {reviewed_on:%-d %B %Y}: their copy no longer shows how it is going.",
            household=plan.household,
            assignee=reviewed_by,
            due_on=reviewed_on + timedelta(days=FAMILY_COPY_DAYS),
            created_by=reviewed_by,
            rule=FAMILY_COPY_RULE,
            dedupe_key=f"{FAMILY_COPY_RULE}:{plan.pk}",
        )
    record_change(
        user=reviewed_by, action=AuditAction.PLAN_REVIEW, household_id=plan.household_id, detail=f"{review.pk}"
    )
    return review


@transaction.atomic
def record_meeting(*, household, kind: str, held_on: date, recorded_by, adults: list[dict], actions_agreed: str = ""):
    """Record a meeting about a child's welfare: each adult living with the child, invited or not, attended or not,
    and their views. Agreed actions make a follow-up task."""
    if not adults:
        raise DomainError("Record every adult living with the child, invited or not")
    if held_on > today():
        raise DomainError({"held_on": "Record a meeting once it has happened: the date must be today or earlier"})
    meeting = apply_changes(
        Meeting(household=household, recorded_by=recorded_by),
        {"kind": kind, "held_on": held_on, "actions_agreed": actions_agreed},
    )
    for adult in adults:
        if adult.get("attended") and not adult.get("invited"):
            raise DomainError(f"{adult['name']} attended, so record them as invited")
        apply_changes(MeetingAdult(meeting=meeting), adult)
    if actions_agreed.strip():
        task_services.create_task(
            title=f"Follow up actions from the {meeting.get_kind_display().lower()}",
            detail=actions_agreed[:500],
            household=household,
            assignee=recorded_by,
            due_on=held_on + timedelta(days=7),
            created_by=recorded_by,
            rule="plans.meeting_actions",
        )
    record_change(
        user=recorded_by, action=AuditAction.MEETING_RECORD, household_id=household.pk, detail=f"{meeting.pk}"
    )
    return meeting


FAMILY_COPY_RULE = "plans.family_copy"
FAMILY_COPY_DAYS = 7


@transaction.atomic
def record_copy_given(*, plan, adult_key: str, given_on: date, given_by) -> FamilyCopy:
    """The family's copy of the plan given to one adult of the family: it shows the plan as of its latest review.
    Once every adult who held a copy has the new one, the task to re-issue closes. Fails if they are not an adult
    living with the child."""
    adults = {adult["key"]: adult for adult in families.adults_living_with_child(plan.household)}
    if adult_key not in adults:
        raise DomainError({"adult_key": "Choose an adult who lives with the children"})
    if given_on < plan.created_on:
        raise DomainError({"given_on": f"The plan was started on {plan.created_on:%-d %B %Y}: give a date since then"})
    latest = plan.reviews.order_by("-reviewed_on", "-pk").first()
    copy = apply_changes(
        FamilyCopy(plan=plan, given_to_key=adult_key, covers_review=latest),
        {"given_to": adults[adult_key]["name"], "given_on": given_on, "given_by": given_by},
    )
    if not family_copy.copies_out_of_date(plan):
        task_services.close_rule_task(
            dedupe_key=f"{FAMILY_COPY_RULE}:{plan.pk}", outcome="New copies given", closed_by=given_by
        )
    record_change(
        user=given_by, action=AuditAction.PLAN_FAMILY_COPY, household_id=plan.household_id, detail=f"{copy.pk}"
    )
    return copy


@transaction.atomic
def record_strength(*, plan, what: str, noticed_on: date, recorded_by) -> Strength:
    """Something the family is doing well, on the plan (and in the family's own copy)."""
    strength = apply_changes(Strength(plan=plan), {"what": what, "noticed_on": noticed_on, "recorded_by": recorded_by})
    record_change(
        user=recorded_by, action=AuditAction.PLAN_STRENGTH, household_id=plan.household_id, detail=f"{strength.pk}"
    )
    return strength


@transaction.atomic
def record_disagreement(
    *, plan, about: str, whose_view: str, family_view: str, practitioner_view: str, raised_on: date, raised_by
) -> Disagreement:
    """Something the family and the practitioner disagree about, each side in its own words. It stays open on the
    plan, and is put to the next review, until it is settled."""
    disagreement = apply_changes(
        Disagreement(plan=plan, raised_by=raised_by),
        {
            "about": about,
            "whose_view": whose_view,
            "family_view": family_view,
            "practitioner_view": practitioner_view,
            "raised_on": raised_on,
        },
    )
    record_change(
        user=raised_by,
        action=AuditAction.PLAN_DISAGREEMENT,
        household_id=plan.household_id,
        detail=f"{disagreement.pk}",
    )
    return disagreement


@transaction.atomic
def settle_disagreement(
    *, disagreement, negotiation: str, outcome: str, decision: str, decided_by: str, resolved_on: date, resolved_by
) -> Disagreement:
    """How a disagreement was talked through, what was decided and who decided. Fails if it is settled already or
    anything is missing."""
    disagreement = Disagreement.objects.select_for_update().get(pk=disagreement.pk)
    if not disagreement.is_open:
        raise DomainError(f"This was settled on {disagreement.resolved_on:%-d %B %Y}")
    apply_changes(
        disagreement,
        {
            "negotiation": negotiation,
            "outcome": outcome,
            "decision": decision,
            "decided_by": decided_by,
            "resolved_on": resolved_on,
            "resolved_by": resolved_by,
        },
    )
    record_change(
        user=resolved_by,
        action=AuditAction.PLAN_DISAGREEMENT,
        household_id=disagreement.plan.household_id,
        detail=f"{disagreement.pk} settled",
    )
    return disagreement
