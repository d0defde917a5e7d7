from django.core.paginator import Paginator
from django.views.generic import TemplateView

from ostsafe.audit.actions import AuditAction
from ostsafe.core.access import Action
from ostsafe.core.views import ActionRequiredMixin, HouseholdPageMixin

from . import selectors, services
from .forms import AuditFilterForm

PAGE_SIZE = 50


def _page_of_events(request, events):
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = selectors.with_listed(page.object_list)
    return page, selectors.household_names(page.object_list)


class AccessLogView(ActionRequiredMixin, TemplateView):
    """Managers: who looked at which family, when, from where, and every refused attempt."""

    required_action = Action.VIEW_AUDIT
    template_name = "audit/events.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        users = selectors.people_in_the_log(user)
        form = AuditFilterForm(self.request.GET or None, users=users)
        events = selectors.events_visible_to(user)
        if form.is_bound and form.is_valid():
            events = selectors.filter_events(
                events,
                user_id=form.cleaned_data["user"].pk if form.cleaned_data["user"] else None,
                household_id=form.cleaned_data["household"],
                date_from=form.cleaned_data["date_from"],
                date_to=form.cleaned_data["date_to"],
                refused_only=form.cleaned_data["refused_only"],
            )
        page, names = _page_of_events(self.request, events)
        # Reading the access log is itself written to it: who looked at who looked.
        services.record_access(
            request=self.request,
            user=user,
            action=AuditAction.AUDIT_LOG_VIEW,
            household_id=None,
            allowed=True,
            detail=f"page {page.number}; filters: {form.data.urlencode()[:200] if form.is_bound else 'none'}",
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
        events = selectors.about_household(selectors.events_visible_to(self.request.user), self.household.pk)
        page, names = _page_of_events(self.request, events)
        context.update(
            page=page,
            household_names=names,
            nav_active="caseload",
        )
        return context
