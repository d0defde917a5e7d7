from django import forms

from ostsafe.core.forms import GovukModelForm, preselect_only_choice
from ostsafe.core.validators import today
from ostsafe.directory import selectors as directory
from ostsafe.directory.models import SUPPORT_KINDS

from .models import Carer, Outcome, SupportOffer


class CarerForm(GovukModelForm):
    class Meta:
        model = Carer
        fields = ["cares_for", "support_needs", "identified_on"]
        widgets = {
            "cares_for": forms.Textarea(attrs={"rows": 3}),
            "support_needs": forms.Textarea(attrs={"rows": 4}),
        }


class SupportNeedsForm(GovukModelForm):
    class Meta:
        model = Carer
        fields = ["cares_for", "support_needs"]
        widgets = {
            "cares_for": forms.Textarea(attrs={"rows": 3}),
            "support_needs": forms.Textarea(attrs={"rows": 4}),
        }


class OfferForm(GovukModelForm):
    class Meta:
        model = SupportOffer
        fields = ["service", "kind", "agreed", "offered_on"]

    def __init__(self, *args, carer, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.carer = carer
        self.fields["service"].queryset = directory.to_choose_from(SUPPORT_KINDS)
        self.fields["service"].empty_label = "Choose the service"
        self.fields["service"].help_text = "From the local directory of services"
        self.fields["agreed"].help_text = "Needed for a referral: they are referred with their agreement"
        preselect_only_choice(self, "service")


class OutcomeForm(GovukModelForm):
    class Meta:
        model = SupportOffer
        fields = ["outcome", "outcome_on", "outcome_note"]
        widgets = {"outcome_note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [c for c in Outcome.choices if c[0] != Outcome.WAITING]
        self.fields["outcome"].choices = choices
        self.fields["outcome"].widget = forms.RadioSelect(choices=choices)
        self.fields["outcome"].label = "What came of it"
        self.fields["outcome_on"].required = True
        self.fields["outcome_on"].initial = today
        self.fields["outcome_on"].error_messages["required"] = "Enter the date of the outcome"
