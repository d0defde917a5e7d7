from datetime import date

from django import forms
from django.contrib.auth import get_user_model

from ostsafe.accounts.selectors import placeable_teams
from ostsafe.families.selectors import keyworker_ids


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
        # The current month is "today"; the months before it are as their figures stood at the month's end.
        self.months = {m.strftime("%Y-%m"): m for m in months[:-1]}
        self.fields["period"].choices = [("", "Today")] + [
            (key, f"End of {m:%B %Y}") for key, m in reversed(self.months.items())
        ]

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
