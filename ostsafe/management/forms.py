from datetime import date

from django import forms
from django.contrib.auth import get_user_model

from ostsafe.accounts.selectors import placeable_teams
from ostsafe.core import access
from ostsafe.core.forms import GovukDateField, GovukModelForm
from ostsafe.families.selectors import keyworker_ids

from .models import CaseSupervision, TrainingNeed, TrainingRecord
from .services import SupervisionAction


class DashboardFilterForm(forms.Form):
    """The dashboard's filters, from the query string: a team, a keyworker, and the period (today, or the end of one
    of the last months, whose figures were kept). Anything else is ignored."""

    team = forms.ModelChoiceField(label="Team", queryset=None, required=False, empty_label="Every team")
    worker = forms.ModelChoiceField(label="Keyworker", queryset=None, required=False, empty_label="Every keyworker")
    period = forms.ChoiceField(label="Figures for", required=False)

    def __init__(self, *args, user, months: list[date], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = placeable_teams(user).order_by("name")
        self.fields["worker"].queryset = (
            get_user_model().objects.filter(pk__in=keyworker_ids(user)).order_by("full_name")
        )
        # Any keyworker of the families in reach may be chosen, but the list names only the chosen team's: a service
        # of 10,000 has some 240 keyworkers, too many to pick from, and a list that grows with the service.
        self.fields["worker"].widget.choices = self._listed_workers
        self.fields["worker"].help_text = "Choose a team to list its keyworkers"
        self.user = user
        # The current month is "today"; the months before it are as their figures stood at the month's end.
        self.months = {m.strftime("%Y-%m"): m for m in months[:-1]}
        self.fields["period"].choices = [("", "Today")] + [
            (key, f"End of {m:%B %Y}") for key, m in reversed(self.months.items())
        ]

    def _listed_workers(self) -> list[tuple[object, str]]:
        data = self.cleaned_data if self.is_valid() else {}
        team, worker = data.get("team"), data.get("worker")
        listed = self.fields["worker"].queryset.none()
        if team:
            listed = self.fields["worker"].queryset.filter(pk__in=keyworker_ids(self.user).filter(household__team=team))
        elif worker:
            listed = self.fields["worker"].queryset.filter(pk=worker.pk)
        return [("", "Every keyworker"), *listed.values_list("pk", "full_name")]

    def chosen(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        team, worker = data.get("team"), data.get("worker")
        return {"team_id": team.pk if team else None, "worker_id": worker.pk if worker else None}

    def chosen_month(self) -> date | None:
        """The month chosen (its first day), or None for today."""
        data = self.cleaned_data if self.is_valid() else {}
        return self.months.get(data.get("period") or "")


class QuarterForm(forms.Form):
    """Which quarter the commissioner's report is for: this one (so far) or one of the four before it."""

    quarter = forms.ChoiceField(label="Quarter", required=False)

    def __init__(self, *args, quarters, **kwargs):
        super().__init__(*args, **kwargs)
        self.quarters = {q.key: q for q in quarters}
        self.fields["quarter"].choices = [
            (q.key, q.label + (" so far" if i == 0 else "")) for i, q in enumerate(quarters)
        ]

    def chosen(self):
        data = self.cleaned_data if self.is_valid() else {}
        return self.quarters.get(data.get("quarter") or "", next(iter(self.quarters.values())))


ACTION_ROWS = 3


class SupervisionForm(GovukModelForm):
    """A case supervision: the discussion, the guide's prompts, decisions, and up to three actions that become
    tasks for colleagues in the family's service."""

    class Meta:
        model = CaseSupervision
        fields = [
            "held_on",
            "practitioner",
            "discussed",
            "evidence",
            "disguised_compliance",
            "childs_perspective",
            "decisions",
            "training_need",
        ]

    def __init__(self, *args, household, **kwargs):
        super().__init__(*args, **kwargs)
        staff = (
            get_user_model()
            .objects.filter(access.home_visitors_q(organisation_id=household.team.organisation_id))
            .order_by("full_name")
        )
        self.fields["practitioner"].queryset = staff
        self.fields["practitioner"].empty_label = "Choose the keyworker"
        keyworkers = {
            su.keyworker_id for su in household.service_users.all() if su.keyworker_id and not su.discharged_on
        }
        if len(keyworkers) == 1 and not self.is_bound:
            self.initial["practitioner"] = keyworkers.pop()
        for n in range(1, ACTION_ROWS + 1):
            self.fields[f"action_{n}"] = forms.CharField(
                label=f"Action {n} (optional)", required=False, max_length=180, help_text="What is to be done"
            )
            self.fields[f"action_{n}_assignee"] = forms.ModelChoiceField(
                label=f"Who does action {n}", queryset=staff, required=False, empty_label="Choose a colleague"
            )
            self.fields[f"action_{n}_due"] = GovukDateField(label=f"Action {n} by when", required=False)

    def clean(self):
        data = super().clean()
        for n in range(1, ACTION_ROWS + 1):
            if (data.get(f"action_{n}") or "").strip():
                if not data.get(f"action_{n}_assignee"):
                    self.add_error(f"action_{n}_assignee", f"Select who does action {n}")
                if not data.get(f"action_{n}_due"):
                    self.add_error(f"action_{n}_due", f"Enter when action {n} is to be done by")
        return data

    def actions(self) -> list[SupervisionAction]:
        data = self.cleaned_data
        return [
            SupervisionAction(data[f"action_{n}"].strip(), data[f"action_{n}_assignee"], data[f"action_{n}_due"])
            for n in range(1, ACTION_ROWS + 1)
            if (data.get(f"action_{n}") or "").strip()
        ]

    def supervision_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class TrainingForm(GovukModelForm):
    """A course someone completed: one of the service's practitioners, or a partner's multi-agency training."""

    meets = forms.ModelChoiceField(
        label="Does it meet a training need identified for them? (optional)",
        queryset=TrainingNeed.objects.none(),
        required=False,
        empty_label="No",
    )

    class Meta:
        model = TrainingRecord
        fields = ["person", "kind", "course", "completed_on", "expires_on"]
        labels = {"person": "Who", "kind": "Kind of training"}

    radios_up_to = 8

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = (
            get_user_model().objects.filter(access.training_people_q(user)).order_by("full_name")
        )
        self.fields["person"].empty_label = "Choose who"
        self.fields["meets"].queryset = TrainingNeed.objects.filter(
            person__in=self.fields["person"].queryset, met_by__isnull=True
        ).select_related("person")
        self.fields["meets"].label_from_instance = lambda need: f"{need.person.full_name}: {need.need[:80]}"
