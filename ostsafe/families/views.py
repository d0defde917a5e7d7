"""Family pages: thin views that parse, ask a selector or service, and render. Access and audit come from the
mixins in `ostsafe.core.views`."""

from typing import NamedTuple

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.functional import cached_property
from django.views.generic import TemplateView

from ostsafe.audit.actions import AuditAction
from ostsafe.audit.services import record_list_access
from ostsafe.core import access
from ostsafe.core.access import Action
from ostsafe.core.households import caseload_values, new_family_checklist, service_user_panels
from ostsafe.core.validators import today
from ostsafe.core.views import ActionRequiredMixin, HouseholdPageMixin, ServiceFormView

from . import forms, selectors, services
from .models import (
    ChildContact,
    HouseholdMember,
    Involvement,
    MemberRole,
    ServiceUser,
)

CASELOAD_PAGE_SIZE = 25


class Child(NamedTuple):
    age_label: str
    child_status: str


class Cells(NamedTuple):
    """What a caseload row draws of the person, their children and their network: for each cell, the (name, value)
    pairs its template is given (`{% row %}`, ostsafe/core/templatetags/rows.py), plain values all, so that the row
    is kept with its family's change number (core.households.caseload_values) and drawn once for its values."""

    person: tuple
    children: tuple
    contact: tuple


def caseload_cells(rows: list, as_of) -> dict[int, Cells]:
    """The cells of these caseload rows (those the page has not kept), with the details they draw: three queries."""
    return {su.pk: _cells(su) for su in selectors.with_caseload_details(rows, as_of)}


def _cells(su) -> Cells:
    person = {
        "household_id": su.household_id,
        "full_name": su.full_name,
        "household": su.household.name,
        "nhs_number": su.formatted_nhs_number if su.nhs_number else "",
        "another_ost_user": bool(su.another_ost_user),
    }
    children = {
        "kids": tuple(Child(c.age_label, c.child_status) for c in su.household.children_living),
        "children_answer": su.children_answer,
        "contacts": len(su.child_contacts.all()),
        "overnight": su.has_overnight_child_contact,
    }
    contact = {"last_contact_on": su.last_contact_on, "leads": tuple(lead.display_name for lead in su.household.leads)}
    return Cells(tuple(person.items()), tuple(children.items()), tuple(contact.items()))


def caseload_row(su, cells: Cells, columns: list, flags: list) -> dict:
    """What a caseload row draws, all plain values (`{% row %}`): the row is drawn once for them and kept, and so is
    each of its cells."""
    return {
        **cells._asdict(),
        "flags": tuple(
            (flag.template, su.household_id, values[su.household_id])
            for flag, values in flags
            if su.household_id in values
        ),
        "columns": tuple((column.template, values.get(su.pk)) for column, values in columns),
    }


class CaseloadView(ActionRequiredMixin, TemplateView):
    required_action = Action.VIEW_HOUSEHOLD
    audit_action = AuditAction.CASELOAD_VIEW
    template_name = "families/caseload.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        get = self.request.GET
        user = self.request.user
        # A keyworker opens on their own caseload; a manager (no caseload of their own) on their team's.
        default_scope = "mine" if user.caseload.exists() else "team" if user.team_id else "all"
        form = forms.CaseloadFilterForm(get, default_scope=default_scope)
        filters = form.filters()
        page = Paginator(selectors.caseload(self.request.user, filters), CASELOAD_PAGE_SIZE).get_page(get.get("page"))
        record_list_access(
            request=self.request,
            user=self.request.user,
            action=self.audit_action,
            household_ids=[row.household_id for row in page],
        )
        rows, as_of = list(page), today()
        cells, columns, flags = caseload_values(rows, as_of, cells=caseload_cells)
        context.update(
            rows=[caseload_row(su, cells[su.pk], columns, flags) for su in rows],
            columns=columns,
            nav_active="caseload",
            filters=filters,
            search_errors=form.errors.get("q", []) if form.is_bound else [],
            page=page,
            filter_choices=[(f, form[f.name].value()) for f in form.registered],
            can_register=access.has_action(self.request.user, Action.CREATE_HOUSEHOLD),
            has_team=bool(user.team_id),
        )
        return context


