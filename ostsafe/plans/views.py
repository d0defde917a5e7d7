from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView
from weasyprint import HTML

from ostsafe.assessments.selectors import latest_completed
from ostsafe.audit.actions import AuditAction
from ostsafe.core import access
from ostsafe.core.access import Action
from ostsafe.core.validators import today
from ostsafe.core.views import HouseholdPageMixin, ServiceFormView
from ostsafe.families import selectors as families
from ostsafe.sharing import selectors as sharing_selectors
from ostsafe.storage import selectors as storage_selectors
from ostsafe.visits import selectors as visit_selectors

from . import family_copy, forms, selectors, services
from .models import AgreementStatus, Disagreement, GuidanceAgreement, PlanAction, PlanPolicy
from .uploads import EXTENSIONS, scan_content_type

MOVED_OFTEN = 2


class AgreementTabView(HouseholdPageMixin, TemplateView):
    tab = "agreement"
    template_name = "plans/agreement_tab.html"
    audit_action = AuditAction.AGREEMENT_VIEW

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            agreements=selectors.agreements_for_household(self.household),
            can_plan=access.can(self.request.user, Action.RECORD_PLAN, self.household),
            valid_days=PlanPolicy.current().agreement_valid_days,
            today=today(),
            nav_active="caseload",
        )
        return context


class AgreementMixin(HouseholdPageMixin):
    required_action = Action.RECORD_PLAN

    def get_agreement(self) -> GuidanceAgreement:
        return get_object_or_404(
            GuidanceAgreement.objects.select_related("template", "service_user"),
            household=self.household,
            pk=self.kwargs["pk"],
        )

    def get_success_url(self):
        return reverse("plans:agreement", args=[self.household.pk])


class DraftAgreementView(AgreementMixin, ServiceFormView):
    page_title = "Draft a guidance agreement"
    success_message = "Agreement drafted. Go through it with the service user and sign it together"

    def get_form(self, form_class=None):
        return forms.DraftAgreementForm(household=self.household, **self.get_form_kwargs())

    def perform(self, form):
        return services.draft_agreement(
            household=self.household, drafted_by=self.request.user, drafted_on=today(), **form.cleaned_data
        )

    def get_success_url(self):
        if hasattr(self, "result"):
            return reverse("plans:agreement_detail", args=[self.household.pk, self.result.pk])
        return super().get_success_url()


class AgreementDetailView(HouseholdPageMixin, TemplateView):
    tab = "agreement"
    template_name = "plans/agreement_detail.html"
    audit_action = AuditAction.AGREEMENT_VIEW

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        agreement = AgreementMixin.get_agreement(self)
        context.update(
            agreement=agreement,
            consents=sharing_selectors.agreement_consents().filter(service_user=agreement.service_user),
            can_plan=access.can(self.request.user, Action.RECORD_PLAN, self.household),
            can_consent=access.can(self.request.user, Action.RECORD_CONSENT, self.household),
            nav_active="caseload",
        )
        return context


class AgreementPdfView(HouseholdPageMixin, View):
    audit_action = AuditAction.AGREEMENT_PDF

    def get(self, request, household_id, pk):
        agreement = AgreementMixin.get_agreement(self)
        html = render_to_string(
            "plans/agreement_pdf.html",
            {"agreement": agreement, "organisation": self.household.team.organisation},
        )
        response = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="guidance-agreement-{agreement.pk}.pdf"'
        return response


class SharedAgreementPdfView(HouseholdPageMixin, View):
    """A signed agreement for a partner whose consent (or recorded decision) covers sharing it."""

    required_action = Action.VIEW_SHARED
    audit_action = AuditAction.AGREEMENT_PDF

    def get(self, request, household_id, pk):
        agreement = get_object_or_404(
            GuidanceAgreement.objects.select_related("service_user", "template"),
            household=self.household,
            pk=pk,
            status=AgreementStatus.SIGNED,
        )
        access.require(
            request,
            Action.VIEW_SHARED,
            self.household,
            check=lambda user: "agreement" in sharing_selectors.covered_scopes(user, self.household),
            audit_as=AuditAction.AGREEMENT_PDF,
            message="The guidance agreement has not been shared with you.",
        )
        html = render_to_string(
            "plans/agreement_pdf.html", {"agreement": agreement, "organisation": self.household.team.organisation}
        )
        response = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="guidance-agreement-{agreement.pk}.pdf"'
        return response


