from django.http import Http404
from django.urls import reverse
from django.views.generic import TemplateView

from ostsafe.audit.actions import AuditAction
from ostsafe.core import access
from ostsafe.core.access import Action
from ostsafe.core.validators import today
from ostsafe.core.views import HouseholdPageMixin, ServiceFormView

from . import forms, selectors, services
from .signs import SIGNS


class WarningSignsTabView(HouseholdPageMixin, TemplateView):
    """Each of the guide's nine signs for this family: raised (since when, with the evidence), clear, unknown for want
    of information, not applicable, or not checked automatically; and every flag's history."""

    tab = "warning_signs"
    template_name = "curiosity/tab.html"
    audit_action = AuditAction.WARNING_SIGNS_VIEW

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        flags = selectors.flags_for_household(self.household)
        now = services.findings(self.household, today())
        open_flags = {flag.sign: flag for flag in flags if flag.is_open}
        rows = [{"sign": sign, "finding": now[sign.key], "flag": open_flags.get(sign.key)} for sign in SIGNS]
        context.update(
            rows=rows,
            history=[flag for flag in flags if not flag.is_open or flag.acknowledged_at],
            titles={sign.key: sign.title for sign in SIGNS},
            can_respond=access.can(self.request.user, Action.RESPOND_TO_WARNING_SIGN, self.household),
            observations=selectors.observations_for_household(self.household),
        )
        return context


class FlagFormMixin(HouseholdPageMixin):
    required_action = Action.RESPOND_TO_WARNING_SIGN

    def get_success_url(self):
        return reverse("curiosity:tab", args=[self.household.pk])


class AcknowledgeFlagView(FlagFormMixin, ServiceFormView):
    page_title = "Acknowledge a warning sign"
    submit_label = "Save"
    success_message = "Acknowledged"
    form_class = forms.AcknowledgeFlagForm

    def get_form(self, form_class=None):
        self.flag = selectors.flag_in(self.household, self.kwargs["pk"])
        if self.flag is None:
            raise Http404("No such warning sign")
        return super().get_form(form_class)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["caption"] = {s.key: s.title for s in SIGNS}[self.flag.sign]
        return context

    def perform(self, form):
        return services.acknowledge_flag(flag=self.flag, acknowledged_by=self.request.user, **form.cleaned_data)


class RaiseFlagView(FlagFormMixin, ServiceFormView):
    page_title = "Raise a warning sign"
    submit_label = "Raise it"
    success_message = "Warning sign raised"
    form_class = forms.RaiseFlagForm

    def perform(self, form):
        return services.raise_by_hand(household=self.household, raised_by=self.request.user, **form.cleaned_data)


class ObservationView(FlagFormMixin, ServiceFormView):
    page_title = "Record what you noticed"
    submit_label = "Save"
    success_message = "Recorded: it shows as evidence on this tab"
    form_class = forms.ObservationForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "household": self.household}

    def get_initial(self):
        initial = {"noticed_on": today()}
        in_treatment = list(self.household.service_users.filter(discharged_on__isnull=True)[:2])
        if len(in_treatment) == 1:
            initial["service_user"] = in_treatment[0].pk
        return initial

    def perform(self, form):
        return services.record_observation(household=self.household, recorded_by=self.request.user, **form.cleaned_data)
