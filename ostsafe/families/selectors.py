"""Reads of families' records, shaped for one page each, with every related row fetched in a fixed number of
queries (list pages assert their query counts in tests)."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, prefetch_related_objects

from ostsafe.core import access
from ostsafe.core.households import caseload_filters, caseload_sort_keys
from ostsafe.core.validators import today

from .models import (
    ChildContact,
    ChildrenAnswer,
    ChildStatus,
    Household,
    HouseholdMember,
    Involvement,
    MemberRole,
    ServiceUser,
)


@dataclass(frozen=True)
class CaseloadFilters:
    scope: str = "mine"  # "mine" | "team" | "all"
    q: str = ""
    children: str = ""  # "" | "living" | "contact" | "none"
    other_ost: bool = False
    # Filters other apps register (core.households.register_caseload_filter): name -> chosen value.
    extra: tuple[tuple[str, str], ...] = ()
    sort: str = "attention"  # "attention" (what needs attention first: the registered sort keys) | "name"


def _children_living_here(as_of: date):
    return HouseholdMember.objects.current(as_of).filter(role=MemberRole.CHILD, lives_here=True)


def _another_ost_user(as_of: date):
    """Guide, "Professional curiosity": someone also using OST residing with the child."""
    other_client = ServiceUser.objects.filter(household=OuterRef("household"), discharged_on__isnull=True).exclude(
        pk=OuterRef("pk")
    )
    other_member = HouseholdMember.objects.current(as_of).filter(
        household=OuterRef("household"), lives_here=True, ost_elsewhere=True
    )
    return Exists(other_client) | Exists(other_member)


def households_with_children(as_of: date) -> QuerySet[Household]:
    """Families the guide is about: someone in treatment who lives with a child or has contact with one (the
    denominator of the managers' dashboard)."""
    in_treatment = ServiceUser.objects.filter(household=OuterRef("pk"), discharged_on__isnull=True)
    living = _children_living_here(as_of).filter(household=OuterRef("pk"))
    contact = ChildContact.objects.filter(
        service_user__household=OuterRef("pk"), service_user__discharged_on__isnull=True
    )
    return Household.objects.filter(Exists(in_treatment)).filter(Exists(living) | Exists(contact))


def people_affected_by_service(as_of: date) -> dict[int, dict[str, int]]:
    """Commissioner's report, by treatment service, on `as_of`: the parents and other adults in treatment who live
    with or see children, and the children (living with them, or seen elsewhere: a child seen by two people in
    treatment counts for each, the record does not say they are one child). Three queries."""

    def in_treatment(prefix=""):
        return Q(**{f"{prefix}discharged_on__isnull": True}) | Q(**{f"{prefix}discharged_on__gt": as_of})

    living = _children_living_here(as_of).filter(household=OuterRef("household"))
    contact = ChildContact.objects.filter(service_user=OuterRef("pk"))
    adults = (
        ServiceUser.objects.filter(
            in_treatment(), Q(in_treatment_since__isnull=True) | Q(in_treatment_since__lte=as_of)
        )
        .filter(Exists(living) | Exists(contact))
        .values("household__team__organisation_id")
        .annotate(n=Count("pk"))
    )
    found: dict[int, dict[str, int]] = {}
    for row in adults:
        found.setdefault(row["household__team__organisation_id"], {"adults": 0, "children": 0})["adults"] = row["n"]
    treated = ServiceUser.objects.filter(in_treatment()).filter(
        Q(in_treatment_since__isnull=True) | Q(in_treatment_since__lte=as_of)
    )
    children_living = (
        _children_living_here(as_of)
        .filter(Exists(treated.filter(household=OuterRef("household"))))
        .values("household__team__organisation_id")
        .annotate(n=Count("pk"))
    )
    children_seen = (
        ChildContact.objects.filter(service_user__in=treated)
        .values("service_user__household__team__organisation_id")
        .annotate(n=Count("pk"))
    )
    for row in children_living:
        found.setdefault(row["household__team__organisation_id"], {"adults": 0, "children": 0})["children"] += row["n"]
    for row in children_seen:
        key = row["service_user__household__team__organisation_id"]
        found.setdefault(key, {"adults": 0, "children": 0})["children"] += row["n"]
    return found


def families_with_children_by_service(as_of: date) -> dict[int, int]:
    """Commissioner's report: the families with children (the practice figures' denominator), by treatment service,
    on `as_of`. One query."""
    rows = households_with_children(as_of).values("team__organisation_id").annotate(n=Count("pk"))
    return {r["team__organisation_id"]: r["n"] for r in rows}


def episodes_in(user, start: date, end: date) -> QuerySet[ServiceUser]:
    """The treatment episodes of the families `user` may see that were open at some time between the dates (the
    NDTMS monthly extract), each with its household's members and its child contacts. Three queries."""
    return (
        ServiceUser.objects.filter(access.reported_households_q(user, prefix="household__"))
        .filter(Q(in_treatment_since__isnull=True) | Q(in_treatment_since__lte=end))
        .filter(Q(discharged_on__isnull=True) | Q(discharged_on__gte=start))
        .select_related("household__team__organisation")
        .prefetch_related("household__members", "child_contacts")
        .order_by("household__team__organisation__name", "pk")
    )


def keyworker_ids(user) -> QuerySet:
    """The ids of the keyworkers of the people in treatment `user` may see (a dashboard's "worker" filter)."""
    return (
        ServiceUser.objects.visible_to(user)
        .filter(discharged_on__isnull=True, keyworker__isnull=False)
        .values("keyworker_id")
        .distinct()
    )


def keyworked_by(households, worker_id: int):
    """Narrow households to those with someone in treatment whose keyworker is this worker."""
    return households.filter(
        Exists(ServiceUser.objects.filter(household=OuterRef("pk"), keyworker_id=worker_id, discharged_on__isnull=True))
    )


def caseload(user, filters: CaseloadFilters, *, as_of: date | None = None) -> QuerySet[ServiceUser]:
    """Service users in treatment that `user` may see, with whether children live with them or they have contact
    with a child (the rows' details, for those the page has not kept: `with_caseload_details`)."""
    as_of = as_of or today()
    rows = (
        ServiceUser.objects.visible_to(user)
        .filter(discharged_on__isnull=True)
        .select_related("household")
        .annotate(
            has_children_living=Exists(_children_living_here(as_of).filter(household=OuterRef("household"))),
            has_child_contacts=Exists(ChildContact.objects.filter(service_user=OuterRef("pk"))),
            another_ost_user=_another_ost_user(as_of),
        )
        .order_by("family_name", "given_name", "id")
    )
    if filters.scope == "mine":
        rows = rows.filter(keyworker=user)
    elif filters.scope == "team" and user.team_id:
        rows = rows.filter(household__team_id=user.team_id)
    if filters.q:
        term = filters.q.strip()
        digits = term.replace(" ", "")
        if digits.isdigit():
            rows = rows.filter(nhs_number__startswith=digits)
        else:
            for word in term.split():
                rows = rows.filter(Q(given_name__icontains=word) | Q(family_name__icontains=word))
    if filters.children == "living":
        rows = rows.filter(has_children_living=True)
    elif filters.children == "contact":
        rows = rows.filter(has_child_contacts=True, has_children_living=False)
    elif filters.children == "protected":
        statutory = _children_living_here(as_of).filter(
            household=OuterRef("household"),
            child_status__in=[ChildStatus.CHILD_PROTECTION_PLAN, ChildStatus.LOOKED_AFTER],
        )
        rows = rows.filter(Exists(statutory))
    elif filters.children == "none":
        rows = rows.filter(has_children_living=False, has_child_contacts=False)
    if filters.other_ost:
        rows = rows.filter(another_ost_user=True)
    registered = {f.name: f for f in caseload_filters()}
    for name, value in filters.extra:
        if value and name in registered:
            rows = registered[name].apply(rows, value, as_of)
    if filters.sort == "attention":
        keys = caseload_sort_keys()
        rows = rows.annotate(**{key.name: key.expression(as_of) for key in keys}).order_by(
            *[
                F(key.name).desc(nulls_last=True) if key.descending else F(key.name).asc(nulls_last=True)
                for key in keys
            ],
            "family_name",
            "given_name",
            "id",
        )
    return rows


def with_caseload_details(rows: list, as_of: date) -> list:
    """These caseload rows with their household's children living there, its lead practitioners and their contacts
    with children elsewhere. Three queries."""
    prefetch_related_objects(
        rows,
        Prefetch("household__members", queryset=_children_living_here(as_of), to_attr="children_living"),
        Prefetch(
            "household__network",
            queryset=Involvement.objects.filter(is_lead=True, end_date__isnull=True).select_related("professional"),
            to_attr="leads",
        ),
        "child_contacts",
    )
    return rows


def household_for_page(household_id: int) -> Household:
    """One household with everything its overview page shows. Raises Household.DoesNotExist."""
    return (
        Household.objects.select_related("team__organisation")
        .prefetch_related(
            Prefetch(
                "service_users",
                queryset=ServiceUser.objects.select_related("keyworker").prefetch_related("child_contacts"),
            ),
            Prefetch(
                "members",
                queryset=HouseholdMember.objects.select_related("service_user").order_by("role", "date_of_birth", "id"),
            ),
            Prefetch(
                "network",
                queryset=Involvement.objects.select_related("professional__organisation").order_by(
                    "-is_lead", "end_date", "id"
                ),
            ),
        )
        .get(pk=household_id)
    )


def household_for_access(household_id: int) -> Household:
    """The household with what the access check needs (its team). Raises Household.DoesNotExist."""
    return Household.objects.select_related("team").get(pk=household_id)


def service_users_for_page():
    """Service users with what their own page shows directly (keyworker, children in contact)."""
    return ServiceUser.objects.select_related("keyworker", "household").prefetch_related("child_contacts")


def member_record_of(service_user: ServiceUser) -> HouseholdMember | None:
    """The household-member record that links this service user as a partner or relative, if any."""
    return HouseholdMember.objects.filter(service_user=service_user).first()


def others_on_ost(household: Household, service_user: ServiceUser):
    """The other service users of the household still in treatment (guide: someone also using OST with the child)."""
    return household.service_users.exclude(pk=service_user.pk).filter(discharged_on__isnull=True)


def members_on_ost_elsewhere(household: Household, as_of: date | None = None):
    """Adults living in the household who are prescribed OST by another service."""
    return HouseholdMember.objects.current(as_of).filter(household=household, ost_elsewhere=True, lives_here=True)


def has_children(household: Household, as_of: date) -> bool:
    """Whether children live in the household now, or someone in treatment there is in contact with a child living
    elsewhere."""
    contact = ChildContact.objects.filter(service_user__household=household, service_user__discharged_on__isnull=True)
    said = household.service_users.filter(
        discharged_on__isnull=True, children_answer__in=[ChildrenAnswer.LIVING, ChildrenAnswer.CONTACT]
    )
    return _children_living_here(as_of).filter(household=household).exists() or contact.exists() or said.exists()


def has_children_in(household: Household, as_of: date) -> bool:
    """`has_children`, answered from a household read by `household_for_page` (its members, its people in treatment
    and their contacts are loaded already): no query."""
    in_treatment = _in_treatment(household)
    return (
        any(_lives_here_as_a_child(m, as_of) for m in household.members.all())
        or any(su.child_contacts.all() for su in in_treatment)
        or any(su.children_answer in (ChildrenAnswer.LIVING, ChildrenAnswer.CONTACT) for su in in_treatment)
    )


def children_living_here(household: Household, as_of: date) -> list[HouseholdMember]:
    return list(_children_living_here(as_of).filter(household=household).order_by("date_of_birth", "pk"))


def service_users_in_treatment(household_ids) -> dict[int, list[ServiceUser]]:
    """The service users in treatment in each household. One query."""
    found: dict[int, list[ServiceUser]] = {}
    for service_user in ServiceUser.objects.filter(household_id__in=household_ids, discharged_on__isnull=True).order_by(
        "pk"
    ):
        found.setdefault(service_user.household_id, []).append(service_user)
    return found


def members_now(household_ids, as_of: date) -> dict[int, list[HouseholdMember]]:
    """Everyone recorded in each household on the date (children, adults, unknown adults), by start date. One query."""
    found: dict[int, list[HouseholdMember]] = {}
    for member in (
        HouseholdMember.objects.current(as_of)
        .filter(household_id__in=household_ids)
        .order_by("start_date", "date_of_birth", "pk")
    ):
        found.setdefault(member.household_id, []).append(member)
    return found


def children_summary(household: Household, as_of: date) -> dict:
    """The children at the top of every tab: those living here (with their statuses) and how many in contact live
    elsewhere. Two queries; none for a household read by `household_for_page`."""
    if loaded_for_page(household):
        in_treatment = _in_treatment(household)
        living = [m for m in household.members.all() if _lives_here_as_a_child(m, as_of)]
        return {
            "living": sorted(living, key=lambda m: (m.date_of_birth is None, m.date_of_birth, m.pk)),
            "in_contact": sum(len(su.child_contacts.all()) for su in in_treatment),
        }
    contacts = ChildContact.objects.filter(service_user__household=household, service_user__discharged_on__isnull=True)
    return {"living": children_living_here(household, as_of), "in_contact": contacts.count()}


def loaded_for_page(household: Household) -> bool:
    """Whether this household was read by `household_for_page` (its people in treatment with their contacts, and its
    members, are loaded already)."""
    loaded = getattr(household, "_prefetched_objects_cache", {})
    return "service_users" in loaded and "members" in loaded


def in_treatment_with_children(household: Household, as_of: date) -> list[ServiceUser]:
    """The household's people in treatment, from a household read by `household_for_page`, each marked as the
    caseload marks its rows (`has_children_living`, `has_child_contacts`) so the take-home checks ask nothing
    again."""
    children_here = any(_lives_here_as_a_child(m, as_of) for m in household.members.all())
    in_treatment: list = _in_treatment(household)  # marked with the caseload's annotations, as its rows are
    for su in in_treatment:
        su.has_children_living = children_here
        su.has_child_contacts = bool(su.child_contacts.all())
    return in_treatment


def _lives_here_as_a_child(member: HouseholdMember, as_of: date) -> bool:
    return member.role == MemberRole.CHILD and member.lives_here and member.is_current(as_of)


def _in_treatment(household: Household) -> list[ServiceUser]:
    """Of a household read by `household_for_page`, its people still in treatment."""
    return [su for su in household.service_users.all() if su.discharged_on is None]


def families_by_service(households) -> dict[int, int]:
    """{local service id: how many of these households have someone from it in their network now}. One query."""
    rows = (
        Involvement.objects.filter(household__in=households, service__isnull=False, end_date__isnull=True)
        .values("service_id")
        .annotate(n=Count("household_id", distinct=True))
    )
    return {row["service_id"]: row["n"] for row in rows}


def adults_living_with_child(household) -> list[dict]:
    """The adults of the household: those in treatment here, then the other adults living there, each once, as
    {"key": "su:<id>" or "member:<id>", "name", "service_user", "member"} (who is invited to meetings, whose views
    are sought, who may own a plan action). Two queries."""
    adults = [
        {"key": f"su:{su.pk}", "name": su.full_name, "service_user": su, "member": None}
        for su in household.service_users.filter(discharged_on__isnull=True)
    ]
    linked = {a["service_user"].pk for a in adults}
    for member in household.members.current().exclude(role=MemberRole.CHILD).filter(lives_here=True):
        if member.service_user_id not in linked:
            adults.append(
                {"key": f"member:{member.pk}", "name": member.display_name, "service_user": None, "member": member}
            )
    return adults
