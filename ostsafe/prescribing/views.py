from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.generic import TemplateView

from ostsafe.audit.actions import AuditAction
from ostsafe.audit.services import record_list_access
from ostsafe.core.access import Action
from ostsafe.core.converters import parse_id
from ostsafe.core.validators import today
from ostsafe.core.views import ActionRequiredMixin, HouseholdPageMixin, ServiceFormView
from ostsafe.families.models import ServiceUser

from . import forms, selectors, services, take_home
from .models import Drug, Prescription


class PrescriptionFormView(HouseholdPageMixin, ServiceFormView):
    required_action = Action.EDIT_PRESCRIPTION

    def build_form(self, service_user, instance=None):
        return forms.PrescriptionForm(
            instance=instance,
            service_user=service_user,
            organisation_id=self.household.team.organisation_id,
            **self.get_form_kwargs(),
        )

    template_name = "prescribing/prescription_form.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        as_of = today()
        involved = take_home.children_involved(self.service_user, as_of)
        context.update(
            caption=f"{self.service_user.full_name}, {self.household.name}",
            children_involved=involved,
            checks=take_home.evaluate(service_user=self.service_user, as_of=as_of) if involved else [],
            drug_risk=[(Drug(drug).label, level, why) for drug, level, why in take_home.DRUG_RISK_TO_CHILDREN],
        )
        return context

    def get_success_url(self):
        return self.household_url()


class PrescriptionAddView(PrescriptionFormView):
    page_title = "Add a prescription"
    success_message = "Prescription recorded"

    def get_form(self, form_class=None):
        self.service_user = get_object_or_404(ServiceUser, household=self.household, pk=self.kwargs["service_user_id"])
        return self.build_form(self.service_user)

    def perform(self, form):
        return services.record_prescription(
            service_user=self.service_user, recorded_by=self.request.user, **form.cleaned_data
        )


class PrescriptionEditView(PrescriptionFormView):
    page_title = "Change a prescription"
    success_message = "Prescription changed"

    def get_form(self, form_class=None):
        self.object = get_object_or_404(
            Prescription.objects.select_related("service_user"),
            service_user__household=self.household,
            pk=self.kwargs["pk"],
        )
        self.service_user = self.object.service_user
        return self.build_form(self.service_user, instance=self.object)

    def perform(self, form):
        return services.change_prescription(prescription=self.object, changed_by=self.request.user, **form.cleaned_data)


class TakeHomeOverridesView(ActionRequiredMixin, TemplateView):
    """Managers: take-home doses allowed although a safeguarding check was not met, with the prescriber's reason, and
    current take-home doses whose checks are not met today (lapsed since the decision), each with a "reviewed"
    action."""

    required_action = Action.VIEW_OVERSIGHT
    audit_action = AuditAction.PRESCRIBING_OVERRIDES
    template_name = "prescribing/overrides.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        decisions = list(selectors.take_home_overrides(self.request.user))
        unmet = selectors.take_home_unmet(self.request.user, today())
        record_list_access(
            request=self.request,
            user=self.request.user,
            action=self.audit_action,
            household_ids=[d.prescription.service_user.household_id for d in decisions]
            + [row.service_user.household_id for row in unmet],
        )
        context.update(decisions=decisions, unmet=unmet, nav_active="overrides")
        return context


class TakeHomeReviewView(HouseholdPageMixin, ServiceFormView):
    """A manager records that they have reviewed take-home doses whose checks are not met (an override, with
    `?decision=`, or the checks as they are today)."""

    required_action = Action.VIEW_OVERSIGHT
    audit_action = AuditAction.PRESCRIBING_TAKE_HOME_REVIEWED
    form_class = forms.TakeHomeReviewForm
    template_name = "prescribing/take_home_review.html"
    page_title = "Review take-home doses"
    submit_label = "Save review"
    success_message = "Review recorded"

    def get_form(self, form_class=None):
        self.object = get_object_or_404(
            Prescription.objects.select_related("service_user__household", "prescriber"),
            service_user__household=self.household,
            pk=self.kwargs["pk"],
        )
        decision_id = parse_id(self.request.GET.get("decision"))
        self.decision = None
        if "decision" in self.request.GET:
            self.decision = get_object_or_404(self.object.take_home_decisions, pk=decision_id, all_checks_met=False)
        return super().get_form(form_class)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        as_of = today()
        status = selectors.take_home_status([self.object.service_user], as_of).get(self.object.service_user_id, [])
        context.update(
            caption=f"{self.object.service_user.full_name}, {self.household.name}",
            prescription=self.object,
            decision=self.decision,
            unmet=[c for row in status if row.prescription.pk == self.object.pk for c in row.unmet],
            nav_active="overrides",
        )
        return context

    def perform(self, form):
        return services.review_take_home(
            prescription=self.object,
            decision=self.decision,
            note=form.cleaned_data["note"],
            reviewed_by=self.request.user,
        )

    def get_success_url(self):
        return reverse("prescribing:overrides")


class PrescribingTodayView(ActionRequiredMixin, TemplateView):
    """The prescriber's landing page: the take-home reviews and missed-dose reviews waiting for them, and their
    take-home prescriptions whose safeguarding checks are not met today (their team's, if they choose)."""

    required_action = Action.EDIT_PRESCRIPTION
    audit_action = AuditAction.PRESCRIBING_TODAY
    template_name = "prescribing/today.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        as_of = today()
        everyone = self.request.GET.get("scope") == "team"
        reviews = selectors.prescribing_tasks(user)
        unmet = selectors.take_home_unmet(user, as_of, prescriber=None if everyone else user)
        record_list_access(
            request=self.request,
            user=user,
            action=self.audit_action,
            household_ids=[t.household_id for t in reviews] + [row.service_user.household_id for row in unmet],
        )
        context.update(
            take_home_reviews=[t for t in reviews if t.rule == services.TAKE_HOME_REVIEW_RULE],
            missed_dose_reviews=[t for t in reviews if t.rule == selectors.MISSED_DOSES_RULE],
            unmet=unmet,
            everyone=everyone,
            as_of=as_of,
            nav_active="prescribing",
        )
        return context
