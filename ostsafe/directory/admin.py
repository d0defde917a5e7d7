from django.contrib import admin

from .models import LocalService


@admin.register(LocalService)
class LocalServiceAdmin(admin.ModelAdmin):
    """Read-only here: entries are kept on the directory's own pages, through its services (validated, audited)."""

    list_display = ["name", "kind", "area", "link_name", "retired_on", "updated_on"]
    list_filter = ["kind"]
    search_fields = ["name", "link_name"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
