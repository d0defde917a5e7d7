from django.contrib import admin

from .models import JobRun


@admin.register(JobRun)
class JobRunAdmin(admin.ModelAdmin):
    """The daily jobs' runs, failures first to the eye: what ran, when, and what it said."""

    list_display = ["day", "job", "outcome", "started_at", "finished_at"]
    list_filter = ["outcome", "job"]
    readonly_fields = ["job", "day", "started_at", "finished_at", "outcome", "output"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
