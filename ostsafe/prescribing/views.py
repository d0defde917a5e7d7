from django.shortcuts import get_object_or_404

from ostsafe.core.access import Action
from ostsafe.core.views import ServiceFormView
from ostsafe.families.models import ServiceUser
from ostsafe.families.views import FamilyAccessMixin

from . import forms, services
from .models import Prescription


class PrescriptionFormView(FamilyAccessMixin, ServiceFormView):
    required_action = Action.EDIT_PRESCRIPTION

    def build_form(self, service_user, instance=None):
        return forms.PrescriptionForm(
            instance=instance,
            service_user=service_user,
            organisation_id=self.household.team.organisation_id,
            **self.get_form_kwargs(),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["caption"] = f"{self.service_user.full_name}, {self.household.name}"
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
