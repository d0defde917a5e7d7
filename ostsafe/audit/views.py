import re

from django.views.generic import TemplateView

from ostsafe.audit.actions import AuditAction
from ostsafe.core.access import Action
from ostsafe.core.views import ActionRequiredMixin, HouseholdPageMixin

from . import selectors, services
from .forms import AuditFilterForm

EVENT_NUMBER = re.compile(r"^[0-9]{1,18}$")


def _cursor(request, name: str) -> int | None:
    """An event number from the page links (`older`, `newer`); anything else is the first page, never an error."""
    value = request.GET.get(name, "")
    return int(value) if EVENT_NUMBER.match(value) else None


def _page_of_events(request, events, household_id=None):
    page = selectors.page_of_events(
        events,
        household_id=household_id,
        older_than=_cursor(request, "older"),
        newer_than=_cursor(request, "newer"),
    )
    return page, selectors.household_names(page.events)


def _position(request) -> str:
    older, newer = _cursor(request, "older"), _cursor(request, "newer")
    return f"older than event {older}" if older else f"newer than event {newer}" if newer else "newest page"


def _filters(form) -> str:
    if not form.is_bound:
        return "none"
    data = form.data.copy()
    for cursor in ("older", "newer"):
        data.pop(cursor, None)
    return data.urlencode()[:200] or "none"


class AccessLogView(ActionRequiredMixin, TemplateView):
    """Managers: who looked at which family, when, from where, and every refused attempt."""

    required_action = Action.VIEW_AUDIT
    template_name = "audit/events.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        users = selectors.people_in_the_log(user)
        form = AuditFilterForm(self.request.GET or None, users=users)
        household_id = form.cleaned_data["household"] if form.is_bound and form.is_valid() else None
        events = selectors.events_visible_to(user, about_household=household_id)
        if form.is_bound and form.is_valid():
            events = selectors.filter_events(
                events,
                user_id=form.cleaned_data["user"].pk if form.cleaned_data["user"] else None,
                date_from=form.cleaned_data["date_from"],
                date_to=form.cleaned_data["date_to"],
                refused_only=form.cleaned_data["refused_only"],
            )
        page, names = _page_of_events(self.request, events, household_id)
        # Reading the access log is itself written to it: who looked at who looked.
        services.record_access(
            request=self.request,
            user=user,
            action=AuditAction.AUDIT_LOG_VIEW,
            household_id=None,
            allowed=True,
            detail=f"{_position(self.request)}; filters: {_filters(form)}",
        )
        context.update(form=form, page=page, household_names=names, nav_active="audit")
        return context


class HouseholdAccessLogView(HouseholdPageMixin, TemplateView):
    """The access log tab of one household: everyone who looked, and every refused attempt."""

    tab = "access"

    required_action = Action.VIEW_AUDIT
    template_name = "audit/household_events.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        events = selectors.events_visible_to(self.request.user, about_household=self.household.pk)
        page, names = _page_of_events(self.request, events, self.household.pk)
        context.update(
            page=page,
            household_names=names,
            nav_active="caseload",
        )
        return context
