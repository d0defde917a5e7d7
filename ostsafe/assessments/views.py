from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView

from ostsafe.audit.actions import AuditAction
from ostsafe.core import access
from ostsafe.core.access import Action
from ostsafe.core.converters import parse_id
from ostsafe.core.validators import today
from ostsafe.core.views import HouseholdPageMixin, ServiceFormView
from ostsafe.families import selectors as families

from . import forms, selectors, services
from .models import Assessment, FamilyView, Occasion, PreBirthRequest, Section


class AssessmentTabView(HouseholdPageMixin, TemplateView):
    tab = "assessment"
    template_name = "assessments/tab.html"
    audit_action = AuditAction.ASSESSMENT_VIEW

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        assessments = list(selectors.assessments_for_household(self.household))
        completed = [a for a in assessments if a.is_completed]
        context.update(
            assessments=assessments,
            latest=completed[0] if completed else None,
            draft=next((a for a in assessments if not a.is_completed), None),
            pre_birth_requests=selectors.pre_birth_requests(self.household),
            policies=selectors.risk_level_policies(),
            can_assess=access.can(self.request.user, Action.RECORD_ASSESSMENT, self.household),
            today=today(),
            nav_active="caseload",
        )
        return context


class StartAssessmentView(HouseholdPageMixin, ServiceFormView):
    required_action = Action.RECORD_ASSESSMENT
    page_title = "Start a whole-family risk assessment"
    submit_label = "Start"

    def get_form(self, form_class=None):
        return forms.StartAssessmentForm(household=self.household, **self.get_form_kwargs())

    def perform(self, form):
        return services.start_assessment(
            household=self.household, service_user=form.cleaned_data["service_user"], started_by=self.request.user
        )

    def get_success_url(self):
        if hasattr(self, "result"):
            return reverse("assessments:answer", args=[self.household.pk, self.result.pk])
        return reverse("assessments:tab", args=[self.household.pk])


class AssessmentMixin(HouseholdPageMixin):
    def get_assessment(self) -> Assessment:
        return get_object_or_404(
            Assessment.objects.select_related("question_set", "service_user"),
            household=self.household,
            pk=self.kwargs["pk"],
        )


class AssessmentTaskListView(AssessmentMixin, TemplateView):
    """The assessment as a GOV.UK task list: each section with its status, each answered on its own page, then the
    risk level once every required question is answered."""

    required_action = Action.RECORD_ASSESSMENT
    template_name = "assessments/task_list.html"

    def get(self, request, *args, **kwargs):
        assessment = self.get_assessment()
        if assessment.is_completed:
            return redirect("assessments:detail", self.household.pk, assessment.pk)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        assessment = self.get_assessment()
        sections = selectors.section_progress(assessment)
        context.update(
            assessment=assessment,
            sections=sections,
            unanswered=sum(s.required - s.required_answered for s in sections),
            answered=sum(s.answered for s in sections),
            total=sum(s.total for s in sections),
            nav_active="caseload",
        )
        return context


