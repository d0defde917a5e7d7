from django import forms

from ostsafe.accounts.models import Organisation, User
from ostsafe.core import access
from ostsafe.core.fields import NOTE_MAX_LENGTH
from ostsafe.core.forms import GovukModelForm
from ostsafe.core.roles import OrganisationType

from .models import PRESCRIBED_FIELDS, Prescription


class PrescriptionForm(GovukModelForm):
    override_reason = forms.CharField(
        label="If a safeguarding check is not met: why allow take-home doses?",
        required=False,
        widget=forms.Textarea,
        help_text="Only for take-home regimes. Your reason is shown to your manager",
    )

    class Meta:
        model = Prescription
        fields = list(PRESCRIBED_FIELDS)

    def __init__(self, *args, service_user, organisation_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.service_user = service_user
        self.fields["pharmacy"].queryset = Organisation.objects.filter(type=OrganisationType.COMMUNITY_PHARMACY)
        self.fields["pharmacy"].help_text = "Leave blank for an injection given by the service"
        self.fields["prescriber"].queryset = User.objects.filter(access.prescribers_q(organisation_id=organisation_id))
        self.fields["daily_dose"].widget.attrs.update(govuk_width=5, inputmode="decimal")
        self.fields["daily_dose"].error_messages.update(invalid="Enter the daily dose as a number, like 60 or 8.5")
        self.fields["take_home_days"].widget.attrs.update(govuk_width=2, inputmode="numeric")
        self.fields["take_home_days"].help_text = "Only for take-home regimes, 1 to 14"


class TakeHomeReviewForm(forms.Form):
    note = forms.CharField(
        label="What you found and what happens next",
        widget=forms.Textarea,
        max_length=NOTE_MAX_LENGTH,
        error_messages={"required": "Write what you found and what happens next"},
        help_text="For example: spoke to the prescriber, storage visit booked for Thursday, supervised until then",
    )
