from django.http import Http404
from django.urls import reverse
from django.views.generic import TemplateView

from ostsafe.audit.actions import AuditAction
from ostsafe.audit.services import record_list_access
from ostsafe.core import access
from ostsafe.core.access import Action
from ostsafe.core.validators import today
from ostsafe.core.views import ActionRequiredMixin, HouseholdPageMixin, ServiceFormView

from . import forms, selectors, services
from .models import Consent, Decision


class SharingTabView(HouseholdPageMixin, TemplateView):
    """Consent to share, per service user and recipient, and the team discussions after a refusal."""

    tab = "sharing"
    template_name = "sharing/tab.html"
    audit_action = AuditAction.SHARING_VIEW

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        service_users, discussions = selectors.sharing_tab(self.household, today())
        context.update(
            service_users=service_users,
            discussions=discussions,
            awaiting=selectors.consents_awaiting_discussion(self.household),
            can_record=access.can(user, Action.RECORD_CONSENT, self.household),
            can_discuss=access.can(user, Action.RECORD_TEAM_DISCUSSION, self.household),
        )
        return context


class SharingFormMixin(HouseholdPageMixin):
    required_action = Action.RECORD_CONSENT

    def get_success_url(self):
        return reverse("sharing:tab", args=[self.household.pk])

    def get_consent(self) -> Consent:
        try:
            return selectors.consent_in(self.household, self.kwargs["pk"])
        except Consent.DoesNotExist:
            raise Http404("No such consent") from None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["caption"] = self.household.name
        return context


class RecordConsentView(SharingFormMixin, ServiceFormView):
    page_title = "Record consent to share"
    submit_label = "Save decision"
    success_message = "Consent decision recorded"

    def get_form(self, form_class=None):
        return forms.ConsentForm(household=self.household, **self.get_form_kwargs())

    def get_initial(self):
        initial = {"decided_on": today()}
        service_users = list(self.household.service_users.filter(discharged_on__isnull=True)[:2])
        if len(service_users) == 1:
            initial["service_user"] = service_users[0].pk
        purpose = self.request.GET.get("purpose", "")
        if purpose:
            initial["purpose"] = purpose
        return initial

    def perform(self, form):
        return services.record_consent(household=self.household, recorded_by=self.request.user, **form.cleaned_data)


class WithdrawConsentView(SharingFormMixin, ServiceFormView):
    page_title = "Record consent as withdrawn"
    submit_label = "Record as withdrawn"
    success_message = "Consent recorded as withdrawn. It no longer covers any sharing"
    form_class = forms.WithdrawConsentForm

    def get_form(self, form_class=None):
        self.consent = self.get_consent()
        return super().get_form(form_class)

    def get_initial(self):
        return {"withdrawn_on": today()}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["caption"] = (
            f"{self.consent.service_user.full_name}: {self.consent.purpose_label.lower()}, "
            f"{self.consent.recipient.display_name}"
        )
        return context

    def perform(self, form):
        return services.withdraw_consent(consent=self.consent, withdrawn_by=self.request.user, **form.cleaned_data)


class TeamDiscussionView(SharingFormMixin, ServiceFormView):
    required_action = Action.RECORD_TEAM_DISCUSSION
    page_title = "Record the team discussion"
    submit_label = "Save discussion"
    success_message = "Team discussion recorded"
    form_class = forms.TeamDiscussionForm

    def get_form(self, form_class=None):
        self.consent = self.get_consent()
        return super().get_form(form_class)

    def get_initial(self):
        return {"held_on": today()}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        how = "refused" if self.consent.decision == Decision.REFUSED else "withdrew"
        context["caption"] = (
            f"{self.consent.service_user.full_name} {how} consent: {self.consent.purpose_label.lower()}, "
            f"{self.consent.recipient.display_name}"
        )
        return context

    def perform(self, form):
        return services.record_team_discussion(consent=self.consent, recorded_by=self.request.user, **form.cleaned_data)


# Partners -------------------------------------------------------------------------------------------------------------


class SharedWithMeView(ActionRequiredMixin, TemplateView):
    """A partner's list of the families shared with them."""

    required_action = Action.VIEW_SHARED
    audit_action = AuditAction.SHARED_LIST
    template_name = "sharing/shared_with_me.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        households = selectors.shared_with_me(self.request.user, today())
        record_list_access(
            request=self.request,
            user=self.request.user,
            action=AuditAction.SHARED_LIST,
            household_ids=[h.pk for h in households],
        )
        context.update(households=households, nav_active="shared")
        return context


class SharedView(HouseholdPageMixin, TemplateView):
    """What one partner may see of one family: who they are, who leads, how to reach the keyworker, and what consent
    covers. Never the treatment record."""

    required_action = Action.VIEW_SHARED
    template_name = "sharing/shared_view.html"
    shows_alerts = False

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(selectors.shared_view(self.request.user, self.household, today()))
        context.update(tabs=[], nav_active="shared", as_of=today())
        return context
