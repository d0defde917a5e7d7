from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.generic import TemplateView

from ostsafe.audit.actions import AuditAction
from ostsafe.core import access
from ostsafe.core.access import Action
from ostsafe.core.converters import parse_id
from ostsafe.core.validators import today
from ostsafe.core.views import HouseholdPageMixin, ServiceFormView
from ostsafe.families.models import ServiceUser

from . import forms, selectors, services
from .models import HomeVisit, VisitStatus


class VisitsTabView(HouseholdPageMixin, TemplateView):
    tab = "visits"
    template_name = "visits/tab.html"
    audit_action = AuditAction.VISITS_VIEW

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            visits=selectors.visits_for_household(self.household),
            home_visit_needed=self.household.pk in selectors.households_needing_home_visit([self.household.pk]),
            can_visit=access.can(self.request.user, Action.RECORD_VISIT, self.household),
            nav_active="caseload",
        )
        return context


class PlanVisitView(HouseholdPageMixin, ServiceFormView):
    required_action = Action.RECORD_VISIT
    page_title = "Plan a home visit"
    success_message = "Home visit planned"
    form_class = forms.PlanVisitForm

    def perform(self, form):
        return services.plan_home_visit(household=self.household, planned_by=self.request.user, **form.cleaned_data)

    def get_success_url(self):
        return reverse("visits:tab", args=[self.household.pk])


class RecordVisitView(HouseholdPageMixin, ServiceFormView):
    required_action = Action.RECORD_VISIT
    page_title = "Record a home visit"
    submit_label = "Save visit and record storage"
    success_message = "Home visit recorded. Now record what you found about storage"

    def get_form(self, form_class=None):
        self.planned = None
        if "planned" in self.request.GET:
            planned_id = parse_id(self.request.GET["planned"])
            if planned_id is None:
                raise Http404("No such planned visit")
            self.planned = get_object_or_404(
                HomeVisit, household=self.household, pk=planned_id, status=VisitStatus.PLANNED
            )
        children = services.children_to_observe(self.household, today())
        kwargs = self.get_form_kwargs()
        if self.planned and self.request.method == "GET":
            kwargs["initial"] = {"visited_on": self.planned.planned_for}
        return forms.RecordVisitForm(
            household=self.household,
            children=children,
            adults=services.adults_of(self.household, today()),
            user=self.request.user,
            **kwargs,
        )

    def perform(self, form):
        return services.record_home_visit(
            household=self.household,
            visited_on=form.cleaned_data["visited_on"],
            recorded_by=self.request.user,
            visitors=form.cleaned_data["visitors"],
            service_users_seen=form.cleaned_data["service_users_seen"],
            child_observations=form.child_observations(),
            notes=form.cleaned_data["notes"],
            adults_present=form.cleaned_data.get("adults_present") or [],
            unknown_adult=form.cleaned_data["unknown_adult"],
            visit=self.planned,
        )

    def get_success_url(self):
        if hasattr(self, "result"):
            first = self.household.service_users.filter(discharged_on__isnull=True).first()
            if first:
                return reverse("visits:storage_check", args=[self.household.pk, self.result.pk, first.pk])
        return reverse("visits:tab", args=[self.household.pk])

    def get_cancel_url(self):
        return reverse("visits:tab", args=[self.household.pk])


class StorageCheckView(HouseholdPageMixin, ServiceFormView):
    required_action = Action.RECORD_VISIT
    template_name = "visits/storage_check.html"
    submit_label = "Save storage check"

    def get_form(self, form_class=None):
        self.visit = get_object_or_404(HomeVisit, household=self.household, pk=self.kwargs["visit_id"])
        self.service_user = get_object_or_404(ServiceUser, household=self.household, pk=self.kwargs["service_user_id"])
        self.page_title = f"Storage check: {self.service_user.full_name}"
        on = self.visit.visited_on or today()
        return forms.StorageCheckForm(
            service_user=self.service_user,
            liquid=selectors.takes_a_liquid(self.service_user, on),
            **self.get_form_kwargs(),
        )

    def perform(self, form):
        check = services.record_storage_check(
            visit=self.visit, service_user=self.service_user, checked_by=self.request.user, **form.cleaned_data
        )
        if not check.storage_seen:
            messages.warning(
                self.request,
                f"Storage was only described, not seen. Ask to see where the OST is kept: a follow-up task is due "
                f"{check.follow_up_due_on:%-d %B %Y}.",
            )
        elif not check.satisfied:
            messages.warning(
                self.request,
                f"You are not satisfied with the storage: take further action. A follow-up task is due "
                f"{check.follow_up_due_on:%-d %B %Y}.",
            )
        else:
            messages.success(self.request, "Storage check recorded: storage seen and satisfactory")
        return check

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(visit=self.visit, service_user=self.service_user)
        return context

    def get_success_url(self):
        return reverse("visits:tab", args=[self.household.pk])