class AgreementScanView(HouseholdPageMixin, View):
    """The scan of a paper-signed agreement: never served from a public folder, only here, after the access check."""

    audit_action = AuditAction.AGREEMENT_SCAN

    def get(self, request, household_id, pk):
        agreement = AgreementMixin.get_agreement(self)
        if not agreement.scan:
            raise Http404("No scan")
        handle = agreement.scan.open("rb")
        kind = scan_content_type(handle.read(8)) or "application/octet-stream"
        handle.seek(0)
        # Downloaded, never rendered in the page's origin, whatever its bytes turn out to hold.
        return FileResponse(
            handle,
            content_type=kind,
            as_attachment=True,
            filename=f"agreement-{agreement.pk}-scan{EXTENSIONS.get(kind, '')}",
        )


class SignOnScreenView(AgreementMixin, ServiceFormView):
    template_name = "plans/sign.html"
    page_title = "Sign the agreement on screen"
    submit_label = "Sign"
    success_message = "Agreement signed. Next: ask about sharing it with the family's professionals"
    form_class = forms.SignOnScreenForm

    def get_form(self, form_class=None):
        self.agreement = self.get_agreement()
        return super().get_form(form_class)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["agreement"] = self.agreement
        return context

    def get_success_url(self):
        return reverse("plans:agreement_detail", args=[self.household.pk, self.agreement.pk])  # the next step is there

    def perform(self, form):
        return services.sign_agreement_on_screen(
            agreement=self.agreement, recorded_by=self.request.user, **form.cleaned_data
        )


class SignOnPaperView(AgreementMixin, ServiceFormView):
    template_name = "plans/upload.html"
    page_title = "Record the agreement as signed on paper"
    submit_label = "Upload and record"
    success_message = "Signed agreement uploaded. Next: ask about sharing it with the family's professionals"
    form_class = forms.SignOnPaperForm

    def get_form(self, form_class=None):
        self.agreement = self.get_agreement()
        return super().get_form(form_class)

    def get_success_url(self):
        return reverse("plans:agreement_detail", args=[self.household.pk, self.agreement.pk])  # the next step is there

    def perform(self, form):
        return services.sign_agreement_on_paper(
            agreement=self.agreement, recorded_by=self.request.user, **form.cleaned_data
        )


class NotForthcomingView(AgreementMixin, ServiceFormView):
    page_title = "Record that the agreement was not signed"
    submit_label = "Record"
    success_message = "Recorded. Your team manager has a task to consider a child protection referral"
    form_class = forms.NotForthcomingForm

    def get_form(self, form_class=None):
        self.agreement = self.get_agreement()
        return super().get_form(form_class)

    def perform(self, form):
        return services.record_agreement_not_forthcoming(
            agreement=self.agreement, recorded_by=self.request.user, on=today(), **form.cleaned_data
        )


class PlanTabView(HouseholdPageMixin, TemplateView):
    """The care plan: the latest assessment, storage checks, boxes, agreements, the safety plan and its reviews."""

    tab = "plan"

    template_name = "plans/plan_tab.html"
    audit_action = AuditAction.PLAN_VIEW

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        household = self.household
        context.update(
            plan=(plan := selectors.current_plan(household)),
            copies_out_of_date=family_copy.copies_out_of_date(plan) if plan else [],
            moved_often=MOVED_OFTEN,
            assessment=latest_completed(household),
            storage_checks=visit_selectors.recent_storage_checks(household, limit=5),
            boxes=storage_selectors.boxes_for_household(household),
            agreements=selectors.signed_agreements(household),
            meetings=selectors.meetings_for_household(household),
            can_plan=access.can(self.request.user, Action.RECORD_PLAN, household),
            today=today(),
            nav_active="caseload",
        )
        return context


