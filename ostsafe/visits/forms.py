from django import forms

from ostsafe.accounts.models import User
from ostsafe.core import access
from ostsafe.core.forms import GovukDateField, GovukModelForm
from ostsafe.core.validators import today

from .models import StorageCheck


class PlanVisitForm(forms.Form):
    planned_for = GovukDateField(label="Date of the visit")
    notes = forms.CharField(label="Purpose of the visit", required=False, widget=forms.Textarea)


class RecordVisitForm(forms.Form):
    """The visit, who went, who was seen, and one seen/not-seen question (with a note) for every child at home."""

    visited_on = GovukDateField(label="Date of the visit", initial=today)
    visitors = forms.ModelMultipleChoiceField(
        label="Who went",
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select who went on the visit"},
    )
    service_users_seen = forms.ModelMultipleChoiceField(
        label="Adults in treatment seen", queryset=None, widget=forms.CheckboxSelectMultiple, required=False
    )
    adults_present = forms.ModelMultipleChoiceField(
        label="Other adults there",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Partners, family, visitors: anyone else in the home during the visit",
    )
    unknown_adult = forms.CharField(
        label="Was there an adult you did not know? Describe them",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="What they were called, how they were introduced, whether they seemed to stay. They are added to "
        "the household as an unknown adult, and a task asks the keyworker to find out who they are",
    )
    notes = forms.CharField(
        label="What you found",
        required=False,
        widget=forms.Textarea,
        help_text="Home conditions, the family's needs, other risk factors",
    )

    def __init__(self, *args, household, children, adults, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.children = list(children)
        self.fields["visitors"].queryset = User.objects.filter(
            access.home_visitors_q(organisation_id=household.team.organisation_id)
        )
        self.initial.setdefault("visitors", [user.pk])
        self.fields["service_users_seen"].queryset = household.service_users.filter(discharged_on__isnull=True)
        self.fields["adults_present"].queryset = adults
        if not adults.exists():
            del self.fields["adults_present"]
        for child in self.children:
            self.fields[f"child_{child.pk}_seen"] = forms.ChoiceField(
                label=f"Did you see {child.display_name} ({child.age_label})?",
                choices=[("yes", "Yes"), ("no", "No")],
                widget=forms.RadioSelect,
                error_messages={"required": f"Select whether you saw {child.display_name}"},
            )
            self.fields[f"child_{child.pk}_note"] = forms.CharField(
                label=f"What you noticed about {child.display_name}",
                required=False,
                widget=forms.Textarea,
                help_text="Their presentation, routine, and what they said or showed you. If not seen: why, and what "
                "happens next",
            )

    def clean(self):
        data = super().clean()
        for child in self.children:
            if data.get(f"child_{child.pk}_seen") == "no" and not (data.get(f"child_{child.pk}_note") or "").strip():
                self.add_error(
                    f"child_{child.pk}_note", f"Say why {child.display_name} was not seen, and what happens next"
                )
        return data

    def child_observations(self):
        return [
            (child, self.cleaned_data[f"child_{child.pk}_seen"] == "yes", self.cleaned_data[f"child_{child.pk}_note"])
            for child in self.children
        ]


class StorageCheckForm(GovukModelForm):
    class Meta:
        model = StorageCheck
        fields = [
            "verification",
            "location",
            "out_of_sight_and_reach",
            "locked_box_in_use",
            "box_locked",
            "other_substances_safe",
            "empty_bottles_disposed",
            "advice_given",
            "compliment_given",
            "satisfied",
        ]
        widgets = {"advice_given": forms.Textarea}

    YES_NO = [("True", "Yes"), ("False", "No")]
    QUESTIONS = [
        "out_of_sight_and_reach",
        "locked_box_in_use",
        "box_locked",
        "other_substances_safe",
        "empty_bottles_disposed",
        "compliment_given",
        "satisfied",
    ]

    def __init__(self, *args, service_user, liquid: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.service_user = service_user
        # Each safety question answered Yes or No on purpose: an unticked box cannot tell "no" from "forgot".
        for name in self.QUESTIONS:
            label = self.fields[name].label
            self.fields[name] = forms.TypedChoiceField(
                label=label,
                choices=self.YES_NO,
                coerce=lambda value: value == "True",
                empty_value=None,
                # Asked only when a box is in use (checked in clean()).
                required=name != "box_locked",
                widget=forms.RadioSelect,
                error_messages={"required": f"Select yes or no: {label[:1].lower() + label[1:]}"},
            )
        self.fields["box_locked"].help_text = "Only if a lockable box is in use"
        if not liquid:
            # Tablets or an injection: there are no bottles to wash out.
            del self.fields["empty_bottles_disposed"]
        self.fields["verification"].help_text = "The guide asks you to see it, not only be told about it"
        self.fields["location"].help_text = "For example: locked box on top of the wardrobe in the main bedroom"
        self.fields["satisfied"].help_text = "If not, a follow-up task is set"

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("locked_box_in_use") and cleaned.get("box_locked") is None and "box_locked" not in self.errors:
            self.add_error("box_locked", "Select yes or no: the box was locked")
        return cleaned
