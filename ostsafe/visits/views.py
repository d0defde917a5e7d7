from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.generic import TemplateView

from ostsafe.core import access
from ostsafe.core.access import Action
from ostsafe.core.validators import today
from ostsafe.core.views import ServiceFormView
from ostsafe.families.models import ServiceUser
from ostsafe.families.views import FamilyAccessMixin, household_tabs

from . import forms, selectors, services
from .models import HomeVisit, VisitStatus


class VisitsTabView(FamilyAccessMixin, TemplateView):
    template_name = "visits/tab.html"
    audit_action = "visits.view"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            tabs=household_tabs(self.request.user, self.household, "visits"),
            visits=selectors.visits_for_household(self.household),
            home_visit_needed=self.household.pk in selectors.households_needing_home_visit([self.household.pk]),
            can_visit=access.can(self.request.user, Action.RECORD_VISIT, self.household),
            nav_active="caseload",
        )
        return context


class PlanVisitView(FamilyAccessMixin, ServiceFormView):
    required_action = Action.RECORD_VISIT
    page_title = "Plan a home visit"
    success_message = "Home visit planned"
    form_class = forms.PlanVisitForm

    def perform(self, form):
        if form.cleaned_data["planned_for"] < today():
            raise ValidationError({"planned_for": "A planned visit must be today or later. To record one, use Record"})
        return services.plan_home_visit(household=self.household, planned_by=self.request.user, **form.cleaned_data)

    def get_success_url(self):
        return reverse("visits:tab", args=[self.household.pk])


class RecordVisitView(FamilyAccessMixin, ServiceFormView):
    required_action = Action.RECORD_VISIT
    page_title = "Record a home visit"
    submit_label = "Save visit and record storage"
    success_message = "Home visit recorded. Now record what you found about storage"

    def get_form(self, form_class=None):
        self.planned = None
        if self.request.GET.get("planned"):
            self.planned = get_object_or_404(
                HomeVisit, household=self.household, pk=self.request.GET["planned"], status=VisitStatus.PLANNED
            )
        children = self.household.members.current().children().filter(lives_here=True)
        kwargs = self.get_form_kwargs()
        if self.planned and self.request.method == "GET":
            kwargs["initial"] = {"visited_on": self.planned.planned_for}
        return forms.RecordVisitForm(household=self.household, children=children, user=self.request.user, **kwargs)

    def perform(self, form):
        return services.record_home_visit(
            household=self.household,
            visited_on=form.cleaned_data["visited_on"],
            recorded_by=self.request.user,
            visitors=form.cleaned_data["visitors"],
            service_users_seen=form.cleaned_data["service_users_seen"],
            child_observations=form.child_observations(),
            notes=form.cleaned_data["notes"],
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


class StorageCheckView(FamilyAccessMixin, ServiceFormView):
    required_action = Action.RECORD_VISIT
    template_name = "visits/storage_check.html"
    submit_label = "Save storage check"

    def get_form(self, form_class=None):
        self.visit = get_object_or_404(HomeVisit, household=self.household, pk=self.kwargs["visit_id"])
        self.service_user = get_object_or_404(ServiceUser, household=self.household, pk=self.kwargs["service_user_id"])
        self.page_title = f"Storage check: {self.service_user.full_name}"
        return forms.StorageCheckForm(service_user=self.service_user, **self.get_form_kwargs())

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