class StartPlanView(AgreementMixin, ServiceFormView):
    page_title = "Start a safety plan"
    submit_label = "Start the plan"
    success_message = "Safety plan started. Add what is expected, why, who does it and by when"

    form_class = forms.StartPlanForm

    def perform(self, form):
        return services.start_safety_plan(household=self.household, created_by=self.request.user, created_on=today())

    def get_success_url(self):
        return reverse("plans:plan", args=[self.household.pk])


class PlanFormMixin(AgreementMixin):
    def get_plan(self):
        plan = selectors.current_plan(self.household)
        if plan is None:
            raise Http404("No safety plan")
        return plan

    def get_success_url(self):
        return reverse("plans:plan", args=[self.household.pk])


class AddActionView(PlanFormMixin, ServiceFormView):
    page_title = "Add an action to the safety plan"
    success_message = "Action added"
    form_class = forms.PlanActionForm

    def get_initial(self):
        return {"due_on": selectors.default_action_due_on(self.household, today())}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "owners": selectors.action_owners(self.household, self.request.user)}

    def perform(self, form):
        return services.add_plan_action(
            plan=self.get_plan(), added_by=self.request.user, as_of=today(), **form.cleaned_data
        )


class ChangeActionView(PlanFormMixin, ServiceFormView):
    page_title = "Change an action"
    success_message = "Change recorded with its reason"
    form_class = forms.ChangeActionForm

    def get_form(self, form_class=None):
        self.action = get_object_or_404(PlanAction, plan__household=self.household, pk=self.kwargs["pk"])
        return super().get_form(form_class)

    def get_initial(self):
        return {"expectation": self.action.expectation, "due_on": self.action.due_on}

    def perform(self, form):
        return services.change_plan_action(
            action=self.action, changed_by=self.request.user, on=today(), **form.cleaned_data
        )


class FamilyCopyMixin(PlanFormMixin):
    """The family's copy, for one adult (`?for=su:12`, as adults_living_with_child names them) or the family."""

    audit_action = AuditAction.PLAN_FAMILY_COPY_VIEW

    def copy(self):
        self.plan = self.get_plan()
        self.adults = families.adults_living_with_child(self.household)
        wanted = self.request.GET.get("for", "")
        self.adult_key = wanted if wanted in {a["key"] for a in self.adults} else ""
        return family_copy.copy_for(self.plan, adult_key=self.adult_key, as_of=today())


class FamilyCopyView(FamilyCopyMixin, ServiceFormView):
    """The copy as the family will read it, how easy it is to read, the PDF, and who it was given to."""

    template_name = "plans/family_copy.html"
    submit_label = "Record that you gave it"
    success_message = "Recorded who has the copy and when"

    def get_form(self, form_class=None):
        self.found = self.copy()
        self.page_title = f"The family's copy of the plan{f' for {self.found.for_name}' if self.found.for_name else ''}"
        return forms.CopyGivenForm(adults=self.adults, chosen=self.adult_key, **self.get_form_kwargs())

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {
            "copy": self.found,
            "check": family_copy.reading_check(self.found.text),
            "aim": family_copy.READING_AGE_AIM,
            "adults": self.adults,
            "adult_key": self.adult_key,
            "out_of_date": family_copy.copies_out_of_date(self.plan),
            "given": list(self.plan.family_copies.all()),
        }

    def perform(self, form):
        return services.record_copy_given(plan=self.plan, given_by=self.request.user, **form.cleaned_data)


class FamilyCopyPdfView(FamilyCopyMixin, View):
    def get(self, request, household_id):
        found = self.copy()
        html = render_to_string("plans/family_copy_pdf.html", {"copy": found, "household": self.household})
        response = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="our-safety-plan-{self.plan.pk}.pdf"'
        return response


