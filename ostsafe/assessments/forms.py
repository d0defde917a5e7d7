from django import forms
from django.utils.html import format_html

from ostsafe.core.forms import GovukDateField, govuk_required_messages, preselect_only_choice
from ostsafe.core.validators import today

from .models import AnswerKind, Occasion, PreBirthOutcome, RiskLevel, Section


class AnswersForm(forms.Form):
    """One field per question of the assessment's question set, grouped by section in the template. Nothing is
    required here: saving a draft keeps partial answers; completing checks every required question."""

    def __init__(self, *args, questions, facts=None, evidence=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        self.facts = facts or {}
        # {question key: (what the record holds, the page where it is)}, shown beside the question with a link.
        evidence = evidence or {}
        for q in self.questions:
            hint = f"{q.help_text} Guide: “{q.guide_source}”".strip()
            if q.kind == AnswerKind.TEXT:
                field = forms.CharField(label=q.text, help_text=hint, required=False, widget=forms.Textarea)
            else:
                field = forms.ChoiceField(
                    label=q.text, help_text=hint, required=False, choices=q.choice_pairs(), widget=forms.RadioSelect
                )
            self.fields[q.key] = field
            if q.key in evidence:
                text, url = evidence[q.key]
                field.help_text = format_html(
                    '{} The record holds: {} (<a class="govuk-link" href="{}">see the record</a>).', hint, text, url
                )
            fact = self.facts.get(q.key)
            if fact is not None:
                field.help_text = f"{hint} From the family's record: {fact.evidence}.".strip()
                if fact.value == "yes":
                    self.fields[f"{q.key}__why"] = forms.CharField(
                        label="If you answer no: why is that different from the record?",
                        required=False,
                        max_length=2000,
                        widget=forms.Textarea(attrs={"rows": 2}),
                    )

    def answers(self) -> dict[str, str]:
        return {q.key: self.cleaned_data[q.key] for q in self.questions if self.cleaned_data.get(q.key) is not None}

    def reasons(self) -> dict[str, str]:
        return {
            q.key: self.cleaned_data[f"{q.key}__why"] for q in self.questions if f"{q.key}__why" in self.cleaned_data
        }

    def sections(self):
        """[(section label, [bound fields])] in question order, each question's "why different" right after it."""
        grouped: dict[str, list] = {}
        for q in self.questions:
            fields = grouped.setdefault(Section(q.section).label, [])
            fields.append(self[q.key])
            if f"{q.key}__why" in self.fields:
                fields.append(self[f"{q.key}__why"])
        return list(grouped.items())


class DecideLevelForm(forms.Form):
    practitioner_level = forms.ChoiceField(
        label="Your risk level",
        choices=RiskLevel.choices,
        widget=forms.RadioSelect,
        help_text="Professional judgement decides. The suggested level is there to check yourself against.",
        error_messages={"required": "Select your risk level"},
    )
    rationale = forms.CharField(
        label="Why, from what you have seen",
        required=False,
        widget=forms.Textarea,
        help_text="Required when your level differs from the suggested level",
    )


class StartAssessmentForm(forms.Form):
    service_user = forms.ModelChoiceField(
        label="Who is this assessment starting from?",
        queryset=None,
        widget=forms.RadioSelect,
        empty_label=None,
        help_text="The assessment covers the whole household",
        error_messages={"required": "Select the person in treatment"},
    )

    def __init__(self, *args, household, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service_user"].queryset = household.service_users.filter(discharged_on__isnull=True)
        preselect_only_choice(self, "service_user")


class PreBirthRequestForm(forms.Form):
    service_user = forms.ModelChoiceField(
        label="Who is pregnant, or whose partner is?",
        queryset=None,
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": "Select the person in treatment"},
    )
    requested_on = GovukDateField(label="Date requested", initial=today)
    requested_to = forms.CharField(
        label="Requested from",
        max_length=200,
        help_text="Children's social care team, and person if known",
        error_messages={"required": "Enter who the request went to"},
    )

    def __init__(self, *args, household, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service_user"].queryset = household.service_users.all()
        preselect_only_choice(self, "service_user")


class PreBirthOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Outcome",
        widget=forms.RadioSelect,
        choices=[c for c in PreBirthOutcome.choices if c[0] != PreBirthOutcome.AWAITING],
        error_messages={"required": "Select the outcome"},
    )
    outcome_on = GovukDateField(label="Date of the outcome", initial=today)
    note = forms.CharField(label="Note", required=False, widget=forms.Textarea)


class FamilyViewForm(forms.Form):
    """One adult's views, in their words. At an assessment or a review the occasion is known; otherwise it is asked."""

    adult_key = forms.ChoiceField(label="Whose views are these?")
    occasion = forms.ChoiceField(
        label="When did they say it?",
        choices=[(Occasion.MEETING, Occasion.MEETING.label), (Occasion.VISIT, Occasion.VISIT.label)],
        widget=forms.RadioSelect,
    )
    family_life = forms.CharField(
        label="How do they see family life: what works, and what is hard?",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="In their words: write what they said, not what you think",
    )
    what_would_help = forms.CharField(
        label="What do they think would make family life and the children's wellbeing better?",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    hopes = forms.CharField(
        label="Their hopes for themselves and the children (optional)",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    fears = forms.CharField(label="Their fears (optional)", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    said_on = GovukDateField(label="Date", initial=today)

    def __init__(self, *args, adults: list[dict], occasion_known: bool, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(adult["key"], adult["name"]) for adult in adults]
        self.fields["adult_key"].choices = choices
        self.fields["adult_key"].widget = forms.RadioSelect(choices=choices)
        if len(choices) == 1:
            self.fields["adult_key"].initial = choices[0][0]
        if occasion_known:
            del self.fields["occasion"]
        govuk_required_messages(self)
