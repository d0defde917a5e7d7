from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import services
from .models import ApiToken, Organisation, Team, User

# Authenticators change only through the services (audited, and the account holder is emailed): not in the admin.
if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "type", "phone", "email"]
    list_filter = ["type"]
    search_fields = ["name"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation"]
    list_filter = ["organisation"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["full_name"]
    list_display = ["full_name", "email", "role", "organisation", "team", "is_active"]
    list_filter = ["role", "organisation", "is_active"]
    search_fields = ["full_name", "email"]
    actions = ["reset_two_factor"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Person", {"fields": ["full_name", "job_title", "phone"]}),
        ("Role", {"fields": ["role", "organisation", "team"]}),
        ("Administration", {"fields": ["is_active", "is_staff", "is_superuser"]}),
    ]
    add_fieldsets = [
        (None, {"fields": ["email", "full_name", "role", "organisation", "team", "password1", "password2"]}),
    ]

    @admin.action(description="Reset two-factor sign-in (lost or replaced phone)")
    def reset_two_factor(self, request, queryset):
        removed = 0
        for device in TOTPDevice.objects.filter(user__in=queryset, confirmed=True).select_related("user"):
            services.remove_authenticator(device=device, removed_by=request.user, request=request)
            removed += 1
        self.message_user(
            request,
            f"{removed} authenticator(s) removed. Each person sets up a new one at next sign-in, and was emailed.",
            messages.SUCCESS,
        )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Every API token, with when it was last used. Tokens are made by their owners (Your account), never here."""

    list_display = ["name", "user", "prefix", "created_at", "expires_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["name", "user__full_name", "user__email", "prefix"]
    readonly_fields = [f.name for f in ApiToken._meta.fields if f.name != "key_hash"]
    exclude = ["key_hash"]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="Revoke the selected tokens")
    def revoke(self, request, queryset):
        for token in queryset:
            services.revoke_api_token(token=token, revoked_by=request.user)
        self.message_user(request, f"{queryset.count()} token(s) revoked.", messages.SUCCESS)
