"""The warning-signs engine: evaluate a family's signs, raise and clear flags (edge-triggered), acknowledge them,
raise one by hand, and send unacknowledged flags to the manager. Each function is one transaction."""

import gc
import logging
from contextlib import contextmanager
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from ostsafe.accounts.selectors import team_manager_for
from ostsafe.audit.actions import AuditAction
from ostsafe.audit.services import record_change, record_changes
from ostsafe.core.services import DomainError, apply_changes
from ostsafe.core.validators import today
from ostsafe.families.models import Household
from ostsafe.tasks import services as task_services
from ostsafe.tasks.models import Task, TaskStatus

from . import facts
from .models import Flag, FlagAction, Observation, ObservationKind, ProfessionalSays, WarningSignPolicy
from .signs import RAISED, SIGNS, SIGNS_BY_KEY

logger = logging.getLogger(__name__)
FLAG_RULE = "curiosity.flag"
ESCALATION_RULE = "curiosity.flag_unacknowledged"
SWEEP_CHUNK = 2000


def findings(household, as_of: date, policy=None) -> dict:
    """Every sign's finding for the household now: {key: Finding or None (not checked automatically)}."""
    policy = policy or WarningSignPolicy.current()
    [family] = facts.load([household], as_of, policy)
    return findings_from(family, as_of, policy)


def findings_from(family: facts.FamilyFacts, as_of: date, policy) -> dict:
    return {sign.key: sign.evaluate(family, as_of, policy) if sign.evaluate else None for sign in SIGNS}


def _needs_change(now: dict, open_flags: dict) -> bool:
    """Whether these findings would raise, refresh or clear any of the family's open flags."""
    for key, finding in now.items():
        flag = open_flags.get(key)
        if finding is None:
            continue
        if finding.state == RAISED and (flag is None or flag.evidence != finding.evidence):
            return True
        if finding.state != RAISED and flag is not None and flag.raised_by_id is None:
            return True
    return False


def _assignees(household) -> set:
    keyworkers = {su.keyworker for su in household.service_users.filter(discharged_on__isnull=True) if su.keyworker}
    return keyworkers or {m for m in [team_manager_for(household, None)] if m is not None}


def _raise(household, sign, evidence, *, on: date, raised_by=None, reason: str = "") -> Flag:
    flag = apply_changes(
        Flag(household=household, sign=sign.key, raised_by=raised_by),
        {"raised_at": timezone.now(), "raised_on": on, "evidence": evidence, "reason": reason},
    )
    for assignee in _assignees(household):
        task_services.create_task(
            title=f"Warning sign: {sign.title.lower()}",
            detail="Guide: work with evidence, not optimism. Look at the evidence on the Warning signs tab and record "
            "what you did about it.",
            household=household,
            assignee=assignee,
            due_on=on + timedelta(days=WarningSignPolicy.current().acknowledge_days),
            created_by=raised_by,
            rule=FLAG_RULE,
            dedupe_key=f"{FLAG_RULE}:{flag.pk}:{assignee.pk}",
        )
    return flag


@transaction.atomic
def evaluate_household(household, as_of: date) -> dict:
    """Raise a flag for each sign whose rule now holds and has no open flag; refresh the evidence of open ones; clear
    the rule's flags whose rule no longer holds (a hand-raised flag stays until acknowledged and cleared by hand).
    Returns {"raised": [...keys], "cleared": [...keys]}."""
    household = Household.objects.select_for_update().get(pk=household.pk)
    open_flags = {flag.sign: flag for flag in Flag.objects.open().filter(household=household)}
    raised, cleared = [], []
    for key, finding in findings(household, as_of).items():
        if finding is None:
            continue
        flag = open_flags.get(key)
        if finding.state == RAISED and flag is None:
            _raise(household, SIGNS_BY_KEY[key], finding.evidence, on=as_of)
            raised.append(key)
        elif finding.state == RAISED and flag is not None and flag.evidence != finding.evidence:
            apply_changes(flag, {"evidence": finding.evidence})
        elif finding.state != RAISED and flag is not None and flag.raised_by_id is None:
            apply_changes(flag, {"cleared_at": timezone.now()})
            for task in Task.objects.filter(dedupe_key__startswith=f"{FLAG_RULE}:{flag.pk}:", status=TaskStatus.OPEN):
                task_services.close_rule_task(dedupe_key=task.dedupe_key, outcome="The sign no longer holds")
            cleared.append(key)
    if raised or cleared:
        # Written with record_changes, which tells no change listener: evaluating is not itself a change to evaluate.
        record_changes(
            user=None,
            action=AuditAction.WARNING_SIGNS_EVALUATED,
            household_ids=[household.pk],
            detail=f"raised {','.join(raised) or '-'} cleared {','.join(cleared) or '-'}",
        )
    return {"raised": raised, "cleared": cleared}


def evaluate_after_change(household_id: int) -> None:
    """The change listener (core.changes): evaluate the family whose record just changed."""
    household = Household.objects.filter(pk=household_id).first()
    if household is not None:
        evaluate_household(household, today())


