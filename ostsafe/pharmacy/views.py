from datetime import timedelta
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from ostsafe.audit.actions import AuditAction
from ostsafe.audit.services import record_list_access
from ostsafe.core import access
from ostsafe.core.access import Action
from ostsafe.core.validators import today
from ostsafe.core.views import ActionRequiredMixin, HouseholdPageMixin, ServiceFormView
from ostsafe.monitoring import selectors as monitoring_selectors
from ostsafe.prescribing.models import Prescription

from . import forms, selectors, services
from .models import Outcome, RecordsDelayed


class CounterView(ActionRequiredMixin, TemplateView):
    """Today at the counter: the doses expected today at the pharmacist's own pharmacy, one action per row: those
    needing attention first (missed doses just before today, a recent concern), then the rest, then those done today;
    a search by name or date of birth (a plain GET: it works without JavaScript)."""

    required_action = Action.RECORD_DISPENSING
    audit_action = AuditAction.DISPENSING_COUNTER
    template_name = "pharmacy/counter.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        on = today()
        rows = selectors.counter_rows(self.request.user.organisation, on)
        record_list_access(
            request=self.request,
            user=self.request.user,
            action=self.audit_action,
            household_ids=[r.prescription.service_user.household_id for r in rows],
        )
        search = self.request.GET.get("q", "").strip()[:100]
        shown = [row for row in rows if row.matches(search)] if search else rows
        context.update(
            rows=rows,
            search=search,
            attention=[row for row in shown if row.needs_attention],
            to_do=[row for row in shown if row.record is None and not row.needs_attention],
            done=[row for row in shown if row.record is not None],
            on=on,
            pharmacy=self.request.user.organisation,
            nav_active="counter",
            outcomes=forms.Outcome.choices,
        )
        return context


def _prescription_for(request, pk):
    """The prescription, if this pharmacist may dispense it; the attempt is audited either way."""
    prescription = get_object_or_404(Prescription.objects.select_related("service_user", "pharmacy"), pk=pk)
    access.require(
        request,
        Action.RECORD_DISPENSING,
        prescription.service_user.household_id,
        check=lambda user: access.may_dispense(user, prescription),
        message="This prescription is not dispensed at your pharmacy.",
    )
    return prescription


def _back_to_the_counter(request):
    """Back where the pharmacist was: the same search, at the clients still to do (not the top of the page)."""
    search = request.POST.get("q", "").strip()[:100]
    query = f"?{urlencode({'q': search})}" if search else ""
    return redirect(f"{reverse('pharmacy:counter')}{query}#to-do")


class RecordDoseView(ActionRequiredMixin, View):
    required_action = Action.RECORD_DISPENSING

    def post(self, request):
        form = forms.RecordDoseForm(request.POST)
        if not form.is_valid():
            messages.error(request, "There is a problem: choose supervised, collected or missed, with a quantity")
            return _back_to_the_counter(request)
        prescription = _prescription_for(request, form.cleaned_data["prescription"])
        outcome = form.cleaned_data["outcome"]
        try:
            services.record_dispensing(
                prescription=prescription,
                expected_on=today(),
                outcome=outcome,
                # The row's quantity box is prefilled with today's dose; "Missed" means nothing was given.
                quantity=None if outcome == Outcome.MISSED else form.cleaned_data["quantity"],
                note=form.cleaned_data["note"],
                recorded_by=request.user,
                prescriber_consulted=form.cleaned_data["prescriber_consulted"],
            )
        except ValidationError as error:
            messages.error(request, f"{prescription.service_user.full_name}: {' '.join(error.messages)}")
        else:
            messages.success(request, f"{prescription.service_user.full_name}: recorded")
        return _back_to_the_counter(request)


class ConcernView(ActionRequiredMixin, ServiceFormView):
    required_action = Action.RECORD_DISPENSING
    page_title = "Raise a concern with the keyworker"
    submit_label = "Send concern"
    success_message = "Concern sent to the keyworker"
    form_class = forms.ConcernForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and access.has_action(request.user, self.required_action):
            self.prescription = _prescription_for(request, kwargs["prescription_id"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["caption"] = self.prescription.service_user.full_name
        return context

    def perform(self, form):
        return services.raise_pharmacy_concern(
            pharmacy=self.prescription.pharmacy,
            service_user=self.prescription.service_user,
            raised_by=self.request.user,
            raised_on=today(),
            **form.cleaned_data,
        )

    def get_success_url(self):
        return reverse("pharmacy:counter")


class PharmacyTabView(HouseholdPageMixin, TemplateView):
    tab = "pharmacy"
    template_name = "pharmacy/tab.html"
    audit_action = AuditAction.DISPENSING_VIEW

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            records=selectors.dispensing_for_household(self.household, today() - timedelta(days=28)),
            concerns=selectors.concerns_for_household(self.household),
            appointments=monitoring_selectors.appointments_for_household(self.household),
            test_results=monitoring_selectors.test_results_for_household(self.household),
            other_concerns=monitoring_selectors.concerns_for_household(self.household),
            can_edit=access.can(self.request.user, Action.EDIT_HOUSEHOLD, self.household),
            nav_active="caseload",
        )
        return context


class RecordsDelayedView(ActionRequiredMixin, ServiceFormView):
    """A pharmacy whose records will be late (back on paper): no missed-dose alert fires for that period."""

    required_action = Action.RECORD_DISPENSING
    page_title = "Mark this pharmacy's records as delayed"
    submit_label = "Mark as delayed"
    success_message = "Records marked as delayed: no missed-dose alerts for that period"
    form_class = forms.RecordsDelayedForm

    template_name = "pharmacy/records_delayed.html"

    def get_initial(self):
        return {"starts_on": today(), "ends_on": today()}  # most outages are today's

    def perform(self, form):
        # A pharmacist marks their own pharmacy; an administrator the whole feed (every pharmacy).
        pharmacy = self.request.user.organisation if access.works_at_a_counter(self.request.user) else None
        return services.mark_records_delayed(pharmacy=pharmacy, recorded_by=self.request.user, **form.cleaned_data)

    def get_context_data(self, **kwargs):
        return super().get_context_data(open_periods=selectors.open_delays_for(self.request.user), **kwargs)

    def get_success_url(self):
        return reverse("pharmacy:counter")


class RecordsArrivedView(ActionRequiredMixin, View):
    """POST: the late records of one delayed period have arrived. Its doses count again and the missed-dose rule
    runs again for them. Pharmacists close their own pharmacy's periods; administrators any."""

    required_action = Action.RECORD_DISPENSING
    audit_action = AuditAction.PHARMACY_RECORDS_ARRIVED
    http_method_names = ["post"]

    def post(self, request, pk):
        period = get_object_or_404(RecordsDelayed, pk=pk, closed_at__isnull=True)
        access.require(
            request,
            Action.RECORD_DISPENSING,
            check=lambda user: access.may_act_for_pharmacy(user, period.pharmacy_id),
            audit_as=self.audit_action,
            message="These are another pharmacy's records.",
        )
        services.close_records_delayed(period=period, closed_by=request.user)
        messages.success(request, "Late records marked as arrived: missed-dose alerts for that period are back on")
        return redirect("pharmacy:records_delayed")
