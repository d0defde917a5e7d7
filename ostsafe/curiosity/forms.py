from django import forms

from ostsafe.core.forms import govuk_required_messages

from .models import FlagAction
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
