"""Base views: each declares the action it needs; the mixins ask the one access check and write the audit event."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import (
    ImproperlyConfigured,
    PermissionDenied,
    ValidationError,
)
from django.http import Http404
from django.shortcuts import redirect, render
from django.views import View
from django.views.generic import FormView

from ostsafe.audit.services import record_access
from ostsafe.core import access


class ActionRequiredMixin(LoginRequiredMixin):
    """For pages that are not about one household: the role must allow `required_action`."""

    required_action: str = ""
    audit_action: str = ""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not access.has_action(request.user, self.required_action):
            record_access(
                request=request,
                user=request.user,
                action=self.audit_action or self.required_action,
                household_id=None,
                allowed=False,
                detail="role does not allow this",
            )
            raise PermissionDenied("Your role does not allow this.")
        return super().dispatch(request, *args, **kwargs)


class HouseholdAccessMixin(LoginRequiredMixin):
    """For pages about one household. Subclasses say which household (`get_household`) and which action.

    The household is loaded, the access check asked, and the look written to the audit log (allowed or refused)
    before the page is built. `self.household` is then available to the rest of the view.
    """

    required_action: str = access.Action.VIEW_HOUSEHOLD
    audit_action: str = ""

    def get_household(self):
        raise ImproperlyConfigured(f"{type(self).__name__} must say which household it is about")

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        audit_action = self.audit_action or self.required_action
        try:
            household = self.get_household()
        except Http404:
            record_access(
                request=request,
                user=request.user,
                action=audit_action,
                household_id=kwargs.get("household_id"),
                allowed=False,
                detail="no such record",
            )
            raise
        allowed = access.can(request.user, self.required_action, household)
        record_access(
            request=request, user=request.user, action=audit_action, household_id=household.pk, allowed=allowed
        )
        if not allowed:
            raise PermissionDenied("You do not have access to this family's record.")
        self.household = household
        return super().dispatch(request, *args, **kwargs)


class HomeView(LoginRequiredMixin, View):
    def get(self, request):
        if request.user.role_spec.has_caseload:
            return redirect("families:caseload")
        if request.user.role == "pharmacist":
            return redirect("pharmacy:counter")
        return render(request, "core/home_partner.html")


def permission_denied(request, exception=None):
    return render(request, "core/403.html", {"reason": str(exception or "")}, status=403)


def page_not_found(request, exception=None):
    return render(request, "core/404.html", status=404)


def add_service_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: on the field it names when the form has it, else at the top."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, messages_ in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages_)


class ServiceFormView(FormView):
    """A form page whose valid submission calls one service function.

    A ValidationError from the service (the whole object is validated again inside the transaction) goes back onto
    the form, field by field, so nothing is half-saved and the practitioner sees why.
    """

    template_name = "core/form_page.html"
    success_message = ""
    page_title = ""
    submit_label = "Save"

    def perform(self, form):
        raise ImproperlyConfigured(f"{type(self).__name__} must call a service in perform()")

    def form_valid(self, form):
        try:
            self.result = self.perform(form)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        if self.success_message:
            messages.success(self.request, self.success_message)
        return redirect(self.get_success_url())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(page_title=self.page_title, submit_label=self.submit_label, cancel_url=self.get_cancel_url())
        return context

    def get_cancel_url(self):
        return self.get_success_url()
