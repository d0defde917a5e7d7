"""Safety-box stock and issue, the must-share discussion and the leaflet. Each function is one transaction."""

from datetime import date

from django.db import transaction

from ostsafe.accounts.models import Organisation
from ostsafe.audit.actions import BOXES_BY_MOVEMENT, AuditAction
from ostsafe.audit.services import record_change
from ostsafe.core.services import DomainError, apply_changes

from .models import BoxMovement, LeafletGiven, MovementKind, MustShareDiscussion, SafetyBoxIssue
from .selectors import stock_at


def _lock_site(site) -> None:
    # Serialise stock changes at one site so two issues cannot take the last box.
    Organisation.objects.select_for_update().get(pk=site.pk)


@transaction.atomic
def record_box_movement(*, site, kind: str, quantity: int, on: date, recorded_by, note: str = "") -> BoxMovement:
    """Record boxes received, returned or lost at a site. Fails if more are lost than are in stock."""
    if kind == MovementKind.ISSUED:
        raise DomainError({"kind": "Issue a box to a service user from their record, so it is counted for them"})
    _lock_site(site)
    if kind == MovementKind.LOST and quantity > stock_at(site):
        raise DomainError({"quantity": f"Only {stock_at(site)} boxes are in stock at {site}"})
    movement = apply_changes(
        BoxMovement(site=site, recorded_by=recorded_by),
        {"kind": kind, "quantity": quantity, "on": on, "note": note},
    )
    record_change(user=recorded_by, action=BOXES_BY_MOVEMENT[kind], household_id=None, detail=f"{site.pk} x{quantity}")
    return movement


@transaction.atomic
def issue_safety_box(*, service_user, site, issued_on: date, issued_by, acknowledgement_signed: bool) -> SafetyBoxIssue:
    """Issue a lockable safety box from a site's stock to a service user, who signs for it.

    Fails when the site has no boxes in stock, the service user has not signed, or already holds a box.
    """
    _lock_site(site)
    if stock_at(site) < 1:
        raise DomainError(f"There are no safety boxes in stock at {site}. Record a delivery first")
    if SafetyBoxIssue.objects.held().filter(service_user=service_user).exists():
        raise DomainError(f"{service_user.full_name} already has a safety box. Record the old one as returned first")
    issue = apply_changes(
        SafetyBoxIssue(service_user=service_user, site=site, issued_by=issued_by),
        {"issued_on": issued_on, "acknowledgement_signed": acknowledgement_signed},
    )
    apply_changes(
        BoxMovement(site=site, recorded_by=issued_by),
        {"kind": MovementKind.ISSUED, "quantity": 1, "on": issued_on, "note": f"Issue {issue.pk}"},
    )
    record_change(
        user=issued_by,
        action=AuditAction.BOXES_ISSUE,
        household_id=service_user.household_id,
        detail=f"{issue.pk} at {site}",
    )
    return issue


@transaction.atomic
def return_safety_box(*, issue: SafetyBoxIssue, returned_on: date, recorded_by) -> SafetyBoxIssue:
    if issue.returned_on:
        raise DomainError("This box has already been returned")
    if returned_on < issue.issued_on:
        raise DomainError({"returned_on": "A box cannot be returned before it was issued"})
    apply_changes(issue, {"returned_on": returned_on})
    apply_changes(
        BoxMovement(site=issue.site, recorded_by=recorded_by),
        {"kind": MovementKind.RETURNED, "quantity": 1, "on": returned_on, "note": f"Issue {issue.pk}"},
    )
    record_change(
        user=recorded_by,
        action=AuditAction.BOXES_RETURN,
        household_id=issue.service_user.household_id,
        detail=f"{issue.pk}",
    )
    return issue


@transaction.atomic
def record_must_share_discussion(*, service_user, discussed_on: date, discussed_by, points: list[str]):
    """Record which of the guide's must-share safe storage points were discussed, when, and by whom."""
    discussion = apply_changes(
        MustShareDiscussion(service_user=service_user, discussed_by=discussed_by),
        {"discussed_on": discussed_on, "points": list(points)},
    )
    record_change(
        user=discussed_by,
        action=AuditAction.STORAGE_MUST_SHARE,
        household_id=service_user.household_id,
        detail=f"{discussion.pk}",
    )
    return discussion


@transaction.atomic
def record_leaflet_given(*, service_user, given_on: date, given_by) -> LeafletGiven:
    """Guide: "Provide a leaflet for service users setting out the risks of OST and how they can be managed."""
    given = apply_changes(LeafletGiven(service_user=service_user, given_by=given_by), {"given_on": given_on})
    record_change(
        user=given_by, action=AuditAction.STORAGE_LEAFLET, household_id=service_user.household_id, detail=f"{given.pk}"
    )
    return given