class RegisterServiceUserView(ActionRequiredMixin, ServiceFormView):
    required_action = Action.CREATE_HOUSEHOLD
    page_title = "Register a service user"
    submit_label = "Register service user"
    success_message = "Service user registered"

    def get_form(self, form_class=None):
        return forms.RegisterServiceUserForm(user=self.request.user, **self.get_form_kwargs())

    def perform(self, form):
        return services.register_service_user(
            registered_by=self.request.user,
            household_fields=form.household_fields(),
            **form.service_user_fields(),
        )

    def get_success_url(self):
        if hasattr(self, "result"):
            return reverse("families:household", args=[self.result.household_id])
        return reverse("families:caseload")


# What the overview's links depend on: the gate's answers for the viewer (its kept body is keyed by them).
OVERVIEW_ANSWERS = (Action.EDIT_HOUSEHOLD, Action.EDIT_PRESCRIPTION)


class HouseholdView(HouseholdPageMixin, TemplateView):
    tab = "overview"
    template_name = "families/household.html"

    @cached_property
    def page_household(self):
        return selectors.household_for_page(self.household.pk)

    def summary_household(self):
        # Its people in treatment, their contacts and its members are read already: the summary asks nothing again.
        return self.page_household

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        # The household the page's access check read: its answers are kept on it, not asked again.
        answers = {action: access.can(user, action, self.household) for action in OVERVIEW_ANSWERS}
        context.update(overview=self.kept_markup("overview", self.draw_overview, answers), nav_active="caseload")
        return context

    def draw_overview(self, answers) -> str:
        """The overview's body (kept for the family's change number, the day and these answers: core.kept_pages)."""
        household, as_of = self.page_household, self.page_day
        members = list(household.members.all())
        service_users = list(household.service_users.all())
        has_children = selectors.has_children_in(household, as_of)
        return render_to_string(
            "families/_household_overview.html",
            {
                "household": household,
                "service_users": service_users,
                "panels": service_user_panels(service_users, as_of),
                "children": [m for m in members if m.role == MemberRole.CHILD and m.is_current(as_of)],
                "adults": [m for m in members if m.role != MemberRole.CHILD and m.is_current(as_of)],
                "former_members": [m for m in members if not m.is_current(as_of)],
                "network": household.network.all(),
                "can_edit": answers[Action.EDIT_HOUSEHOLD],
                "may_answers": answers,
                "checklist": new_family_checklist(household, as_of) if has_children else [],
            },
        )


class HouseholdEditView(HouseholdPageMixin, ServiceFormView):
    required_action = Action.EDIT_HOUSEHOLD
    page_title = "Change household details"
    success_message = "Household details saved"

    def get_form(self, form_class=None):
        return forms.HouseholdForm(instance=self.household, user=self.request.user, **self.get_form_kwargs())

    def perform(self, form):
        return services.update_household(household=self.household, changed_by=self.request.user, **form.cleaned_data)

    def get_success_url(self):
        return self.household_url()


class ServiceUserView(HouseholdPageMixin, TemplateView):
    template_name = "families/service_user.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        service_user = get_object_or_404(
            selectors.service_users_for_page(), household=self.household, pk=self.kwargs["pk"]
        )
        context.update(
            service_user=service_user,
            linked_member=selectors.member_record_of(service_user),
            others_on_ost=selectors.others_on_ost(self.household, service_user),
            members_on_ost_elsewhere=selectors.members_on_ost_elsewhere(self.household),
            panels=service_user_panels([service_user], today())[service_user.pk],
            can_edit=access.can(self.request.user, Action.EDIT_HOUSEHOLD, self.household),
            nav_active="caseload",
        )
        return context


class ServiceUserFormMixin(HouseholdPageMixin):
    required_action = Action.EDIT_HOUSEHOLD

    def get_form(self, form_class=None):
        return forms.ServiceUserForm(
            instance=getattr(self, "object", None),
            organisation_id=self.household.team.organisation_id,
            **self.get_form_kwargs(),
        )

    def get_success_url(self):
        return self.household_url()


class ServiceUserAddView(ServiceUserFormMixin, ServiceFormView):
    page_title = "Add another person in treatment to this household"
    success_message = "Service user added to the household"

    def perform(self, form):
        return services.register_service_user(
            registered_by=self.request.user, household=self.household, **form.cleaned_data
        )