class AnswerSectionView(AssessmentMixin, ServiceFormView):
    """One section of the assessment on its own page, with what the record holds beside its questions."""

    required_action = Action.RECORD_ASSESSMENT
    template_name = "assessments/section.html"
    submit_label = "Save and continue"

    def get_form(self, form_class=None):
        self.assessment = self.get_assessment()
        self.section = self.kwargs["section"]
        questions = [q for q in self.assessment.question_set.questions.all() if q.section == self.section]
        if not questions:
            raise Http404("No such section")
        self.page_title = Section(self.section).label
        kwargs = self.get_form_kwargs()
        if self.request.method == "GET":
            kwargs["initial"] = services.prefilled_answers(self.assessment)
        as_of = today()
        evidence = {
            key: (item.text, reverse(item.url_name, args=[self.household.pk]))
            for key, item in selectors.record_evidence(self.household, as_of).items()
        }
        return forms.AnswersForm(
            questions=questions, facts=selectors.record_facts(self.household, as_of), evidence=evidence, **kwargs
        )

    def get(self, request, *args, **kwargs):
        if self.get_assessment().is_completed:
            return redirect("assessments:detail", self.household.pk, self.kwargs["pk"])
        return super().get(request, *args, **kwargs)

    def perform(self, form):
        return services.save_answers(
            assessment=self.assessment, answers=form.answers(), reasons=form.reasons(), saved_by=self.request.user
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(assessment=self.assessment, nav_active="caseload")
        return context

    def get_cancel_url(self):
        return reverse("assessments:answer", args=[self.household.pk, self.kwargs["pk"]])

    def get_success_url(self):
        messages.success(self.request, f"Answers saved: {Section(self.section).label.lower()}")
        following = [
            s for s in selectors.section_progress(self.assessment) if s.status != "Completed" and s.key != self.section
        ]
        if following:
            return reverse("assessments:section", args=[self.household.pk, self.kwargs["pk"], following[0].key])
        return reverse("assessments:answer", args=[self.household.pk, self.kwargs["pk"]])


class AnswerAssessmentView(AssessmentMixin, ServiceFormView):
    required_action = Action.RECORD_ASSESSMENT
    template_name = "assessments/answer.html"
    page_title = "Whole-family risk assessment"

    def get_form(self, form_class=None):
        self.assessment = self.get_assessment()
        kwargs = self.get_form_kwargs()
        if self.request.method == "GET":
            kwargs["initial"] = services.prefilled_answers(self.assessment)
        return forms.AnswersForm(
            questions=self.assessment.question_set.questions.all(),
            facts=selectors.record_facts(self.household, today()),
            **kwargs,
        )

    def get(self, request, *args, **kwargs):
        assessment = self.get_assessment()
        if assessment.is_completed:
            return redirect("assessments:detail", self.household.pk, assessment.pk)
        return super().get(request, *args, **kwargs)

    def perform(self, form):
        return services.save_answers(
            assessment=self.assessment, answers=form.answers(), reasons=form.reasons(), saved_by=self.request.user
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["assessment"] = self.assessment
        return context

    def get_success_url(self):
        if self.request.POST.get("continue"):
            return reverse("assessments:decide", args=[self.household.pk, self.kwargs["pk"]])
        messages.success(self.request, "Answers saved. You can come back to them later")
        return reverse("assessments:tab", args=[self.household.pk])


class DecideLevelView(AssessmentMixin, ServiceFormView):
    required_action = Action.RECORD_ASSESSMENT
    template_name = "assessments/decide.html"
    page_title = "Decide the risk level"
    submit_label = "Complete assessment"
    form_class = forms.DecideLevelForm

    def get_form(self, form_class=None):
        self.assessment = self.get_assessment()
        return super().get_form(form_class)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        suggested, reasons = services.suggestion_for(self.assessment)
        context.update(
            assessment=self.assessment,
            suggested=suggested,
            reasons=reasons,
            unanswered=services.unanswered_count(self.assessment),
        )
        return context

    def perform(self, form):
        assessment = services.complete_assessment(
            assessment=self.assessment, completed_by=self.request.user, completed_on=today(), **form.cleaned_data
        )
        # What the level decided changes from now on, said once, where the practitioner lands.
        messages.success(
            self.request,
            f"Assessment completed: risk {assessment.get_practitioner_level_display().lower()}. From now on, a home "
            f"visit every {assessment.home_visit_every_days} days and the next review by "
            f"{assessment.next_review_on:%-d %B %Y}. Any take-home doses go to their prescriber to review.",
        )
        return assessment

    def get_success_url(self):
        return reverse("assessments:detail", args=[self.household.pk, self.kwargs["pk"]])


class AssessmentDetailView(AssessmentMixin, TemplateView):
    tab = "assessment"
    template_name = "assessments/detail.html"
    audit_action = AuditAction.ASSESSMENT_VIEW

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        assessments = list(selectors.assessments_for_household(self.household))
        assessment = next((a for a in assessments if a.pk == self.kwargs["pk"]), None)
        if assessment is None:
            assessment = self.get_assessment()
        older = [
            a
            for a in assessments
            if a.is_completed
            and a.pk != assessment.pk
            and (a.completed_on or today()) <= (assessment.completed_on or today())
        ]
        previous = older[0] if older else None
        context.update(
            assessment=assessment,
            previous=previous,
            rows=selectors.side_by_side(assessment, previous),
            family_views=list(assessment.family_views.all()),
            can_record=access.can(self.request.user, Action.RECORD_ASSESSMENT, self.household),
            nav_active="caseload",
        )
        return context


class PreBirthRequestView(HouseholdPageMixin, ServiceFormView):
    required_action = Action.RECORD_ASSESSMENT
    page_title = "Record a request for a pre-birth assessment"
    success_message = "Pre-birth assessment request recorded"

    def get_form(self, form_class=None):
        return forms.PreBirthRequestForm(household=self.household, **self.get_form_kwargs())

    def perform(self, form):
        return services.record_pre_birth_request(
            household=self.household, requested_by=self.request.user, **form.cleaned_data
        )

    def get_success_url(self):
        return reverse("assessments:tab", args=[self.household.pk])


class PreBirthOutcomeView(HouseholdPageMixin, ServiceFormView):
    required_action = Action.RECORD_ASSESSMENT
    page_title = "Record the outcome of a pre-birth assessment request"
    success_message = "Outcome recorded"
    form_class = forms.PreBirthOutcomeForm

    def get_form(self, form_class=None):
        self.request_record = get_object_or_404(PreBirthRequest, household=self.household, pk=self.kwargs["pk"])
        return super().get_form(form_class)

    def perform(self, form):
        return services.record_pre_birth_outcome(
            request=self.request_record, recorded_by=self.request.user, **form.cleaned_data
        )

    def get_success_url(self):
        return reverse("assessments:tab", args=[self.household.pk])


class RecordFamilyViewView(HouseholdPageMixin, ServiceFormView):
    """The views of an adult living with the child: at an assessment (`?assessment=`), a review of the plan
    (`?review=`), or a meeting or visit. An assessment or review of another family is not found."""

    required_action = Action.RECORD_ASSESSMENT
    audit_action = AuditAction.FAMILY_VIEW_RECORD
    submit_label = "Save their views"
    success_message = "Their views are saved beside yours"

    def dispatch(self, request, *args, **kwargs):
        self.assessment = self.review = None
        return super().dispatch(request, *args, **kwargs)

    def occasion_records(self):
        """The assessment or review named in the query string, of this family only."""
        params = self.request.GET
        if "assessment" in params:
            pk = parse_id(params["assessment"])
            self.assessment = get_object_or_404(Assessment, household=self.household, pk=pk or 0)
        elif "review" in params:
            pk = parse_id(params["review"])
            reviews = FamilyView._meta.get_field("review").related_model.objects
            self.review = get_object_or_404(reviews.select_related("plan"), plan__household=self.household, pk=pk or 0)

    def get_form(self, form_class=None):
        self.occasion_records()
        known = self.assessment is not None or self.review is not None
        if self.assessment is not None:
            when = self.assessment.completed_on or timezone.localdate(self.assessment.started_at)
            self.page_title = f"The family's views at the assessment of {when:%-d %B %Y}"
        elif self.review is not None:
            self.page_title = f"The family's views at the review of {self.review.reviewed_on:%-d %B %Y}"
        else:
            self.page_title = "Record the family's views"
        return forms.FamilyViewForm(
            adults=families.adults_living_with_child(self.household), occasion_known=known, **self.get_form_kwargs()
        )

    def perform(self, form):
        data = dict(form.cleaned_data)
        if self.assessment is not None:
            data["occasion"] = Occasion.ASSESSMENT
        elif self.review is not None:
            data["occasion"] = Occasion.REVIEW
        return services.record_family_view(
            household=self.household,
            recorded_by=self.request.user,
            assessment=self.assessment,
            review=self.review,
            **data,
        )

    def get_success_url(self):
        if self.assessment is not None:
            return reverse("assessments:detail", args=[self.household.pk, self.assessment.pk])
        if self.review is not None:
            return reverse("plans:plan", args=[self.household.pk])
        return reverse("assessments:tab", args=[self.household.pk])
