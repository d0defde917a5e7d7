"""Managers' pages: the guide-compliance dashboard and its drill-down to the families that miss a measure."""

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html_join
from django.views import View
from django.views.generic import TemplateView
from weasyprint import HTML

from ostsafe.audit.actions import AuditAction
from ostsafe.audit.services import record_access, record_list_access
from ostsafe.core import access
from ostsafe.core.access import Action
from ostsafe.core.converters import parse_id
from ostsafe.core.periods import month_end
from ostsafe.core.spreadsheets import csv_response
from ostsafe.core.validators import today
from ostsafe.core.views import ActionRequiredMixin, HouseholdPageMixin, ServiceFormView

from . import reports, selectors, services
from .charts import SPARK_HEIGHT, SPARK_WIDTH, sparkline
from .forms import DashboardFilterForm, QuarterForm, SupervisionForm, TrainingForm
from .measures import MEASURES_BY_KEY
from .models import REQUIRED_TRAINING, TrainingKind

REQUIRED_TRAINING_CHOICES = [(k, TrainingKind(k).label) for k in REQUIRED_TRAINING]


def _without(query, name: str) -> str:
    query = query.copy()
    query.pop(name, None)
    return query.urlencode()


class _DashboardMixin(ActionRequiredMixin):
    required_action = Action.VIEW_OVERSIGHT

    def scope(self):
        self.as_of = today()
        self.form = DashboardFilterForm(
            self.request.GET or None, user=self.request.user, months=selectors.kept_months(self.as_of)
        )
        return selectors.families_in_scope(self.request.user, self.as_of, **self.form.chosen())


_BY_TEAM_CELL = '<td class="govuk-table__cell govuk-table__cell--numeric">{} of {}</td>'


def by_team_table(results, by_team) -> dict:
    """The figures by team as plain values (each practice's cells as markup made from its numbers), for `{% row %}`
    to draw once and keep until one of them changes: the table is as wide as the service has teams, and a region's 25
    drew in half the page's time."""
    return {
        "teams": tuple(name for name, _ in by_team),
        # Each practice's cells made here, not by the template's loop: 25 teams are 275 cells, 5 ms through the
        # template language and under 1 ms here, on every dashboard after a change.
        "rows": tuple(
            (
                r.measure.label,
                format_html_join("", _BY_TEAM_CELL, ((team[i].met, team[i].of) for _, team in by_team)),
            )
            for i, r in enumerate(results)
        ),
    }


class DashboardView(_DashboardMixin, TemplateView):
    """For the families with children in reach: the share that meet each practice the guide asks for, overall and
    by team, each with a link to the families that miss it. Aggregates only: no family is shown here."""

    audit_action = AuditAction.MANAGEMENT_DASHBOARD
    template_name = "management/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        households = self.scope()
        period = self.form.chosen_month()
        months = selectors.kept_months(month_end(period) if period else self.as_of)
        trends = selectors.trend(self.request.user, months, **self.form.chosen())
        labels = [f"{m:%b %Y}" for m in months]
        if period:
            # A past month: its figures as kept at its end. Which families missed a practice then is not kept, so
            # there is no list to open (today's lists are one choice away).
            results = [t.months[-1] or selectors.Result(t.measure, 0, 0) for t in trends]
            by_team = []
        else:
            scope = (access.reported_reach(self.request.user), tuple(sorted(self.form.chosen().items())))
            by_team = selectors.kept_compliance_by_team(households, self.as_of, scope=scope)
            results = selectors.overall(by_team)
        context.update(
            form=self.form,
            period=period,
            results=results,
            chart_height=len(results) * 34,
            by_team_table=by_team_table(results, by_team),
            months=months,
            trends=[(t, sparkline(t, labels)) for t in trends],
            spark=(SPARK_WIDTH, SPARK_HEIGHT),
            query=self.request.GET.urlencode(),
            today_query=_without(self.request.GET, "period"),
            may_export=access.has_action(self.request.user, Action.EXPORT_RECORDS),
            as_of=self.as_of,
            nav_active="dashboard",
        )
        return context


