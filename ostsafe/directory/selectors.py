"""Reads of the directory of local services."""

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from .models import STRATEGIC_KINDS, LocalService

SERVICES, GROUPS = "services", "groups"


def directory(*, q: str = "", show: str = "", kind: str = "", include_retired: bool = False) -> QuerySet[LocalService]:
    """The directory page and the API's list: services and groups by kind and name, matching the words in `q`
    (name, what they do, area, link person)."""
    rows = LocalService.objects.select_related("part_of")
    if not include_retired:
        rows = rows.current()
    if show == SERVICES:
        rows = rows.services()
    elif show == GROUPS:
        rows = rows.strategic_groups()
    if kind:
        rows = rows.filter(kind=kind)
    for word in q.split():
        rows = rows.filter(
            Q(name__icontains=word)
            | Q(what_they_do__icontains=word)
            | Q(area__icontains=word)
            | Q(link_name__icontains=word)
        )
    return rows.order_by("kind", "name", "id")


def local_service(pk: int) -> LocalService:
    """One entry with its group and subgroups. Raises LocalService.DoesNotExist."""
    return LocalService.objects.select_related("part_of", "updated_by").prefetch_related("subgroups").get(pk=pk)


def to_choose_from(kinds: Iterable[str] | None = None) -> QuerySet[LocalService]:
    """What a form that names a local service offers: current entries, of these kinds if given."""
    rows = LocalService.objects.current()
    if kinds is not None:
        rows = rows.filter(kind__in=list(kinds))
    return rows.order_by("name", "id")


def parent_groups(*, excluding: LocalService | None = None) -> QuerySet[LocalService]:
    """The strategic groups another can be a subgroup of."""
    rows = LocalService.objects.current().filter(kind__in=STRATEGIC_KINDS)
    if excluding is not None and excluding.pk:
        rows = rows.exclude(pk=excluding.pk)
    return rows.order_by("name", "id")
