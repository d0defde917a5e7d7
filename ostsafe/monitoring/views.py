from django.urls import reverse

from ostsafe.core.access import Action
from ostsafe.core.views import HouseholdPageMixin, ServiceFormView

from . import forms, services


class MonitoringFormView(HouseholdPageMixin, ServiceFormView):
    required_action = Action.EDIT_HOUSEHOLD
    form_class = None

    def get_form(self, form_class=None):
        return self.form_class(household=self.household, **self.get_form_kwargs())

    def get_success_url(self):
        return reverse("pharmacy:tab", args=[self.household.pk])


class AppointmentView(MonitoringFormView):
    page_title = "Record an appointment"
    success_message = "Appointment recorded"
    form_class = forms.AppointmentForm

    def perform(self, form):
        return services.record_appointment(recorded_by=self.request.user, **form.cleaned_data)


class TestResultView(MonitoringFormView):
    page_title = "Record a drug or alcohol test"
    success_message = "Test result recorded"
    form_class = forms.TestResultForm

    def perform(self, form):
        data = dict(form.cleaned_data)
        return services.record_test_result(service_user=data.pop("service_user"), recorded_by=self.request.user, **data)


class ConcernView(MonitoringFormView):
    page_title = "Record a concern"
    success_message = "Concern recorded"
    form_class = forms.ConcernForm

    def perform(self, form):
        return services.record_concern(household=self.household, recorded_by=self.request.user, **form.cleaned_data)
