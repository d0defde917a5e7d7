from django.shortcuts import get_object_or_404
from django.views.generic import TemplateView

from ostsafe.audit.actions import AuditAction
from ostsafe.audit.services import record_list_access
from ostsafe.core.access import Action
from ostsafe.core.validators import today
from ostsafe.core.views import ActionRequiredMixin, HouseholdPageMixin, ServiceFormView
from ostsafe.families.models import ServiceUser

from . import forms, selectors, services, take_home
from .models import Drug, Prescription


class PrescriptionFormView(HouseholdPageMixin, ServiceFormView):
    required_action = Action.EDIT_PRESCRIPTION

    def build_form(self, service_user, instance=None):
        return forms.PrescriptionForm(
            instance=instance,
            service_user=service_user,
            organisation_id=self.household.team.organisation_id,
            **self.get_form_kwargs(),
        )

    template_name = "prescribing/prescription_form.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        as_of = today()
        involved = take_home.children_involved(self.service_user, as_of)
        context.update(
            caption=f"{self.service_user.full_name}, {self.household.name}",
            children_involved=involved,
            checks=take_home.evaluate(service_user=self.service_user, as_of=as_of) if involved else [],
            drug_risk=[(Drug(drug).label, level, why) for drug, level, why in take_home.DRUG_RISK_TO_CHILDREN],
        )
        return context

    def get_success_url(self):
        return self.household_url()


class PrescriptionAddView(PrescriptionFormView):
    page_title = "Add a prescription"
    success_message = "Prescription recorded"

    def get_form(self, form_class=None):
        self.service_user = get_object_or_404(ServiceUser, household=self.household, pk=self.kwargs["service_user_id"])
        return self.build_form(self.service_user)

    def perform(self, form):
        return services.record_prescription(
            service_user=self.service_user, recorded_by=self.request.user, **form.cleaned_data
        )


class PrescriptionEditView(PrescriptionFormView):
    page_title = "Change a prescription"
    success_message = "Prescription changed"

    def get_form(self, form_class=None):
        self.object = get_object_or_404(
            Prescription.objects.select_related("service_user"),
            service_user__household=self.household,
            pk=self.kwargs["pk"],
        )
        self.service_user = self.object.service_user
        return self.build_form(self.service_user, instance=self.object)

    def perform(self, form):
        return services.change_prescription(prescription=self.object, changed_by=self.request.user, **form.cleaned_data)


class TakeHomeOverridesView(ActionRequiredMixin, TemplateView):
    """Managers: take-home doses allowed although a safeguarding check was not met, with the prescriber's reason."""

    required_action = Action.VIEW_OVERSIGHT
    audit_action = AuditAction.PRESCRIBING_OVERRIDES
    template_name = "prescribing/overrides.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        decisions = list(selectors.take_home_overrides(self.request.user))
        record_list_access(
            request=self.request,
            user=self.request.user,
            action=self.audit_action,
            household_ids=[d.prescription.service_user.household_id for d in decisions],
        )
        context.update(decisions=decisions, nav_active="overrides")
        return context
