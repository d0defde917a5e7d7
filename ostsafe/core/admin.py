from django.contrib import admin

from . import mail
from .models import JobRun, OutgoingEmail


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


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    """Every email the service sends, with what happened to it: a failed one (every attempt refused) is to be looked
    at and sent again. What a letter says about a family is not shown here (its body and attachment): reading it is
    for the family's record, where the access check and the access log are."""

    list_display = ["queued_at", "subject", "to", "status", "attempts", "sent_at"]
    list_filter = ["status"]
    search_fields = ["to", "subject"]
    readonly_fields = ["to", "subject", "status", "attempts", "last_error", "queued_at", "sent_at", "attachment_name"]
    exclude = ["body", "attachment", "attachment_type"]
    actions = ["send_again"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description="Send the chosen emails again")
    def send_again(self, request, queryset):
        count = mail.send_again(queryset)
        self.message_user(request, f"{count} email{'s' if count != 1 else ''} queued to be sent again")
