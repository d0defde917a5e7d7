from django import forms

from ostsafe.core.forms import GovukModelForm, preselect_only_choice
from ostsafe.core.validators import today

from .models import Appointment, Concern, TestResult


def choose_service_user(form, household):
    """Who the record is about: the household's service users, already chosen when there is only one."""
    field = form.fields["service_user"]
    field.queryset = household.service_users.all()
    field.empty_label = "Choose a service user"
    preselect_only_choice(form, "service_user")


class AppointmentForm(GovukModelForm):
    radios_up_to = 5

    class Meta:
        model = Appointment
        fields = ["service_user", "kind", "on", "outcome"]

    def __init__(self, *args, household, **kwargs):
        super().__init__(*args, **kwargs)
        choose_service_user(self, household)
        self.fields["outcome"].required = False
        self.fields["outcome"].help_text = "Leave blank for an appointment that has not happened yet"
        # Most appointments are recorded the day they happen; a booking ahead changes the date.
        self.fields["on"].initial = today


class TestResultForm(GovukModelForm):
    radios_up_to = 8

    positive = forms.TypedChoiceField(
        label="Result",
        choices=[
            ("", "Not applicable (AUDIT-C)"),
            ("True", "Positive (reported at keywork: they said they had used it)"),
            ("False", "Negative (reported at keywork: they said they had not)"),
        ],
        coerce=lambda v: {"True": True, "False": False}.get(v),
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )

    class Meta:
        model = TestResult
        fields = ["service_user", "taken_on", "substance", "method", "positive", "audit_c_score"]

    def __init__(self, *args, household, **kwargs):
        super().__init__(*args, **kwargs)
        choose_service_user(self, household)
        self.fields["audit_c_score"].widget.attrs.update(govuk_width=2, inputmode="numeric")


class ConcernForm(GovukModelForm):
    class Meta:
        model = Concern
        fields = ["service_user", "source", "source_detail", "category", "description", "received_on"]

    def __init__(self, *args, household, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.household = household
        self.fields["service_user"].queryset = household.service_users.all()
        self.fields["service_user"].required = False
        self.fields["service_user"].label = "About (optional)"