class AddStrengthView(PlanFormMixin, ServiceFormView):
    page_title = "Something the family is doing well"
    submit_label = "Add to the plan"
    success_message = "Added to the plan: say it back to the family"
    form_class = forms.StrengthForm

    def perform(self, form):
        return services.record_strength(plan=self.get_plan(), recorded_by=self.request.user, **form.cleaned_data)


class RecordDisagreementView(PlanFormMixin, ServiceFormView):
    page_title = "Record a disagreement with the family"
    submit_label = "Record it"
    success_message = "Recorded: it stays open on the plan and comes up at the next review until it is settled"

    def get_form(self, form_class=None):
        self.plan = self.get_plan()
        adults = [adult["name"] for adult in selectors.adults_living_with_child(self.household)]
        return forms.DisagreementForm(adults=adults, **self.get_form_kwargs())

    def perform(self, form):
        return services.record_disagreement(plan=self.plan, raised_by=self.request.user, **form.cleaned_data)


class SettleDisagreementView(PlanFormMixin, ServiceFormView):
    template_name = "plans/settle_disagreement.html"
    page_title = "Settle a disagreement"
    submit_label = "Save"
    success_message = "Recorded how it was settled"

    def get_form(self, form_class=None):
        self.disagreement = get_object_or_404(
            Disagreement.objects.select_related("plan"), plan__household=self.household, pk=self.kwargs["pk"]
        )
        return forms.SettleDisagreementForm(**self.get_form_kwargs())

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"disagreement": self.disagreement}

    def perform(self, form):
        return services.settle_disagreement(
            disagreement=self.disagreement, resolved_by=self.request.user, **form.cleaned_data
        )


class ReviewPlanView(PlanFormMixin, ServiceFormView):
    template_name = "plans/review.html"
    page_title = "Review the safety plan"
    submit_label = "Save review"
    success_message = "Review recorded. Record the family's views at it beside yours"

    def get_form(self, form_class=None):
        self.plan = self.get_plan()
        actions = [a for a in self.plan.actions.all() if a.status == "open"]
        return forms.ReviewForm(actions=actions, **self.get_form_kwargs())

    def get_context_data(self, **kwargs):
        # Guide, "Joint working": open disagreements are put to the review, beside what the family is doing well.
        return super().get_context_data(**kwargs) | {
            "open_disagreements": [d for d in self.plan.disagreements.all() if d.is_open],
            "strengths": list(self.plan.strengths.all()),
        }

    def perform(self, form):
        return services.review_plan(
            plan=self.plan,
            reviewed_by=self.request.user,
            reviewed_on=form.cleaned_data["reviewed_on"],
            understood_and_agreed=form.cleaned_data["understood_and_agreed"],
            notes=form.cleaned_data["notes"],
            progress=form.progress(),
            noticed=form.cleaned_data["noticed"],
        )


class MeetingView(PlanFormMixin, ServiceFormView):
    template_name = "plans/meeting.html"
    page_title = "Record a meeting about the children's welfare"
    success_message = "Meeting recorded"

    def get_form(self, form_class=None):
        self.adults = selectors.adults_living_with_child(self.household)
        return forms.MeetingForm(adults=self.adults, **self.get_form_kwargs())

    def perform(self, form):
        meeting = services.record_meeting(
            household=self.household,
            recorded_by=self.request.user,
            adults=form.adult_rows(),
            kind=form.cleaned_data["kind"],
            held_on=form.cleaned_data["held_on"],
            actions_agreed=form.cleaned_data["actions_agreed"],
        )
        not_invited = [a.name for a in meeting.adults.all() if not a.invited]
        if not_invited:
            messages.warning(
                self.request,
                f"Not invited: {', '.join(not_invited)}. The guide asks that every adult "
                "living with the child is invited.",
            )
        return meeting
