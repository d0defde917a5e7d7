"""What the managers' dashboard keeps over time: each practice's figures for each team (and each keyworker in it),
as they stood at the end of each month. Guide, "Managing practice": managers see what is slipping, and whether it is
getting better. Figures are kept as they were on the day, not worked out again later from records that have changed
since (a deadline moved, a task closed late)."""

from django.conf import settings
from django.db import models
from django.db.models import Q


class PracticeFigure(models.Model):
    """One practice, one month, one team (keyworker empty) or one keyworker's families in that team: how many of
    the families with children met it, of how many it applied to. The month's row is rewritten each night until the
    month ends, so a past month holds the figures of its last day."""

    month = models.DateField(help_text="The first day of the month the figures are for")
    recorded_on = models.DateField(help_text="The day the figures were counted (the month's last, once it has ended)")
    team = models.ForeignKey("accounts.Team", on_delete=models.CASCADE, related_name="+")
    keyworker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    measure = models.CharField(max_length=40)
    met = models.PositiveIntegerField()
    of = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["month", "team", "measure"],
                condition=Q(keyworker__isnull=True),
                name="practice_figure_team_month",
            ),
            models.UniqueConstraint(
                fields=["month", "team", "keyworker", "measure"],
                condition=Q(keyworker__isnull=False),
                name="practice_figure_worker_month",
            ),
            models.CheckConstraint(condition=Q(met__lte=models.F("of")), name="practice_figure_met_within_of"),
        ]
        indexes = [models.Index(fields=["team", "month"], name="practice_figure_team_idx")]

    def __str__(self):
        return f"{self.measure} {self.month:%B %Y}: {self.met} of {self.of}"