class MissingCsvView(_DashboardMixin, View):
    """The same list as a spreadsheet, for supervision notes (audited as one list)."""

    audit_action = AuditAction.MANAGEMENT_MISSING

    def get(self, request, measure):
        measure = MEASURES_BY_KEY.get(measure)
        if measure is None:
            raise Http404("No such measure")
        rows = list(selectors.families_missing(self.scope(), measure, self.as_of))
        record_list_access(
            request=request, user=request.user, action=self.audit_action, household_ids=[h.pk for h in rows]
        )
        return csv_response(
            f"families-missing-{measure.key.replace('_', '-')}-{self.as_of:%Y-%m-%d}.csv",
            ["Family", "Household number", "Team", "In treatment", "Keyworker"],
            (
                [
                    h.name,
                    h.pk,
                    h.team.name,
                    "; ".join(su.full_name for su in h.service_users.all() if not su.discharged_on),
                    "; ".join(
                        dict.fromkeys(
                            su.keyworker.full_name
                            for su in h.service_users.all()
                            if not su.discharged_on and su.keyworker
                        )
                    ),
                ]
                for h in rows
            ),
        )


class MissingView(_DashboardMixin, TemplateView):
    """The families that miss one measure: the list a manager takes into supervision."""

    audit_action = AuditAction.MANAGEMENT_MISSING
    template_name = "management/missing.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        measure = MEASURES_BY_KEY.get(self.kwargs["measure"])
        if measure is None:
            raise Http404("No such measure")
        rows = list(selectors.families_missing(self.scope(), measure, self.as_of))
        record_list_access(
            request=self.request, user=self.request.user, action=self.audit_action, household_ids=[h.pk for h in rows]
        )
        context.update(
            measure=measure,
            rows=rows,
            form=self.form,
            query=self.request.GET.urlencode(),
            nav_active="dashboard",
        )
        return context


class _ReportMixin(ActionRequiredMixin):
    """The commissioner's report: counts for each treatment service the user may see reported on, small numbers
    hidden (management.disclosure). Never a family, never a person."""

    required_action = Action.VIEW_REPORTS

    def report(self):
        self.as_of = today()
        self.form = QuarterForm(self.request.GET or None, quarters=reports.recent_quarters(self.as_of))
        report = reports.commissioner_report(self.request.user, self.form.chosen(), self.as_of)
        record_access(
            request=self.request,
            user=self.request.user,
            action=self.audit_action,
            household_id=None,
            allowed=True,
            detail=f"{report.quarter.label}: {', '.join(s.name for s in report.services)}",
        )
        return report


class ReportView(_ReportMixin, TemplateView):
    audit_action = AuditAction.MANAGEMENT_REPORT
    template_name = "management/report.html"

    def get_context_data(self, **kwargs):
        report = self.report()
        query = f"quarter={report.quarter.key}"
        charts = reports.chart_rows(report)
        return super().get_context_data(**kwargs) | {
            "report": report,
            "charts": charts,
            "chart_height": len(charts) * 34,
            "form": self.form,
            "csv_url": f"{reverse('management:report_csv')}?{query}",
            "pdf_url": f"{reverse('management:report_pdf')}?{query}",
            "nav_active": "report",
        }


class ReportCsvView(_ReportMixin, View):
    audit_action = AuditAction.MANAGEMENT_REPORT_DOWNLOAD

    def get(self, request):
        report = self.report()
        return csv_response(
            f"ost-safe-report-{report.quarter.key}.csv",
            ["Table", "Service", "Column", "Count"],
            reports.csv_rows(report),
        )


class ReportPdfView(_ReportMixin, View):
    audit_action = AuditAction.MANAGEMENT_REPORT_DOWNLOAD

    def get(self, request):
        report = self.report()
        charts = reports.chart_rows(report)
        html = render_to_string(
            "management/report_pdf.html",
            {"report": report, "charts": charts, "chart_height": len(charts) * 34},
            request=request,
        )
        response = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="ost-safe-report-{report.quarter.key}.pdf"'
        return response


# Supervision and training ---------------------------------------------------------------------------------------------

SUPERVISION_PAGE_SIZE = 25


