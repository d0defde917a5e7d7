from django import forms

from ostsafe.core.forms import GovukModelForm, govuk_required_messages

from .models import FlagAction, Observation
from .signs import SIGNS


class AcknowledgeFlagForm(forms.Form):
    action = forms.ChoiceField(label="What did you do about it?", choices=FlagAction.choices, widget=forms.RadioSelect)
    note = forms.CharField(label="Say more", widget=forms.Textarea(attrs={"rows": 4}), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        govuk_required_messages(self)


class RaiseFlagForm(forms.Form):
    sign_key = forms.ChoiceField(
        label="Which warning sign?",
        choices=[(s.key, f"{s.number}. {s.title}") for s in SIGNS],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label="What have you seen or heard?",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For disguised compliance, the behaviour, not a conclusion: for example, full attendance in the "
        "three weeks before the review after months of missed appointments",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        govuk_required_messages(self)


class ObservationForm(GovukModelForm):
    class Meta:
        model = Observation
        fields = ["service_user", "kind", "noticed_on", "note", "professional", "contact_on", "professional_says"]
        labels = {"service_user": "Who", "kind": "What did you notice?"}
        help_texts = {
            "note": "The behaviour, not a conclusion: for example, “agreed at once to supervised consumption, which "
            "they had refused for months”",
            "professional": "Only if they said they had been in contact with another professional",
            "contact_on": "Only if they said they had been in contact with another professional. "
            "For example, 27 3 2007",
            "professional_says": "Ask the professional, or read what they have shared. A record that does not show the "
            "contact shows as an indicator on the Warning signs tab",
        }

    def __init__(self, *args, household, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service_user"].queryset = household.service_users.filter(discharged_on__isnull=True)
        self.fields["service_user"].empty_label = None
        self.fields["service_user"].widget = forms.RadioSelect(choices=self.fields["service_user"].choices)
        self.fields["professional"].required = False
        self.fields["contact_on"].help_text = self.Meta.help_texts["contact_on"]
