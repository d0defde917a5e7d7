"""The directory of local services: everyone reads it; managers and administrators keep it."""

from django.http import Http404
from django.urls import reverse
from django.views.generic import TemplateView

from ostsafe.core import access
from ostsafe.core.roles import Action
from ostsafe.core.views import ActionRequiredMixin, ServiceFormView

from . import selectors, services
from .forms import DirectoryFilterForm, LocalServiceForm, RetireForm
from .models import LocalService


class DirectoryView(ActionRequiredMixin, TemplateView):
    required_action = Action.VIEW_DIRECTORY
    template_name = "directory/directory.html"

    def get_context_data(self, **kwargs):
        form = DirectoryFilterForm(self.request.GET or None)
        filters = form.filters()
        rows = list(selectors.directory(**filters))
        return super().get_context_data(**kwargs) | {
            "form": form,
            "filters": filters,
            "rows": rows,
            "can_manage": access.has_action(self.request.user, Action.MANAGE_DIRECTORY),
            "nav_active": "directory",
        }


class LocalServiceMixin:
    """Pages about one entry: an id that names none is a 404 (entries name no family, so there is nothing to hide)."""

    def get_service(self) -> LocalService:
        try:
            return selectors.local_service(self.kwargs["pk"])
        except LocalService.DoesNotExist:
            raise Http404("No such local service") from None


class LocalServiceView(ActionRequiredMixin, LocalServiceMixin, TemplateView):
    required_action = Action.VIEW_DIRECTORY
    template_name = "directory/local_service.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {
            "service": self.get_service(),
            "can_manage": access.has_action(self.request.user, Action.MANAGE_DIRECTORY),
            "nav_active": "directory",
        }


class AddLocalServiceView(ActionRequiredMixin, ServiceFormView):
    required_action = Action.MANAGE_DIRECTORY
    page_title = "Add a local service or group"
    submit_label = "Add to the directory"
    success_message = "Added to the directory"

    def get_form(self, form_class=None):
        return LocalServiceForm(**self.get_form_kwargs())

    def perform(self, form):
        return services.add_local_service(added_by=self.request.user, **form.cleaned_data)

    def get_success_url(self):
        if hasattr(self, "result"):
            return reverse("directory:service", args=[self.result.pk])
        return reverse("directory:directory")


class ChangeLocalServiceView(ActionRequiredMixin, LocalServiceMixin, ServiceFormView):
    required_action = Action.MANAGE_DIRECTORY
    submit_label = "Save changes"
    success_message = "Details saved"

    def get_form(self, form_class=None):
        self.service = self.get_service()
        self.page_title = f"Change the details of {self.service}"
        return LocalServiceForm(instance=self.service, **self.get_form_kwargs())

    def perform(self, form):
        fields = {name: form.cleaned_data[name] for name in services.FIELDS}
        return services.change_local_service(service=self.service, changed_by=self.request.user, **fields)

    def get_success_url(self):
        return reverse("directory:service", args=[self.kwargs["pk"]])


class RetireLocalServiceView(ActionRequiredMixin, LocalServiceMixin, ServiceFormView):
    required_action = Action.MANAGE_DIRECTORY
    submit_label = "Mark as no longer running"
    success_message = "Marked as no longer running: it is offered no more, and records that name it still do"

    def get_form(self, form_class=None):
        self.service = self.get_service()
        self.page_title = f"{self.service} no longer runs"
        return RetireForm(**self.get_form_kwargs())

    def perform(self, form):
        return services.retire_local_service(
            service=self.service, retired_by=self.request.user, retired_on=form.cleaned_data["retired_on"]
        )

    def get_success_url(self):
        return reverse("directory:service", args=[self.kwargs["pk"]])
