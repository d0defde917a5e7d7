from django.contrib import admin

from .models import VisitPolicy


@admin.register(VisitPolicy)
class VisitPolicyAdmin(admin.ModelAdmin):
    list_display = ["__str__", "assessment_visit_window_days", "storage_check_valid_days", "follow_up_days"]

    def has_add_permission(self, request):
        return not VisitPolicy.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
