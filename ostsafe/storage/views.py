from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from ostsafe.audit.actions import AuditAction
from ostsafe.audit.services import record_list_access
from ostsafe.core import access
from ostsafe.core.access import Action
from ostsafe.core.validators import today
from ostsafe.core.views import ActionRequiredMixin, HouseholdPageMixin, ServiceFormView
from ostsafe.families.models import ServiceUser

from . import forms, selectors, services
from .in_person import identify_in_person
from .leaflet import render_leaflet
from .messages import MUST_SHARE
from .models import SafetyBoxIssue


class StorageTabView(HouseholdPageMixin, TemplateView):
    tab = "storage"
    template_name = "storage/tab.html"
    audit_action = AuditAction.STORAGE_VIEW

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(
            service_users=selectors.storage_for_household(self.household),
            needing_box=selectors.needing_box_in(self.household, user, as_of=today()),
            labels={key: headline for key, headline, _ in MUST_SHARE},
            can_record=access.can(user, Action.RECORD_STORAGE, self.household),
            can_issue=access.can(user, Action.ISSUE_SAFETY_BOX, self.household),
            nav_active="caseload",
        )
        return context


class ServiceUserStorageMixin(HouseholdPageMixin):
    def get_service_user(self):
        return get_object_or_404(ServiceUser, household=self.household, pk=self.kwargs["service_user_id"])

    def get_success_url(self):
        return reverse("storage:tab", args=[self.household.pk])


class IssueBoxView(ServiceUserStorageMixin, ServiceFormView):
    required_action = Action.ISSUE_SAFETY_BOX
    page_title = "Issue a safety box"
    submit_label = "Issue box"
    success_message = "Safety box issued"
    form_class = forms.IssueBoxForm

    def get_form(self, form_class=None):
        self.service_user = self.get_service_user()
        return super().get_form(form_class)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["caption"] = f"{self.service_user.full_name}, from {self.request.user.organisation}"
        return context

    def perform(self, form):
        return services.issue_safety_box(
            service_user=self.service_user,
            site=self.request.user.organisation,
            issued_by=self.request.user,
            **form.cleaned_data,
        )


class ReturnBoxView(ServiceUserStorageMixin, ServiceFormView):
    required_action = Action.RECORD_STORAGE
    page_title = "Record a safety box as returned"
    success_message = "Safety box recorded as returned"
    form_class = forms.ReturnBoxForm

    def get_form(self, form_class=None):
        self.issue = get_object_or_404(
            SafetyBoxIssue,
            service_user__household=self.household,
            service_user_id=self.kwargs["service_user_id"],
            pk=self.kwargs["pk"],
        )
        return super().get_form(form_class)

    def perform(self, form):
        return services.return_safety_box(issue=self.issue, recorded_by=self.request.user, **form.cleaned_data)


class MustShareView(ServiceUserStorageMixin, ServiceFormView):
    required_action = Action.RECORD_STORAGE
    page_title = "Record the safe storage conversation"
    success_message = "Safe storage conversation recorded"
    form_class = forms.MustShareForm

    def get_form(self, form_class=None):
        self.service_user = self.get_service_user()
        return super().get_form(form_class)

    def perform(self, form):
        return services.record_must_share_discussion(
            service_user=self.service_user, discussed_by=self.request.user, **form.cleaned_data
        )


class LeafletGivenView(ServiceUserStorageMixin, ServiceFormView):
    required_action = Action.RECORD_STORAGE
    page_title = "Record the leaflet as given"
    success_message = "Leaflet recorded as given"
    form_class = forms.LeafletGivenForm

    def get_form(self, form_class=None):
        self.service_user = self.get_service_user()
        return super().get_form(form_class)

    def perform(self, form):
        return services.record_leaflet_given(
            service_user=self.service_user, given_by=self.request.user, **form.cleaned_data
        )


class LeafletPdfView(ActionRequiredMixin, View):
    """The leaflet, with the signed-in user's service name and contact details. Holds no family's data."""

    required_action = Action.RECORD_STORAGE

    def get(self, request):
        pdf = render_leaflet(organisation=request.user.organisation)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = 'inline; filename="keeping-children-safe-from-your-medicine.pdf"'
        return response


class BoxStockView(ActionRequiredMixin, ServiceFormView):
    """Safety-box stock at the user's own site: received, issued, returned, lost."""

    required_action = Action.MANAGE_BOX_STOCK
    template_name = "storage/stock.html"
    page_title = "Safety boxes"
    submit_label = "Record"
    success_message = "Stock recorded"
    form_class = forms.BoxMovementForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        site = self.request.user.organisation
        context.update(
            site=site,
            stock=selectors.stock_at(site),
            movements=selectors.recent_movements(site),
            can_issue_in_person=access.has_action(self.request.user, Action.ISSUE_SAFETY_BOX),
            nav_active="boxes",
        )
        return context

    def perform(self, form):
        return services.record_box_movement(
            site=self.request.user.organisation, recorded_by=self.request.user, **form.cleaned_data
        )

    def get_success_url(self):
        return reverse("storage:stock")

    def get_cancel_url(self):
        return None


class IssueBoxInPersonView(ActionRequiredMixin, ServiceFormView):
    """Needle-exchange staff: issue a box to a service user who presents, identified by NHS number and date of
    birth. The family's record is not shown; the look-up and the issue are audited against the household."""

    required_action = Action.ISSUE_SAFETY_BOX
    page_title = "Issue a safety box to someone in front of you"
    submit_label = "Issue box"
    form_class = forms.IssueBoxInPersonForm

    def perform(self, form):
        data = form.cleaned_data
        match = identify_in_person(self.request, nhs_number=data["nhs_number"], date_of_birth=data["date_of_birth"])
        issue = services.issue_safety_box(
            service_user=match,
            site=self.request.user.organisation,
            issued_by=self.request.user,
            issued_on=data["issued_on"],
            acknowledgement_signed=data["acknowledgement_signed"],
        )
        messages.success(self.request, f"Safety box issued to {match.given_name} {match.family_name[:1]}.")
        return issue

    def get_success_url(self):
        return reverse("storage:stock")


class NeedsSafetyBoxView(ActionRequiredMixin, TemplateView):
    """Guide, "Safe storage": every service user with take-home doses who lives with or sees children, and no box."""

    required_action = Action.VIEW_HOUSEHOLD
    audit_action = AuditAction.STORAGE_NEEDS_BOX
    template_name = "storage/needs_box.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = list(selectors.needs_safety_box_list(self.request.user, as_of=today()))
        record_list_access(
            request=self.request,
            user=self.request.user,
            action=self.audit_action,
            household_ids=[r.household_id for r in rows],
        )
        context.update(rows=rows, nav_active="boxes")
        return context
