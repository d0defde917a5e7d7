"""The Family support tab: family members supported in their own right. Reading needs the family in reach; every
change needs permission to record the family's details (the family's own keyworkers and managers)."""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.generic import TemplateView

from ostsafe.audit.actions import AuditAction
from ostsafe.core import access
from ostsafe.core.roles import Action
from ostsafe.core.validators import today
from ostsafe.core.views import HouseholdPageMixin, ServiceFormView
from ostsafe.families.models import HouseholdMember

from . import selectors, services
from .forms import CarerForm, OfferForm, OutcomeForm, SupportNeedsForm
from .models import Carer, SupportOffer


class FamilySupportTabView(HouseholdPageMixin, TemplateView):
    tab = "family_support"
    template_name = "carers/tab.html"
    audit_action = AuditAction.CARERS_VIEW

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {
            "carers": list(selectors.carers_of(self.household)),
            "could_be_supported": selectors.could_be_supported(self.household, today()),
            "can_edit": access.can(self.request.user, Action.EDIT_HOUSEHOLD, self.household),
        }


class FamilySupportFormView(HouseholdPageMixin, ServiceFormView):
    required_action = Action.EDIT_HOUSEHOLD

    def get_success_url(self):
        return reverse("carers:tab", args=[self.household.pk])

    def carer(self) -> Carer:
        return get_object_or_404(Carer.objects.select_related("member"), household=self.household, pk=self.kwargs["pk"])


class RecordCarerView(FamilySupportFormView):
    audit_action = AuditAction.CARER_RECORD
    submit_label = "Save their support needs"
    success_message = "Support needs recorded"

    def get_form(self, form_class=None):
        self.member = get_object_or_404(HouseholdMember, household=self.household, pk=self.kwargs["member_id"])
        self.page_title = f"{self.member.display_name}: their own support needs"
        return CarerForm(**self.get_form_kwargs())

    def perform(self, form):
        return services.record_carer(
            household=self.household, member=self.member, recorded_by=self.request.user, **form.cleaned_data
        )


class ChangeSupportNeedsView(FamilySupportFormView):
    audit_action = AuditAction.CARER_RECORD
    submit_label = "Save changes"
    success_message = "Support needs saved"

    def get_form(self, form_class=None):
        self.found = self.carer()
        self.page_title = f"{self.found}: their own support needs"
        return SupportNeedsForm(instance=self.found, **self.get_form_kwargs())

    def perform(self, form):
        return services.change_support_needs(carer=self.found, changed_by=self.request.user, **form.cleaned_data)


class OfferSupportView(FamilySupportFormView):
    audit_action = AuditAction.SUPPORT_OFFER
    submit_label = "Save"
    success_message = "Saved: you have a task to find out, in four weeks, whether they are getting support"

    def get_form(self, form_class=None):
        self.found = self.carer()
        self.page_title = f"Signpost or refer {self.found}"
        return OfferForm(carer=self.found, **self.get_form_kwargs())

    def perform(self, form):
        return services.offer_support(carer=self.found, offered_by=self.request.user, **form.cleaned_data)


class RecordOutcomeView(FamilySupportFormView):
    audit_action = AuditAction.SUPPORT_OUTCOME
    submit_label = "Save the outcome"
    success_message = "Outcome saved"

    def get_form(self, form_class=None):
        self.offer = get_object_or_404(
            SupportOffer.objects.select_related("carer__member", "service"),
            carer__household=self.household,
            pk=self.kwargs["pk"],
        )
        self.page_title = f"{self.offer.carer}: what came of {self.offer}"
        return OutcomeForm(instance=self.offer, **self.get_form_kwargs())

    def perform(self, form):
        data = form.cleaned_data
        return services.record_support_outcome(
            offer=self.offer,
            outcome=data["outcome"],
            outcome_on=data["outcome_on"],
            note=data["outcome_note"],
            recorded_by=self.request.user,
        )
