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
from .models import DispensingRecord, Outcome, PharmacyPolicy, RecordsDelayed


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
        done = [row for row in shown if row.record is not None]
        corrected = selectors.corrected_record_ids([row.record for row in done])
        context.update(
            undoable={
                row.record.pk
                for row in done
                if services.may_undo(row.record, self.request.user, corrected=row.record.pk in corrected)
            },
            undo_minutes=services.UNDO_MINUTES,
            rows=rows,
            search=search,
            attention=[row for row in shown if row.needs_attention],
            to_do=[row for row in shown if row.record is None and not row.needs_attention],
            done=done,
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


def _record_for(request, pk):
    """A dose record of a prescription this pharmacist may dispense; the attempt is audited either way."""
    record = get_object_or_404(DispensingRecord.objects.select_related("prescription__service_user"), pk=pk)
    _prescription_for(request, record.prescription_id)
    return record


class UndoDoseView(ActionRequiredMixin, View):
    """Take back a dose just recorded (the wrong client, the wrong button): the same pharmacist, within minutes."""

    required_action = Action.RECORD_DISPENSING

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and access.has_action(request.user, self.required_action):
            self.record = _record_for(request, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, pk):
        record = self.record
        name = record.prescription.service_user.full_name
        try:
            services.undo_dispensing(record=record, undone_by=request.user)
        except ValidationError as error:
            messages.error(request, f"{name}: {' '.join(error.messages)}")
        else:
            messages.success(request, f"{name}: record undone. Record what happened")
        return _back_to_the_counter(request)


class CorrectDoseView(ActionRequiredMixin, ServiceFormView):
    """Correct a dose record with a reason, keeping what it said before."""

    required_action = Action.RECORD_DISPENSING
    page_title = "Correct a dose record"
    submit_label = "Save correction"
    success_message = "Record corrected"
    form_class = forms.CorrectDoseForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and access.has_action(request.user, self.required_action):
            self.record = _record_for(request, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        threshold = PharmacyPolicy.current().missed_doses_for_review
        run = selectors.missed_before(self.record.prescription, self.record.expected_on, threshold)
        return super().get_form_kwargs() | {"speak_to_prescriber": run >= threshold}

    def get_initial(self):
        return {"outcome": self.record.outcome, "quantity": self.record.quantity}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        record = self.record
        was = record.get_outcome_display()
        if record.quantity:
            was += f", {record.quantity.normalize():f}{record.prescription.dose_unit}"
        context["caption"] = f"{record.prescription.service_user.full_name}, {record.expected_on:%-d %B %Y}: {was}"
        return context

    def perform(self, form):
        return services.correct_dispensing(
            record=self.record,
            outcome=form.cleaned_data["outcome"],
            quantity=form.cleaned_data["quantity"],
            reason=form.cleaned_data["reason"],
            prescriber_consulted=form.cleaned_data.get("prescriber_consulted", False),
            corrected_by=self.request.user,
        )

    def get_success_url(self):
        return f"{reverse('pharmacy:counter')}#row-{self.record.prescription_id}"


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
