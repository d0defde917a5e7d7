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


class OutgoingEmail(models.Model):
    """An email the service sends (a letter to a partner, a reminder digest, a security notice): written in the same
    transaction as the change it tells of, sent by a task (core.mail), retried when sending fails, never sent twice,
    and kept when it finally fails, for administrators to see and send again (admin)."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to be sent"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed: not sent"

    to = models.CharField(max_length=500)  # comma-separated addresses
    subject = models.CharField(max_length=300)
    body = models.TextField()
    attachment_name = models.CharField(max_length=200, blank=True)
    attachment_type = models.CharField(max_length=100, blank=True)
    attachment = models.BinaryField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    queued_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-queued_at", "-id"]
        indexes = [models.Index(fields=["status", "queued_at"], name="outgoing_email_status")]

    def __str__(self) -> str:
        return f"{self.subject} → {self.to} ({self.status})"

    @property
    def recipients(self) -> list[str]:
        return [address for address in self.to.split(",") if address]


class HouseholdMark(models.Model):
    """A family's change number: one more for every row written to a table its kept values are worked out from, by
    the database's own triggers (core.marks). Household 0 is every family (a policy they all depend on). A plain
    number, not a foreign key: it is only ever compared with itself."""

    household_id = models.BigIntegerField(primary_key=True)
    version = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.household_id}: {self.version}"
