from django.db import models


class StoredFile(models.Model):
    """An uploaded file (the scan of an agreement signed on paper), kept in the database rather than on the app
    server's disk: any number of app servers behind a load balancer see the same files, and the database backup holds
    them (core.storage.DatabaseStorage). Never served by URL: only by the views that check access first."""

    name = models.CharField(max_length=255, unique=True)
    content = models.BinaryField()
    size = models.PositiveIntegerField()
    stored_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class JobRun(models.Model):
    """One day's run of one scheduled job (core.schedule): the row is claimed before the job starts, so however many
    schedulers run, each job runs once a day; a failure is kept with its error for administrators to see (admin)."""

    class Outcome(models.TextChoices):
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    job = models.CharField(max_length=80)
    day = models.DateField()
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.RUNNING)
    output = models.TextField(blank=True)

    class Meta:
        ordering = ["-day", "job"]
        constraints = [models.UniqueConstraint(fields=["job", "day"], name="one_run_per_job_per_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.job}: {self.outcome}"
