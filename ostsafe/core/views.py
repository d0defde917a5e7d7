"""Base views: each declares the action it needs; the mixins ask the one gate (`access.require`), which writes the
access log and refuses."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import DatabaseError, connection
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.functional import cached_property
from django.views import View
from django.views.decorators.http import require_safe
from django.views.generic import FormView

from ostsafe.core import access, auditing, kept_pages, marks
from ostsafe.core.households import household_alerts, household_model, household_summary, tabs_for
from ostsafe.core.roles import Action
from ostsafe.core.services import OutOfReach
from ostsafe.core.validators import today


class ActionRequiredMixin(LoginRequiredMixin):
    """For pages that are not about one household: the role must allow `required_action`."""

    required_action: str = ""
    audit_action: str = ""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        access.require(request, self.required_action, audit_as=self.audit_action)
        return super().dispatch(request, *args, **kwargs)


class HouseholdAccessMixin(LoginRequiredMixin):
    """For pages about one household. Subclasses say which household (`get_household`) and which action.

    The household is loaded, the gate asked, and the look written to the access log (allowed or refused) before the
    page is built. `self.household` is then available to the rest of the view.
    """

    required_action: str = Action.VIEW_HOUSEHOLD
    audit_action: str = ""

    def get_household(self):
        raise ImproperlyConfigured(f"{type(self).__name__} must say which household it is about")

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        try:
            household = self.get_household()
        except Http404:
            auditing.record_access(
                request=request,
                user=request.user,
                action=self.audit_action or self.required_action,
                household_id=kwargs.get("household_id"),
                allowed=False,
                detail="no such record",
            )
            raise
        try:
            access.require(request, self.required_action, household, audit_as=self.audit_action)
        except PermissionDenied as refusal:
            if self.required_action == Action.VIEW_HOUSEHOLD and access.may_break_glass(request.user, household):
                return permission_denied(request, refusal, break_glass_household=household)
            raise
        self.household = household
        return super().dispatch(request, *args, **kwargs)


SUMMARY_TEMPLATE = "core/components/household_summary.html"


class HouseholdPageMixin(HouseholdAccessMixin):
    """Pages under /households/<household_id>/: the household comes from the URL; the page shows its header and the
    tabs apps register (core.households), with `tab` active."""

    tab: str = ""
    # The household's alerts (core.households) are for the treatment team; a partner's shared view leaves them out.
    shows_alerts = True

    def get_household(self):
        model = household_model()
        try:
            return model.objects.select_related("team").get(pk=self.kwargs["household_id"])
        except model.DoesNotExist:
            raise Http404("No such household") from None

    def household_url(self):
        return reverse("families:household", args=[self.household.pk])

    def summary_household(self):
        """The household the summary at the top is drawn from: a page that has read more of it says so here."""
        return self.household

    @cached_property
    def page_day(self):
        """Today, once a request: a kept part's key names the day it was drawn for, and the part is drawn for it."""
        return today()

    @cached_property
    def family_number(self) -> tuple[int, int]:
        """The family's change number (core.marks), read once a request, before anything kept is worked out."""
        return marks.changes_of([self.household.pk])[self.household.pk]

    def kept_markup(self, part: str, draw, answers: dict[str, bool] | None = None):
        """This family's `part`, drawn by `draw(answers)` once for its change number and kept (core.kept_pages)."""
        return kept_pages.kept_markup(
            self.household.pk, part, number=self.family_number, as_of=self.page_day, answers=answers, draw=draw
        )

    def alerts(self) -> list[dict]:
        kept = kept_pages.kept_for_family(
            self.household.pk,
            "alerts",
            number=self.family_number,
            as_of=self.page_day,
            work_out=lambda answers: tuple((a["text"], a["href"]) for a in household_alerts(self.household)),
        )
        return [{"text": text, "href": href} for text, href in kept]

    def summary(self):
        def draw(answers):
            household = self.summary_household()
            summary = household_summary(household, self.page_day)
            return render_to_string(
                SUMMARY_TEMPLATE, {"summary": summary, "household": household, "may_answers": answers}
            )

        return self.kept_markup("summary", draw)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            household=context.get("household", self.household),
            caption=context.get("caption", self.household.name),
            tabs=tabs_for(self.request.user, self.household, self.tab),
            alerts=self.alerts() if self.shows_alerts else [],
            # Called by the template only where the family's header is drawn (a tab), not on form pages.
            summary=_once(self.summary) if self.shows_alerts else "",
            break_glass=access.reached_by_break_glass(self.request.user, self.household),
            nav_active=context.get("nav_active", "caseload"),
        )
        return context


def _once(function):
    """A value a template asks for more than once (`{% if %}` then `{% for %}`), worked out the first time only, and
    not at all on a page that does not draw it."""
    result = []

    def value():
        if not result:
            result.append(function())
        return result[0]

    return value


class HomeView(LoginRequiredMixin, View):
    def get(self, request):
        if access.prescribes(request.user):
            return redirect("prescribing:today")
        if access.has_caseload(request.user):
            return redirect("families:caseload")
        if access.works_at_a_counter(request.user):
            return redirect("pharmacy:counter")
        if access.receives_shared_records(request.user):
            return redirect("sharing:shared_with_me")
        if access.has_action(request.user, Action.VIEW_REPORTS):
            return redirect("management:report")
        return render(request, "core/home_partner.html")


@require_safe
def health(request):
    """For a load balancer or an orchestrator: 200 while this app server answers and its database does, 503 when the
    database does not. No sign-in, no record, nothing written to the access log (there is no one's data here)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def permission_denied(request, exception=None, break_glass_household=None):
    """The 403 page. For a family beyond the user's reach that they may open in an emergency, it offers break-glass."""
    context = {"reason": str(exception or "")}
    if break_glass_household is not None:
        context["break_glass_url"] = reverse("sharing:break_glass", args=[break_glass_household.pk])
    return render(request, "core/403.html", context, status=403)


def page_not_found(request, exception=None):
    # The API answers in JSON everywhere, an address it does not know included (the schema says so).
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not found."}, status=404)
    return render(request, "core/404.html", status=404)


def audit_out_of_reach(request, error: ValidationError) -> None:
    """A service refused because the input touched a family beyond the caller's reach: log the refusal."""
    if isinstance(error, OutOfReach):
        auditing.record_access(
            request=request,
            user=request.user,
            action=error.audit_action,
            household_id=error.household_id,
            allowed=False,
            detail="refused: another family beyond this user's reach",
        )


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
            audit_out_of_reach(self.request, error)
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