@contextmanager
def _cycle_collection_paused():
    """A chunk of the sweep makes hundreds of thousands of short-lived rows, freed by reference counting as soon as the
    chunk is done; Python's cycle collector would walk them again and again meanwhile (a third of the sweep's time on
    the benchmark region). It is paused for the chunk and resumed after."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def evaluate_all(*, as_of: date, chunk: int = SWEEP_CHUNK) -> dict:
    """The nightly sweep: every family, for the rules that depend on time as much as on records. Families are read in
    chunks (`facts.load`: the same queries for a chunk as for one family) and evaluated in memory; only a family whose
    flags would change is evaluated again under its lock and written."""
    policy = WarningSignPolicy.current()
    totals = {"households": 0, "raised": 0, "cleared": 0, "written": 0}
    ids = list(Household.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), chunk):
        some = ids[start : start + chunk]
        open_flags: dict[int, dict] = {}
        for flag in Flag.objects.open().filter(household_id__in=some):
            open_flags.setdefault(flag.household_id, {})[flag.sign] = flag
        with _cycle_collection_paused():
            families = facts.load(Household.objects.filter(pk__in=some).order_by("pk"), as_of, policy)
            changed = [
                family.household
                for family in families
                if _needs_change(findings_from(family, as_of, policy), open_flags.get(family.household.pk, {}))
            ]
        totals["households"] += len(families)
        del families
        for household in changed:
            result = evaluate_household(household, as_of)
            totals["written"] += 1
            totals["raised"] += len(result["raised"])
            totals["cleared"] += len(result["cleared"])
    return totals


@transaction.atomic
def raise_by_hand(*, household, sign_key: str, reason: str, raised_by) -> Flag:
    """A practitioner raises a sign they see that the record cannot (yet) show, with the reason."""
    sign = SIGNS_BY_KEY.get(sign_key)
    if sign is None:
        raise DomainError({"sign": "Choose one of the warning signs"})
    if not reason.strip():
        raise DomainError({"reason": "Say what you have seen or heard"})
    if Flag.objects.open().filter(household=household, sign=sign_key).exists():
        raise DomainError({"sign": f"“{sign.title}” is already raised for this family: add to it when you acknowledge"})
    flag = _raise(household, sign, [], on=today(), raised_by=raised_by, reason=reason)
    record_change(user=raised_by, action=AuditAction.WARNING_SIGN_RAISE, household_id=household.pk, detail=sign_key)
    return flag


@transaction.atomic
def acknowledge_flag(*, flag: Flag, action: str, note: str, acknowledged_by) -> Flag:
    """What was done about a raised sign. Closes its tasks; a hand-raised flag is cleared with it."""
    flag = Flag.objects.select_for_update().get(pk=flag.pk)
    if flag.acknowledged_at is not None:
        raise DomainError("This warning sign has already been acknowledged")
    if action not in FlagAction.values:
        raise DomainError({"action": "Select what was done"})
    if action == FlagAction.NO_ACTION and not note.strip():
        raise DomainError({"note": "Say why no action is needed"})
    changes = {
        "acknowledged_at": timezone.now(),
        "acknowledged_by": acknowledged_by,
        "action": action,
        "action_note": note,
    }
    if flag.raised_by_id is not None:
        changes["cleared_at"] = timezone.now()
    apply_changes(flag, changes)
    for task in Task.objects.filter(dedupe_key__startswith=f"{FLAG_RULE}:{flag.pk}:", status=TaskStatus.OPEN):
        task_services.close_rule_task(
            dedupe_key=task.dedupe_key, outcome=flag.get_action_display(), closed_by=acknowledged_by
        )
    task_services.close_rule_task(
        dedupe_key=f"{ESCALATION_RULE}:{flag.pk}", outcome="Acknowledged", closed_by=acknowledged_by
    )
    record_change(
        user=acknowledged_by,
        action=AuditAction.WARNING_SIGN_ACKNOWLEDGE,
        household_id=flag.household_id,
        detail=f"{flag.pk} {action}",
    )
    return flag


@transaction.atomic
def record_observation(*, household, service_user, recorded_by, **fields) -> Observation:
    """Something the practitioner noticed that might suggest disguised compliance: the behaviour, with its date. The
    record's change listener evaluates the family's signs once it commits."""
    if service_user.household_id != household.pk:
        raise DomainError({"service_user": "Choose someone in treatment in this household"})
    if fields.get("kind") != ObservationKind.REPORTED_CONTACT:
        fields.update(professional="", contact_on=None, professional_says=ProfessionalSays.NOT_CHECKED)
    observation = apply_changes(
        Observation(household=household, service_user=service_user, recorded_by=recorded_by), fields
    )
    record_change(
        user=recorded_by,
        action=AuditAction.WARNING_SIGN_OBSERVATION,
        household_id=household.pk,
        detail=f"{observation.pk} {observation.kind}",
    )
    return observation


def escalate_unacknowledged(*, as_of: date) -> int:
    """Open flags not acknowledged after the policy's days go to the team manager (once per flag)."""
    days = WarningSignPolicy.current().acknowledge_days
    made = 0
    waiting = Flag.objects.open().filter(acknowledged_at__isnull=True, raised_on__lt=as_of - timedelta(days=days))
    for flag in waiting.select_related("household__team").order_by("pk"):
        key = f"{ESCALATION_RULE}:{flag.pk}"
        manager = team_manager_for(flag.household, None)
        if manager is None or Task.objects.filter(dedupe_key=key).exists():
            continue
        task_services.create_task(
            title=f"Warning sign not acknowledged: {SIGNS_BY_KEY[flag.sign].title.lower()}",
            detail=f"Raised {flag.raised_on:%-d %B %Y} and not yet acknowledged by the keyworker.",
            household=flag.household,
            assignee=manager,
            due_on=as_of,
            rule=ESCALATION_RULE,
            dedupe_key=key,
        )
        made += 1
    return made