class ServiceUserEditView(ServiceUserFormMixin, ServiceFormView):
    page_title = "Change service user's details"
    success_message = "Service user's details saved"

    def get_form(self, form_class=None):
        self.object = get_object_or_404(ServiceUser, household=self.household, pk=self.kwargs["pk"])
        return super().get_form(form_class)

    def perform(self, form):
        return services.update_service_user(service_user=self.object, changed_by=self.request.user, **form.cleaned_data)


class MemberAddView(HouseholdPageMixin, ServiceFormView):
    required_action = Action.EDIT_HOUSEHOLD
    success_message = "Person added to the household"

    @property
    def adding_child(self) -> bool:
        return self.kwargs["kind"] == "child"

    @property
    def page_title(self):
        return "Add a child" if self.adding_child else "Add an adult in the child's life"

    def get_form(self, form_class=None):
        form_class = forms.ChildMemberForm if self.adding_child else forms.AdultMemberForm
        return form_class(household=self.household, **self.get_form_kwargs())

    def perform(self, form):
        fields = dict(form.cleaned_data)
        if self.adding_child:
            fields.update(role=MemberRole.CHILD, lives_here=True)
        return services.add_household_member(household=self.household, added_by=self.request.user, **fields)

    def get_success_url(self):
        return self.household_url()


class MemberEditView(HouseholdPageMixin, ServiceFormView):
    required_action = Action.EDIT_HOUSEHOLD
    success_message = "Changes saved"

    def get_form(self, form_class=None):
        self.object = get_object_or_404(HouseholdMember, household=self.household, pk=self.kwargs["pk"])
        self.page_title = f"Change details for {self.object.display_name}"
        form_class = forms.ChildMemberForm if self.object.is_child else forms.AdultMemberForm
        return form_class(instance=self.object, household=self.household, **self.get_form_kwargs())

    def perform(self, form):
        return services.update_household_member(member=self.object, changed_by=self.request.user, **form.cleaned_data)

    def get_success_url(self):
        return self.household_url()


class ChildContactFormMixin(HouseholdPageMixin):
    required_action = Action.EDIT_HOUSEHOLD

    def get_service_user(self):
        return get_object_or_404(ServiceUser, household=self.household, pk=self.kwargs["service_user_id"])

    def get_success_url(self):
        return reverse("families:service_user", args=[self.household.pk, self.kwargs["service_user_id"]])


class ChildContactAddView(ChildContactFormMixin, ServiceFormView):
    page_title = "Add a child the service user has contact with"
    success_message = "Child contact added"

    def get_form(self, form_class=None):
        self.service_user = self.get_service_user()
        return forms.ChildContactForm(**self.get_form_kwargs())

    def perform(self, form):
        return services.add_child_contact(
            service_user=self.service_user, added_by=self.request.user, **form.cleaned_data
        )


class ChildContactEditView(ChildContactFormMixin, ServiceFormView):
    page_title = "Change child contact"
    success_message = "Child contact saved"

    def get_form(self, form_class=None):
        self.object = get_object_or_404(
            ChildContact,
            service_user__household=self.household,
            service_user_id=self.kwargs["service_user_id"],
            pk=self.kwargs["pk"],
        )
        return forms.ChildContactForm(instance=self.object, **self.get_form_kwargs())

    def perform(self, form):
        return services.update_child_contact(contact=self.object, changed_by=self.request.user, **form.cleaned_data)


class InvolvementAddView(HouseholdPageMixin, ServiceFormView):
    required_action = Action.EDIT_HOUSEHOLD
    page_title = "Add a professional to the network"
    success_message = "Professional added to the network"

    def get_form(self, form_class=None):
        return forms.InvolvementForm(household=self.household, **self.get_form_kwargs())

    def perform(self, form):
        return services.add_involvement(household=self.household, added_by=self.request.user, **form.cleaned_data)

    def get_success_url(self):
        return self.household_url()


class InvolvementEditView(HouseholdPageMixin, ServiceFormView):
    required_action = Action.EDIT_HOUSEHOLD
    page_title = "Change a professional's involvement"
    success_message = "Professional network saved"

    def get_form(self, form_class=None):
        self.object = get_object_or_404(Involvement, household=self.household, pk=self.kwargs["pk"])
        return forms.InvolvementForm(instance=self.object, household=self.household, **self.get_form_kwargs())

    def perform(self, form):
        return services.update_involvement(involvement=self.object, changed_by=self.request.user, **form.cleaned_data)

    def get_success_url(self):
        return self.household_url()
