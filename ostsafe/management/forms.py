from django import forms
from django.contrib.auth import get_user_model

from ostsafe.accounts.selectors import placeable_teams
from ostsafe.families.selectors import keyworker_ids


class DashboardFilterForm(forms.Form):
    """The dashboard's filters, from the query string: a team, a keyworker. Anything else is ignored."""

    team = forms.ModelChoiceField(label="Team", queryset=None, required=False, empty_label="Every team")
    worker = forms.ModelChoiceField(label="Keyworker", queryset=None, required=False, empty_label="Every keyworker")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = placeable_teams(user).order_by("name")
        self.fields["worker"].queryset = (
            get_user_model().objects.filter(pk__in=keyworker_ids(user)).order_by("full_name")
        )

    def chosen(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        team, worker = data.get("team"), data.get("worker")
        return {"team_id": team.pk if team else None, "worker_id": worker.pk if worker else None}
