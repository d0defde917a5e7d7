from django import forms

from ostsafe.core.forms import GovukDateField, govuk_required_messages, preselect_only_choice
from ostsafe.core.validators import today

from .models import ActionStatus, Decision, MeetingKind


class DraftAgreementForm(forms.Form):
    service_user = forms.ModelChoiceField(
        label="Agreement with",
        queryset=None,
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": "Select who the agreement is with"},
    )
    expectations = forms.CharField(
        label="What is expected, and why",
        widget=forms.Textarea,
        help_text="Plain words, with dates. For example: keep the locked box on the top shelf of the wardrobe from "
        "today, because Ella can now climb",
        error_messages={"required": "Write what is expected and why"},
    )

    def __init__(self, *args, household, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service_user"].queryset = household.service_users.filter(discharged_on__isnull=True)
        preselect_only_choice(self, "service_user")


class SignOnScreenForm(forms.Form):
    signed_name = forms.CharField(label="Service user: type your full name", max_length=200, required=False)
    confirmed = forms.BooleanField(
        label="I have read this agreement, or had it read to me, and I agree to it", required=False
    )
    signed_on = GovukDateField(label="Date signed", initial=today)


class SignOnPaperForm(forms.Form):
    scan = forms.FileField(
        label="Scan of the signed agreement", required=False, help_text="PDF, PNG or JPG, smaller than 5 MB"
    )
    signed_on = GovukDateField(label="Date signed", initial=today)


class NotForthcomingForm(forms.Form):
    reason = forms.CharField(
        label="Why was it not signed?",
        widget=forms.Textarea,
        required=False,
        help_text="In the service user's words where you can. Your team manager will be asked to consider a child "
        "protection referral",
    )


class StartPlanForm(forms.Form):
    """Nothing to fill in: starting the plan sets its review date from the latest risk level."""


class PlanActionForm(forms.Form):
    expectation = forms.CharField(
        label="What is expected", widget=forms.Textarea, error_messages={"required": "Write what is expected"}
    )
    why = forms.CharField(
        label="Why",
        widget=forms.Textarea,
        help_text="How it keeps the children safe",
        error_messages={"required": "Write why it matters for the children"},
    )
    owner = forms.ChoiceField(
        label="Who does it",
        widget=forms.RadioSelect,
        error_messages={"required": "Select who does it, or someone else and name them"},
    )
    owner_other = forms.CharField(
        label="Someone else: who?", max_length=200, required=False, help_text="For example: Nan (Sam's mother)"
    )
    due_on = GovukDateField(label="By when", help_text="Set from the youngest child's age; change it if needed")

    SOMEONE_ELSE = "__someone_else__"

    def __init__(self, *args, owners=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [(name, name) for name in owners] + [(self.SOMEONE_ELSE, "Someone else")]

    def clean(self):
        data = super().clean()
        if data.get("owner") == self.SOMEONE_ELSE:
            if not data.get("owner_other", "").strip():
                self.add_error("owner_other", "Name who does it")
            data["owner"] = data.get("owner_other", "").strip()
        data.pop("owner_other", None)
        return data


class ChangeActionForm(forms.Form):
    expectation = forms.CharField(label="What is expected", widget=forms.Textarea)
    due_on = GovukDateField(label="By when")
    reason = forms.CharField(
        label="Why are you changing it?",
        widget=forms.Textarea,
        required=False,
        help_text="The guide warns against shifting goals because of non-compliance. Your reason stays on the plan",
    )


class ReviewForm(forms.Form):
    reviewed_on = GovukDateField(label="Date of the review", initial=today)
    understood_and_agreed = forms.TypedChoiceField(
        label="Did the service user understand the plan and agree with it?",
        choices=[("True", "Yes"), ("False", "No")],
        coerce=lambda v: v == "True",
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the service user understood and agreed"},
    )
    noticed = forms.MultipleChoiceField(
        label="Since the last review, have you noticed either of these?",
        choices=[
            ("sudden_compliance", "Sudden compliance with requests"),
            ("agreement_with_sanctions", "Unexpected agreement with sanctions"),
        ],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Guide: either might suggest disguised compliance. Tick what you saw; it shows as evidence on the "
        "Warning signs tab, never as a finding",
    )
    notes = forms.CharField(label="Notes", widget=forms.Textarea, required=False)

    def __init__(self, *args, actions, **kwargs):
        super().__init__(*args, **kwargs)
        self.actions = list(actions)
        for action in self.actions:
            self.fields[f"action_{action.pk}_status"] = forms.ChoiceField(
                label=f"Progress: {action.expectation[:120]}",
                choices=ActionStatus.choices,
                widget=forms.RadioSelect,
                error_messages={"required": "Select the progress on this action"},
            )
            self.fields[f"action_{action.pk}_note"] = forms.CharField(
                label="What has happened", required=False, widget=forms.Textarea
            )

    def progress(self):
        return {
            a.pk: (self.cleaned_data[f"action_{a.pk}_status"], self.cleaned_data[f"action_{a.pk}_note"])
            for a in self.actions
        }


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(
        label="Meeting",
        choices=MeetingKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the kind of meeting"},
    )
    held_on = GovukDateField(label="Date", initial=today)
    actions_agreed = forms.CharField(label="Actions agreed", widget=forms.Textarea, required=False)

    def __init__(self, *args, adults, **kwargs):
        super().__init__(*args, **kwargs)
        self.adults = list(adults)
        for n, adult in enumerate(self.adults):
            self.fields[f"adult_{n}_invited"] = forms.BooleanField(
                label=f"{adult['name']} was invited", required=False, initial=True
            )
            self.fields[f"adult_{n}_attended"] = forms.BooleanField(label=f"{adult['name']} attended", required=False)
            self.fields[f"adult_{n}_views"] = forms.CharField(
                label=f"{adult['name']}'s views on family life and what would improve it",
                required=False,
                widget=forms.Textarea,
            )

    def adult_rows(self):
        return [
            adult
            | {
                "invited": self.cleaned_data[f"adult_{n}_invited"],
                "attended": self.cleaned_data[f"adult_{n}_attended"],
                "views": self.cleaned_data[f"adult_{n}_views"],
            }
            for n, adult in enumerate(self.adults)
        ]


class StrengthForm(forms.Form):
    what = forms.CharField(
        label="What is the family doing well?",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Be specific, so it can be said back to them: for example, the safety box has been locked at every "
        "visit since March",
    )
    noticed_on = GovukDateField(label="Date", initial=today)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        govuk_required_messages(self)


class DisagreementForm(forms.Form):
    about = forms.CharField(
        label="What do you disagree about?",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For example: whether the children can be left with their uncle",
    )
    whose_view = forms.ChoiceField(label="Who in the family disagrees?")
    family_view = forms.CharField(label="What they say, in their words", widget=forms.Textarea(attrs={"rows": 3}))
    practitioner_view = forms.CharField(label="What you think, and why", widget=forms.Textarea(attrs={"rows": 3}))
    raised_on = GovukDateField(label="Date", initial=today)

    def __init__(self, *args, adults: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["whose_view"].choices = [(name, name) for name in adults]
        if len(adults) == 1:
            self.fields["whose_view"].initial = adults[0]
        if len(adults) <= 6:
            self.fields["whose_view"].widget = forms.RadioSelect(choices=self.fields["whose_view"].choices)
        govuk_required_messages(self)
        self.fields["about"].error_messages["required"] = "Enter what you disagree about"
        self.fields["whose_view"].error_messages["required"] = (
            "Choose who in the family disagrees"
            if adults
            else "No adult is recorded as living with the children: add them on Family and network first"
        )


class SettleDisagreementForm(forms.Form):
    negotiation = forms.CharField(
        label="How was it talked through?",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Who met, what each side heard from the other, what was offered",
    )
    outcome = forms.CharField(label="What was decided?", widget=forms.Textarea(attrs={"rows": 3}))
    decision = forms.ChoiceField(label="How was it settled?", choices=Decision.choices, widget=forms.RadioSelect)
    decided_by = forms.CharField(label="Who decided?", max_length=200, help_text="For example: Jo Smith, team manager")
    resolved_on = GovukDateField(label="Date it was settled", initial=today)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        govuk_required_messages(self)


class CopyGivenForm(forms.Form):
    adult_key = forms.ChoiceField(label="Who did you give it to?")
    given_on = GovukDateField(label="Date", initial=today)

    def __init__(self, *args, adults: list[dict], chosen: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(adult["key"], adult["name"]) for adult in adults]
        self.fields["adult_key"].choices = choices
        self.fields["adult_key"].widget = forms.RadioSelect(choices=choices)
        if chosen in dict(choices):
            self.fields["adult_key"].initial = chosen
        elif len(choices) == 1:
            self.fields["adult_key"].initial = choices[0][0]
        govuk_required_messages(self)
