from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import FormView, TemplateView
from weasyprint import HTML

from ostsafe.audit.actions import AuditAction
from ostsafe.audit.services import record_list_access
from ostsafe.core import access
from ostsafe.core.access import Action
from ostsafe.core.households import chronology, chronology_sources
from ostsafe.core.validators import today
from ostsafe.core.views import ActionRequiredMixin, HouseholdPageMixin, ServiceFormView, add_service_errors
from ostsafe.families.models import Household

from . import forms, letters, selectors, services
from .models import Consent, Decision, Notification, NotificationKind, Referral, SharingDecision


class SharingTabView(HouseholdPageMixin, TemplateView):
    """Consent to share, per service user and recipient, and the team discussions after a refusal."""

    tab = "sharing"
    template_name = "sharing/tab.html"
    audit_action = AuditAction.SHARING_VIEW

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        service_users, discussions = selectors.sharing_tab(self.household, today())
        letters_ = selectors.letters_for_household(self.household)
        context.update(
            service_users=service_users,
            discussions=discussions,
            awaiting=selectors.consents_awaiting_discussion(self.household),
            letters=letters_,
            decisions=selectors.decisions_for_household(self.household),
            referrals=selectors.referrals_for_household(self.household),
            can_approve=access.can(user, Action.APPROVE_SHARING, self.household),
            can_refer=access.can(user, Action.REFER, self.household),
            lettered={letter.consent_id for letter in letters_ if letter.status != "cancelled"},
            reports=selectors.reports_for_household(self.household),
            as_of=today(),
            can_record=access.can(user, Action.RECORD_CONSENT, self.household),
            can_send=access.can(user, Action.SEND_NOTIFICATION, self.household),
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
        consents = services.record_consents(
            household=self.household, recorded_by=self.request.user, **form.cleaned_data
        )
        self.success_message = (
            f"Consent decision recorded for {len(consents)} professionals"
            if len(consents) > 1
            else "Consent decision recorded"
        )
        return consents


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
        user = self.request.user
        context.update(selectors.shared_view(user, self.household, today()))
        context.update(
            letters=selectors.letters_to(user, self.household),
            can_report=access.can(user, Action.REPORT_TO_SERVICE, self.household),
            tabs=[],
            nav_active="shared",
        )
        return context


# Letters: the routine notification and updates ------------------------------------------------------------------------


class LetterMixin(SharingFormMixin):
    required_action = Action.SEND_NOTIFICATION

    def get_letter(self) -> Notification:
        try:
            return selectors.letter_in(self.household, self.kwargs["pk"])
        except Notification.DoesNotExist:
            raise Http404("No such letter") from None

    def get_success_url(self):
        return reverse("sharing:letter", args=[self.household.pk, self.kwargs["pk"]])


class DraftRoutineNotificationView(SharingFormMixin, View):
    """POST: draft the routine notification letter under one consent, and show it for reading before it is sent."""

    required_action = Action.SEND_NOTIFICATION
    http_method_names = ["post"]

    def post(self, request, household_id, pk):
        consent = self.get_consent()
        try:
            letter = services.draft_routine_notification(consent=consent, drafted_by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("sharing:tab", household_id)
        return redirect("sharing:letter", household_id, letter.pk)


class LetterView(HouseholdPageMixin, TemplateView):
    tab = "sharing"
    template_name = "sharing/letter.html"
    audit_action = AuditAction.NOTIFICATION_VIEW

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        try:
            letter = selectors.letter_in(self.household, self.kwargs["pk"])
        except Notification.DoesNotExist:
            raise Http404("No such letter") from None
        context.update(letter=letter, can_send=access.can(self.request.user, Action.SEND_NOTIFICATION, self.household))
        return context


class SendLetterView(LetterMixin, ServiceFormView):
    page_title = "Send the letter"
    submit_label = "Send letter"
    success_message = "Letter sent"
    template_name = "sharing/send_letter.html"

    def get_form(self, form_class=None):
        self.letter = self.get_letter()
        editable = self.letter.kind == NotificationKind.UPDATE
        return forms.SendNotificationForm(editable=editable, **self.get_form_kwargs())

    def get_initial(self):
        return {"body": self.letter.body}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(letter=self.letter, caption=f"To {self.letter.recipient.display_name}")
        return context

    def perform(self, form):
        return services.send_notification(
            notification=self.letter, sent_by=self.request.user, body=form.cleaned_data.get("body")
        )


class CancelLetterView(LetterMixin, ServiceFormView):
    page_title = "Do not send this letter"
    submit_label = "Record as not sent"
    success_message = "Recorded as not sent"
    form_class = forms.CancelNotificationForm

    def get_form(self, form_class=None):
        self.letter = self.get_letter()
        return super().get_form(form_class)

    def perform(self, form):
        return services.cancel_notification(
            notification=self.letter, cancelled_by=self.request.user, **form.cleaned_data
        )


class FollowUpCallView(LetterMixin, ServiceFormView):
    page_title = "Record the follow-up call"
    success_message = "Follow-up call recorded"
    form_class = forms.FollowUpCallForm

    def get_form(self, form_class=None):
        self.letter = self.get_letter()
        return super().get_form(form_class)

    def get_initial(self):
        return {"call_on": today()}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["caption"] = f"Call with {self.letter.recipient.display_name}"
        return context

    def perform(self, form):
        return services.record_follow_up_call(
            notification=self.letter, recorded_by=self.request.user, **form.cleaned_data
        )


def _pdf_response(letter) -> HttpResponse:
    response = HttpResponse(letters.letter_pdf(letter), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{letter.kind}-notification-{letter.pk}.pdf"'
    return response


class LetterPdfView(HouseholdPageMixin, View):
    audit_action = AuditAction.NOTIFICATION_VIEW

    def get(self, request, household_id, pk):
        try:
            return _pdf_response(selectors.letter_in(self.household, pk))
        except Notification.DoesNotExist:
            raise Http404("No such letter") from None


# Partners: their letters, and what they tell the service --------------------------------------------------------------


class SharedLetterMixin(HouseholdPageMixin):
    """A letter sent to the signed-in partner: they reach the family (the mixin asks) and the letter is addressed to
    them (asked here, audited either way)."""

    required_action = Action.VIEW_SHARED
    audit_action = AuditAction.NOTIFICATION_VIEW
    shows_alerts = False

    def get_letter(self) -> Notification:
        try:
            letter = selectors.letter_in(self.household, self.kwargs["pk"])
        except Notification.DoesNotExist:
            raise Http404("No such letter") from None
        access.require(
            self.request,
            Action.VIEW_SHARED,
            self.household,
            check=lambda user: letter.is_sent and access.is_recipient(user, letter.recipient),
            audit_as=AuditAction.NOTIFICATION_VIEW,
            message="This letter was not sent to you.",
        )
        return letter


class SharedLetterView(SharedLetterMixin, TemplateView):
    template_name = "sharing/shared_letter.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(letter=self.get_letter(), tabs=[], nav_active="shared")
        return context


class SharedLetterPdfView(SharedLetterMixin, View):
    def get(self, request, household_id, pk):
        return _pdf_response(self.get_letter())


class AcknowledgeLetterView(SharedLetterMixin, View):
    http_method_names = ["post"]

    def post(self, request, household_id, pk):
        services.acknowledge_notification(notification=self.get_letter(), acknowledged_by=request.user)
        messages.success(request, "Thank you: the keyworker can see that the letter reached you")
        return redirect("sharing:shared", household_id)


class PartnerReportView(HouseholdPageMixin, ServiceFormView):
    """A partner tells the treatment service of an update, a concern or a child health event."""

    required_action = Action.REPORT_TO_SERVICE
    audit_action = AuditAction.PARTNER_REPORT
    shows_alerts = False
    page_title = "Tell the treatment service"
    submit_label = "Send to the keyworker"
    success_message = "Sent. The keyworker has a task to act on it"

    def get_form(self, form_class=None):
        return forms.PartnerReportForm(household=self.household, as_of=today(), **self.get_form_kwargs())

    def get_initial(self):
        return {"happened_on": today()}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(caption=self.household.name, tabs=[], nav_active="shared")
        return context

    def get_success_url(self):
        return reverse("sharing:shared", args=[self.household.pk])

    def perform(self, form):
        return services.record_partner_report(
            household=self.household, reported_by=self.request.user, **form.cleaned_data
        )


# Sharing without consent, and referrals -------------------------------------------------------------------------------


class SharingDecisionView(SharingFormMixin, ServiceFormView):
    """Share without consent, or not: the golden rules are on the page, the reasons on the record either way."""

    page_title = "Record a decision about sharing without consent"
    submit_label = "Save decision"
    template_name = "sharing/decision_form.html"

    def get_form(self, form_class=None):
        return forms.SharingDecisionForm(household=self.household, **self.get_form_kwargs())

    def get_initial(self):
        initial = {"decided_on": today()}
        service_users = list(self.household.service_users.filter(discharged_on__isnull=True)[:2])
        if len(service_users) == 1:
            initial["service_user"] = service_users[0].pk
        return initial

    def perform(self, form):
        approve_now = access.can(self.request.user, Action.APPROVE_SHARING, self.household)
        self.success_message = "Decision recorded" if approve_now else "Decision recorded: a manager will approve it"
        return services.record_sharing_decision(
            household=self.household, recorded_by=self.request.user, approve_now=approve_now, **form.cleaned_data
        )


class ApproveDecisionView(SharingFormMixin, ServiceFormView):
    required_action = Action.APPROVE_SHARING
    page_title = "Approve a decision about sharing without consent"
    submit_label = "Save"
    success_message = "Approval recorded"
    form_class = forms.ApproveDecisionForm
    template_name = "sharing/approve_decision.html"

    def get_form(self, form_class=None):
        try:
            self.decision = SharingDecision.objects.select_related("recipient__professional", "recorded_by").get(
                household=self.household, pk=self.kwargs["pk"]
            )
        except SharingDecision.DoesNotExist:
            raise Http404("No such decision") from None
        return super().get_form(form_class)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["decision"] = self.decision
        return context

    def perform(self, form):
        return services.approve_sharing_decision(
            decision=self.decision, approved_by=self.request.user, **form.cleaned_data
        )


class ReferralMixin(SharingFormMixin):
    required_action = Action.REFER

    def get_referral(self) -> Referral:
        try:
            return selectors.referral_in(self.household, self.kwargs["pk"])
        except Referral.DoesNotExist:
            raise Http404("No such referral") from None

    def get_success_url(self):
        return reverse("sharing:referral", args=[self.household.pk, self.kwargs["pk"]])


class RecordReferralView(SharingFormMixin, ServiceFormView):
    required_action = Action.REFER
    page_title = "Child protection referral to children's social care"
    submit_label = "Save the referral"
    success_message = "Referral saved. Print it for the referral route, then record it as sent"

    def get_form(self, form_class=None):
        return forms.ReferralForm(household=self.household, as_of=today(), **self.get_form_kwargs())

    def get_initial(self):
        user = self.request.user
        return {
            "made_on": today(),
            "referrer_contact": f"{user.full_name}, {user.email}",
            "include_assessment": True,
            "include_plan": True,
        }

    def perform(self, form):
        return services.record_referral(household=self.household, made_by=self.request.user, **form.cleaned_data)

    def get_success_url(self):
        if hasattr(self, "result"):
            return reverse("sharing:referral", args=[self.household.pk, self.result.pk])
        return super().get_success_url()


class ReferralView(HouseholdPageMixin, TemplateView):
    tab = "sharing"
    template_name = "sharing/referral.html"
    audit_action = AuditAction.REFERRAL_VIEW

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        try:
            referral = selectors.referral_in(self.household, self.kwargs["pk"])
        except Referral.DoesNotExist:
            raise Http404("No such referral") from None
        context.update(referral=referral, can_refer=access.can(self.request.user, Action.REFER, self.household))
        return context


class ReferralPdfView(HouseholdPageMixin, View):
    audit_action = AuditAction.REFERRAL_PDF

    def get(self, request, household_id, pk):
        try:
            referral = selectors.referral_in(self.household, pk)
        except Referral.DoesNotExist:
            raise Http404("No such referral") from None
        response = HttpResponse(letters.referral_pdf(referral), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="child-protection-referral-{referral.pk}.pdf"'
        return response


class SendReferralView(ReferralMixin, View):
    http_method_names = ["post"]

    def post(self, request, household_id, pk):
        try:
            services.send_referral(referral=self.get_referral(), sent_by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                "Recorded as sent. Without an acknowledgement and a decision after one working day, you get a task "
                "to chase them",
            )
        return redirect("sharing:referral", household_id, pk)


class ReferralResponseView(ReferralMixin, ServiceFormView):
    page_title = "Record the acknowledgement and decision"
    success_message = "Recorded"
    form_class = forms.ReferralResponseForm

    def get_form(self, form_class=None):
        self.referral = self.get_referral()
        return super().get_form(form_class)

    def get_initial(self):
        return {
            "acknowledged_on": self.referral.acknowledged_on,
            "acknowledged_by_name": self.referral.acknowledged_by_name,
        }

    def perform(self, form):
        return services.record_referral_response(
            referral=self.referral, recorded_by=self.request.user, **form.cleaned_data
        )


class CloseReferralView(ReferralMixin, ServiceFormView):
    page_title = "Record child protection work as ended"
    success_message = "Referral closed"
    form_class = forms.CloseReferralForm

    def get_form(self, form_class=None):
        self.referral = self.get_referral()
        return super().get_form(form_class)

    def get_initial(self):
        return {"closed_on": today()}

    def perform(self, form):
        return services.close_referral(referral=self.referral, closed_by=self.request.user, **form.cleaned_data)


# Break-glass ----------------------------------------------------------------------------------------------------------


class BreakGlassView(LoginRequiredMixin, FormView):
    """Open a family beyond one's reach in an emergency: a reason, a time limit, everything read audited as
    break-glass, the managers asked to review it. The family's name is not shown until access is granted."""

    template_name = "sharing/break_glass.html"
    form_class = forms.BreakGlassForm

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        household = Household.objects.select_related("team").filter(pk=kwargs["household_id"]).first()
        if household is None:
            raise Http404("No such household")
        access.require(
            request,
            Action.BREAK_GLASS,
            household,
            check=lambda user: access.may_break_glass(user, household),
            audit_as=AuditAction.BREAK_GLASS_GRANT,
            message="You cannot use break-glass for this family: it is within your reach already, or your role "
            "does not allow it.",
        )
        self.household = household
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(hours=settings.OSTSAFE_BREAK_GLASS_HOURS, household_id=self.household.pk)
        return context

    def form_valid(self, form):
        try:
            services.grant_break_glass(
                user=self.request.user, household=self.household, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, f"Break-glass access granted for {settings.OSTSAFE_BREAK_GLASS_HOURS} hours")
        return redirect("families:household", self.household.pk)


class BreakGlassListView(ActionRequiredMixin, TemplateView):
    """Managers: break-glass access by their service's staff and into their service's families, open and recent."""

    required_action = Action.APPROVE_SHARING
    audit_action = AuditAction.BREAK_GLASS_LIST
    template_name = "sharing/break_glass_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        grants = selectors.break_glass_for_review(self.request.user, today())
        record_list_access(
            request=self.request,
            user=self.request.user,
            action=AuditAction.BREAK_GLASS_LIST,
            household_ids=[g.household_id for g in grants],
        )
        context.update(grants=grants, now=timezone.now(), nav_active="break_glass")
        return context


class ReviewBreakGlassView(ActionRequiredMixin, ServiceFormView):
    required_action = Action.APPROVE_SHARING
    audit_action = AuditAction.BREAK_GLASS_REVIEW
    page_title = "Review break-glass access"
    submit_label = "Save review"
    success_message = "Review recorded"
    form_class = forms.BreakGlassReviewForm
    template_name = "sharing/review_break_glass.html"

    def get_form(self, form_class=None):
        self.grant = selectors.grant_for_review(self.request.user, self.kwargs["pk"])
        if self.grant is None:
            raise Http404("No such break-glass access for you to review")
        return super().get_form(form_class)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["grant"] = self.grant
        return context

    def get_success_url(self):
        return reverse("sharing:break_glass_list")

    def perform(self, form):
        return services.review_break_glass(grant=self.grant, reviewed_by=self.request.user, **form.cleaned_data)


# The family chronology ------------------------------------------------------------------------------------------------


class ChronologyMixin:
    """The chronology of `self.household` from `sources()`, filtered by the query string."""

    def sources(self):
        return chronology_sources()

    def chronology_context(self) -> dict:
        sources = self.sources()
        form = forms.ChronologyFilterForm(self.request.GET or None, sources=sources)
        chosen, since, until = sources, None, None
        if form.is_bound and form.is_valid():
            kinds = set(form.cleaned_data["kinds"])
            chosen = [s for s in sources if s.key in kinds] if kinds else sources
            since, until = form.cleaned_data["since"], form.cleaned_data["until"]
        events = chronology(self.household, sources=chosen, since=since, until=until)
        labels = {s.key: s.label for s in sources}
        return {"form": form, "events": events, "labels": labels, "since": since, "until": until}


class ChronologyView(ChronologyMixin, HouseholdPageMixin, TemplateView):
    """Every dated event about the family, across the apps, newest first: for supervision, a core group, or the
    serious case review that always asks for one."""

    tab = "chronology"
    template_name = "sharing/chronology.html"
    audit_action = AuditAction.CHRONOLOGY_VIEW

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.chronology_context(), pdf_url=reverse("sharing:chronology_pdf", args=[self.household.pk]))
        return context


class ChronologyPdfView(ChronologyMixin, HouseholdPageMixin, View):
    audit_action = AuditAction.CHRONOLOGY_PDF

    def get(self, request, household_id):
        context = self.chronology_context() | {"household": self.household, "printed_by": request.user}
        html = render_to_string("sharing/chronology_pdf.html", context)
        response = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="chronology-{self.household.pk}.pdf"'
        return response


class SharedChronologyView(ChronologyMixin, HouseholdPageMixin, TemplateView):
    """A partner's chronology: only the kinds of event their consent or recorded decision covers."""

    required_action = Action.VIEW_SHARED
    audit_action = AuditAction.CHRONOLOGY_VIEW
    template_name = "sharing/chronology.html"
    shows_alerts = False

    def sources(self):
        return chronology_sources(selectors.covered_scopes(self.request.user, self.household))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.chronology_context(), tabs=[], nav_active="shared", shared=True)
        return context