class SupervisionTabView(HouseholdPageMixin, TemplateView):
    """A family's case supervisions, newest first, with the guide's prompts as they were answered."""

    tab = "supervision"
    audit_action = AuditAction.SUPERVISION_VIEW
    template_name = "management/supervision_tab.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {
            "supervisions": selectors.supervisions_for_household(self.household),
            "can_record": access.can(self.request.user, Action.RECORD_SUPERVISION, self.household),
            "today": today(),
        }


class RecordSupervisionView(HouseholdPageMixin, ServiceFormView):
    required_action = Action.RECORD_SUPERVISION
    audit_action = AuditAction.SUPERVISION_RECORD
    page_title = "Record a case supervision"
    submit_label = "Save the supervision"
    success_message = "Case supervision recorded"

    def get_form(self, form_class=None):
        return SupervisionForm(household=self.household, **self.get_form_kwargs())

    def perform(self, form):
        return services.record_supervision(
            household=self.household,
            supervisor=self.request.user,
            actions=form.actions(),
            **form.supervision_fields(),
        )

    def get_success_url(self):
        return reverse("management:supervision", args=[self.household.pk])


class SupervisionDueView(ActionRequiredMixin, TemplateView):
    """The families with children due for case supervision, highest risk first, then the soonest due."""

    required_action = Action.RECORD_SUPERVISION
    audit_action = AuditAction.SUPERVISION_DUE
    template_name = "management/supervision_due.html"

    def get_context_data(self, **kwargs):
        as_of = today()
        form = DashboardFilterForm(self.request.GET or None, user=self.request.user, months=[as_of])
        rows = selectors.supervision_due(self.request.user, as_of, **form.chosen())
        page = Paginator(rows, SUPERVISION_PAGE_SIZE).get_page(self.request.GET.get("page"))
        record_list_access(
            request=self.request,
            user=self.request.user,
            action=self.audit_action,
            household_ids=[h.pk for h in page],
        )
        return super().get_context_data(**kwargs) | {
            "page": page,
            "form": form,
            "today": as_of,
            "nav_active": "supervision",
        }


class TrainingView(ActionRequiredMixin, TemplateView):
    """The service's practitioners: the training the guide makes core (current, due or overdue), other training,
    and open training needs."""

    required_action = Action.RECORD_TRAINING
    audit_action = AuditAction.TRAINING_VIEW
    template_name = "management/training.html"

    def get_context_data(self, **kwargs):
        as_of = today()
        people = selectors.team_training(self.request.user, as_of)
        record_access(
            request=self.request, user=self.request.user, action=self.audit_action, household_id=None, allowed=True
        )
        return super().get_context_data(**kwargs) | {
            "people": people,
            "required": [label for _, label in REQUIRED_TRAINING_CHOICES],
            "today": as_of,
            "nav_active": "supervision",
        }


class ServicesInUseView(ActionRequiredMixin, TemplateView):
    """Which local services the manager's families work with, and which they never contact (guide, "Managing
    practice": identify all relevant operational services)."""

    required_action = Action.VIEW_OVERSIGHT
    audit_action = AuditAction.SERVICES_USED_VIEW
    template_name = "management/services_in_use.html"

    def get_context_data(self, **kwargs):
        rows = selectors.services_in_use(self.request.user, today())
        record_access(
            request=self.request, user=self.request.user, action=self.audit_action, household_id=None, allowed=True
        )
        return super().get_context_data(**kwargs) | {
            "used": [row for row in rows if row.contacted],
            "never": [row for row in rows if not row.contacted],
            "nav_active": "dashboard",
        }


class RecordTrainingView(ActionRequiredMixin, ServiceFormView):
    required_action = Action.RECORD_TRAINING
    audit_action = AuditAction.TRAINING_RECORD
    page_title = "Record training"
    success_message = "Training recorded"

    def get_form(self, form_class=None):
        return TrainingForm(user=self.request.user, **self.get_form_kwargs())

    def get_initial(self):
        # "Record training" next to a person on the team page chooses them already.
        person = parse_id(self.request.GET.get("person"))
        return {"person": person} if person else {}

    def perform(self, form):
        data = dict(form.cleaned_data)
        return services.record_training(recorded_by=self.request.user, **data)

    def get_success_url(self):
        return reverse("management:training")

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"nav_active": "supervision"}
