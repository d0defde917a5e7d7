"""Exports: the NDTMS-style monthly extract, checked before it is sent."""

from datetime import date

from django import forms
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from ostsafe.audit.actions import AuditAction
from ostsafe.audit.services import record_list_access
from ostsafe.core.access import Action
from ostsafe.core.periods import month_end, months_before
from ostsafe.core.spreadsheets import csv_response
from ostsafe.core.validators import today
from ostsafe.core.views import ActionRequiredMixin
from ostsafe.families import selectors as families

from . import ndtms


class MonthForm(forms.Form):
    month = forms.ChoiceField(label="Month", required=False)

    def __init__(self, *args, months, **kwargs):
        super().__init__(*args, **kwargs)
        self.months = {f"{m:%Y-%m}": m for m in months}
        self.fields["month"].choices = [(k, f"{m:%B %Y}") for k, m in self.months.items()]

    def chosen(self) -> date:
        data = self.cleaned_data if self.is_valid() else {}
        return self.months.get(data.get("month") or "", next(iter(self.months.values())))


class _NdtmsMixin(ActionRequiredMixin):
    required_action = Action.EXPORT_RECORDS

    def rows(self):
        self.form = MonthForm(self.request.GET or None, months=months_before(today(), 12))
        self.month = self.form.chosen()
        end = month_end(self.month)
        rows = ndtms.extract(families.episodes_in(self.request.user, self.month, end), end)
        record_list_access(
            request=self.request,
            user=self.request.user,
            action=self.audit_action,
            household_ids=[r.service_user.household_id for r in rows],
        )
        return rows


class NdtmsView(_NdtmsMixin, TemplateView):
    """The month's extract, checked: how many episodes, and every one that would be rejected with what to fix."""

    audit_action = AuditAction.NDTMS_EXTRACT
    template_name = "interop/ndtms.html"

    def get_context_data(self, **kwargs):
        rows = self.rows()
        return super().get_context_data(**kwargs) | {
            "form": self.form,
            "month": self.month,
            "rows": rows,
            "rejected": [r for r in rows if r.rejections],
            "consented": sum(1 for r in rows if r.values["CONSENT"] == "Y"),
            "csv_url": f"{reverse('interop:ndtms_csv')}?month={self.month:%Y-%m}",
            "nav_active": "dashboard",
        }


class NdtmsCsvView(_NdtmsMixin, View):
    audit_action = AuditAction.NDTMS_DOWNLOAD

    def get(self, request):
        rows = self.rows()
        return csv_response(f"ndtms-parental-{self.month:%Y-%m}.csv", ndtms.COLUMNS, (r.cells() for r in rows))
