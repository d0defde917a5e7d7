"""Supporting family members in their own right: every write is one of these, in one transaction, audited."""

from datetime import date, timedelta

from django.db import transaction

from ostsafe.audit.actions import AuditAction
from ostsafe.audit.services import record_change
from ostsafe.core.services import DomainError, apply_changes
from ostsafe.tasks import services as tasks

from .models import Carer, OfferKind, Outcome, SupportOffer

# How long after signposting or referring the keyworker asks whether support was taken up.
FOLLOW_UP_DAYS = 28
FOLLOW_UP_RULE = "carers.support_follow_up"


def _follow_up_key(offer: SupportOffer) -> str:
    return f"{FOLLOW_UP_RULE}:{offer.pk}"


@transaction.atomic
def record_carer(*, household, member, cares_for: str, support_needs: str, identified_on: date, recorded_by) -> Carer:
    """A family member recorded with their own support needs. Fails if they are not in this family, are the person
    in treatment, have no name yet, or are recorded already."""
    if member.household_id != household.pk:
        raise DomainError({"member": "Choose someone in this family"})
    if Carer.objects.filter(member=member).exists():
        raise DomainError({"member": f"{member.display_name}'s support needs are recorded already: change them there"})
    carer = apply_changes(
        Carer(household=household),
        {
            "member": member,
            "cares_for": cares_for,
            "support_needs": support_needs,
            "identified_on": identified_on,
            "recorded_by": recorded_by,
        },
    )
    record_change(user=recorded_by, action=AuditAction.CARER_RECORD, household_id=household.pk, detail=f"{carer.pk}")
    return carer


@transaction.atomic
def change_support_needs(*, carer: Carer, cares_for: str, support_needs: str, changed_by) -> Carer:
    """Their needs as they are now (they change: a new baby, an illness, the person in treatment going into
    hospital)."""
    carer = apply_changes(carer, {"cares_for": cares_for, "support_needs": support_needs})
    record_change(
        user=changed_by, action=AuditAction.CARER_RECORD, household_id=carer.household_id, detail=f"{carer.pk}"
    )
    return carer


@transaction.atomic
def offer_support(
    *, carer: Carer, service, kind: str, offered_on: date, offered_by, agreed: bool = False
) -> SupportOffer:
    """Signpost or refer a family member to a support service from the directory. The keyworker is given a task to
    find out, four weeks on, whether support was taken up. Fails (saving nothing) if a referral was not agreed, or
    the service is not a current support service."""
    if not service.is_current:
        raise DomainError({"service": f"{service} no longer runs: choose a current service"})
    offer = apply_changes(
        SupportOffer(carer=carer),
        {"service": service, "kind": kind, "agreed": agreed, "offered_on": offered_on, "offered_by": offered_by},
    )
    name = carer.member.display_name
    verb = "were referred to" if kind == OfferKind.REFERRED else "contacted"
    tasks.create_task(
        title=f"Ask {name} whether they {verb} {service} and are getting support",
        detail=f"{offer.get_kind_display()} on {offered_on:%-d %B %Y}. Record what came of it on Family support.",
        household=carer.household,
        assignee=offered_by,
        due_on=offered_on + timedelta(days=FOLLOW_UP_DAYS),
        created_by=offered_by,
        rule=FOLLOW_UP_RULE,
        dedupe_key=_follow_up_key(offer),
    )
    record_change(
        user=offered_by, action=AuditAction.SUPPORT_OFFER, household_id=carer.household_id, detail=f"{offer.pk}"
    )
    return offer


@transaction.atomic
def record_support_outcome(
    *, offer: SupportOffer, outcome: str, outcome_on: date, recorded_by, note: str = ""
) -> SupportOffer:
    """What came of signposting or a referral; the follow-up task closes. Fails if the outcome is "not known yet" or
    was recorded already."""
    offer = SupportOffer.objects.select_for_update().select_related("carer", "service").get(pk=offer.pk)
    if not offer.is_waiting:
        raise DomainError(f"The outcome was recorded on {offer.outcome_on:%-d %B %Y}")
    if outcome == Outcome.WAITING:
        raise DomainError({"outcome": "Choose what came of it"})
    apply_changes(
        offer,
        {"outcome": outcome, "outcome_on": outcome_on, "outcome_note": note, "outcome_recorded_by": recorded_by},
    )
    tasks.close_rule_task(dedupe_key=_follow_up_key(offer), outcome=offer.get_outcome_display(), closed_by=recorded_by)
    record_change(
        user=recorded_by,
        action=AuditAction.SUPPORT_OUTCOME,
        household_id=offer.carer.household_id,
        detail=f"{offer.pk}",
    )
    return offer
