from django.contrib import admin

from .models import WarningSignPolicy


@admin.register(WarningSignPolicy)
class WarningSignPolicyAdmin(admin.ModelAdmin):
    list_display = ["__str__", "concern_window_days", "child_event_window_days", "acknowledge_days"]
