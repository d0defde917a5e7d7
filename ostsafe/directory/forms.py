from django import forms

from ostsafe.core.forms import GovukDateField, GovukModelForm
from ostsafe.core.validators import today, validate_happened

from . import selectors
from .models import LocalService, ServiceKind
from .services import FIELDS


class LocalServiceForm(GovukModelForm):
    """A service or strategic group: what it is, how to reach it, and the named link person."""

    radios_up_to = len(ServiceKind.choices)
    website = forms.URLField(required=False, assume_scheme="https", help_text="For example, https://example.org.uk")

    class Meta:
        model = LocalService
        fields = FIELDS
        widgets = {
            "what_they_do": forms.Textarea(attrs={"rows": 3}),
            "address": forms.Textarea(attrs={"rows": 3}),
            "referral_route": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["part_of"].queryset = selectors.parent_groups(excluding=self.instance)
        self.fields["part_of"].empty_label = "Not a subgroup"
        self.fields["part_of"].label = "Subgroup of (for a partnership's subgroups only)"


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(label="Name, what they do, area or link person", required=False, max_length=100)
    show = forms.ChoiceField(
        label="Show",
        required=False,
        choices=[("", "Everything"), (selectors.SERVICES, "Services"), (selectors.GROUPS, "Strategic groups")],
    )
    kind = forms.ChoiceField(label="Kind", required=False, choices=[("", "Any kind"), *ServiceKind.choices])

    def filters(self) -> dict:
        if not self.is_valid():
            return {"q": "", "show": "", "kind": ""}
        return {name: self.cleaned_data.get(name) or "" for name in ("q", "show", "kind")}


class RetireForm(forms.Form):
    retired_on = GovukDateField(label="No longer runs from", initial=today, help_text="For example, 27 3 2026")

    def clean_retired_on(self):
        value = self.cleaned_data["retired_on"]
        validate_happened(value)
        return value
