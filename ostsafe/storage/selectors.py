from datetime import date

from django.db.models import Case, Count, Exists, F, IntegerField, OuterRef, Prefetch, Sum, When

from ostsafe.core.households import DONE, NOT_STARTED, STARTED
from ostsafe.families.models import ChildContact, HouseholdMember, MemberRole, ServiceUser
from ostsafe.prescribing.models import Regime
from ostsafe.prescribing.selectors import current_prescriptions
from ostsafe.prescribing.take_home import CheckResult

from .models import STOCK_IN, BoxMovement, LeafletGiven, SafetyBoxIssue


def stock_at(site) -> int:
    """Boxes in stock at a site: received and returned, less issued and lost."""
    signed = Case(When(kind__in=STOCK_IN, then=F("quantity")), default=-F("quantity"), output_field=IntegerField())
    return BoxMovement.objects.filter(site=site).aggregate(n=Sum(signed))["n"] or 0


def safety_box_checks(*, service_users: list, as_of: date) -> dict[int, CheckResult]:
    """Take-home check: a safety box issued and not returned. One query."""
    label = "A lockable safety box issued"
    held: dict[int, SafetyBoxIssue] = {}
    boxes = SafetyBoxIssue.objects.held().filter(service_user__in=[su.pk for su in service_users], issued_on__lte=as_of)
    for box in (
        boxes.select_related("site").only("service_user_id", "issued_on", "site__name").order_by("-issued_on", "-id")
    ):
        held[box.service_user_id] = box
    found = {}
    for service_user in service_users:
        box = held.get(service_user.pk)
        if box is None:
            found[service_user.pk] = CheckResult("safety_box", label, False, "No safety box issued")
        else:
            found[service_user.pk] = CheckResult(
                "safety_box", label, True, f"Issued on {box.issued_on:%-d %B %Y} at {box.site}"
            )
    return found


def needs_safety_box(user, *, as_of: date):
    """Guide, "Safe storage": safety boxes for all clients prescribed take-home OST who live with or have contact
    with children. Those who have none, among the service users `user` may see."""
    take_home = current_prescriptions(as_of).filter(service_user=OuterRef("pk"), regime=Regime.TAKE_HOME)
    lives_with_child = HouseholdMember.objects.current(as_of).filter(
        household=OuterRef("household"), role=MemberRole.CHILD, lives_here=True
    )
    child_contact = ChildContact.objects.filter(service_user=OuterRef("pk"))
    has_box = SafetyBoxIssue.objects.held().filter(service_user=OuterRef("pk"))
    return (
        ServiceUser.objects.visible_to(user)
        .filter(discharged_on__isnull=True)
        .filter(Exists(take_home))
        .filter(Exists(lives_with_child) | Exists(child_contact))
        .exclude(Exists(has_box))
        .select_related("household", "keyworker")
        .order_by("family_name", "given_name")
    )


def boxes_for_household(household):
    """Safety boxes issued to the household's service users, with where from."""
    return SafetyBoxIssue.objects.filter(service_user__household=household).select_related("service_user", "site")


def recent_movements(site, *, limit: int = 50):
    """A site's latest stock movements, newest first."""
    return BoxMovement.objects.filter(site=site).select_related("recorded_by")[:limit]


def needs_safety_box_list(user, *, as_of: date):
    """The "who needs a box" page: those service users, with their current prescriptions."""
    return needs_safety_box(user, as_of=as_of).prefetch_related(
        Prefetch("prescriptions", queryset=current_prescriptions(as_of), to_attr="current_prescriptions")
    )


def needing_box_in(household, user, *, as_of: date) -> set[int]:
    """The household's service users who need a safety box (ids)."""
    return set(needs_safety_box(user, as_of=as_of).filter(household=household).values_list("pk", flat=True))


def storage_for_household(household):
    """The household's service users with their boxes, safe storage conversations and leaflets."""
    return household.service_users.prefetch_related(
        "safety_boxes__site", "must_share__discussed_by", "leaflets__given_by"
    )


def checklist_status(household, as_of: date) -> str:
    """The new-family checklist: a safety box issued and the leaflet given."""
    box = SafetyBoxIssue.objects.held().filter(service_user__household=household).exists()
    leaflet = LeafletGiven.objects.filter(service_user__household=household).exists()
    return DONE if box and leaflet else STARTED if box or leaflet else NOT_STARTED


def compliance_takes_home(as_of: date):
    """Managers' dashboard: the family has someone on take-home doses (who a safety box is for)."""
    return Exists(
        current_prescriptions(as_of).filter(
            service_user__household=OuterRef("pk"), service_user__discharged_on__isnull=True, regime=Regime.TAKE_HOME
        )
    )


def compliance_safety_box(as_of: date):
    """Managers' dashboard: everyone on take-home doses in the family holds a safety box."""
    without_box = (
        current_prescriptions(as_of)
        .filter(
            service_user__household=OuterRef("pk"), service_user__discharged_on__isnull=True, regime=Regime.TAKE_HOME
        )
        .exclude(Exists(SafetyBoxIssue.objects.held().filter(service_user=OuterRef("service_user"))))
    )
    return ~Exists(without_box)


def compliance_leaflet_given(as_of: date):
    """Managers' dashboard: the safe-storage leaflet given to someone in treatment in the family."""
    return Exists(LeafletGiven.objects.filter(service_user__household=OuterRef("pk"), given_on__lte=as_of))


def boxes_issued_by_service(start: date, end: date) -> dict[int, int]:
    """Commissioner's report: safety boxes issued in the period, by the treatment service of the family. One query."""
    rows = (
        SafetyBoxIssue.objects.filter(issued_on__gte=start, issued_on__lte=end)
        .values("service_user__household__team__organisation_id")
        .annotate(n=Count("pk"))
    )
    return {r["service_user__household__team__organisation_id"]: r["n"] for r in rows}
