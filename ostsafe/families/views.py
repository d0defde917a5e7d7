"""Family pages: thin views that parse, ask a selector or service, and render. Access and audit come from the
mixins in `ostsafe.core.views`."""

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.generic import TemplateView

from ostsafe.audit.services import record_list_access
from ostsafe.core import access
from ostsafe.core.access import Action
from ostsafe.core.views import (
    ActionRequiredMixin,
    HouseholdAccessMixin,
    ServiceFormView,
)
from ostsafe.prescribing.models import Regime
from ostsafe.visits.selectors import households_needing_home_visit

from . import forms, selectors, services
from .models import (
    ChildContact,
    Household,
    HouseholdMember,
    Involvement,
    MemberRole,
    ServiceUser,
)

CASELOAD_PAGE_SIZE = 25


class FamilyAccessMixin(HouseholdAccessMixin):
    """Pages under /households/<household_id>/: the household comes from the URL."""

    def get_household(self):
        try:
            return selectors.household_for_access(self.kwargs["household_id"])
        except Household.DoesNotExist:
            raise Http404("No such household") from None

    def household_url(self):
        return reverse("families:household", args=[self.household.pk])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["household"] = self.household
        context["caption"] = self.household.name
        return context


def household_tabs(user, household, active: str):
    """The household's sub-navigation. Later issues add Warning signs, Sharing and Chronology."""
    tabs = [
        ("overview", "Family and network", reverse("families:household", args=[household.pk])),
        ("assessment", "Assessment", reverse("assessments:tab", args=[household.pk])),
        ("visits", "Visits", reverse("visits:tab", args=[household.pk])),
        ("storage", "Storage", reverse("storage:tab", args=[household.pk])),
        ("agreement", "Agreement", reverse("plans:agreement", args=[household.pk])),
        ("plan", "Plan", reverse("plans:plan", args=[household.pk])),
        ("pharmacy", "Pharmacy and appointments", reverse("pharmacy:tab", args=[household.pk])),
    ]
    if access.can(user, Action.VIEW_AUDIT, household):
        tabs.append(("access", "Access log", reverse("audit:household", args=[household.pk])))
    return [{"key": key, "label": label, "href": href, "active": key == active} for key, label, href in tabs]


class CaseloadView(ActionRequiredMixin, TemplateView):
    required_action = Action.VIEW_HOUSEHOLD
    audit_action = "caseload.view"
    template_name = "families/caseload.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        get = self.request.GET
        default_scope = "mine" if self.request.user.caseload.exists() else "all"
        filters = selectors.CaseloadFilters(
            scope=get.get("scope") if get.get("scope") in {"mine", "all"} else default_scope,
            q=get.get("q", "")[:100],
            children=get.get("children") if get.get("children") in {"living", "contact", "none"} else "",
            other_ost=get.get("other_ost") == "yes",
            regime=get.get("regime") if get.get("regime") in Regime.values else "",
        )
        page = Paginator(selectors.caseload(self.request.user, filters), CASELOAD_PAGE_SIZE).get_page(get.get("page"))
        record_list_access(
            request=self.request,
            user=self.request.user,
            action=self.audit_action,
            household_ids=[row.household_id for row in page],
        )
        context.update(
            home_visit_needed=households_needing_home_visit([row.household_id for row in page]),
            nav_active="caseload",
            filters=filters,
            page=page,
            regimes=Regime.choices,
            can_register=access.has_action(self.request.user, Action.CREATE_HOUSEHOLD),
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


class HouseholdView(FamilyAccessMixin, TemplateView):
    template_name = "families/household.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        household = selectors.household_for_page(self.household.pk)
        members = list(household.members.all())
        user = self.request.user
        context.update(
            household=household,
            service_users=household.service_users.all(),
            children=[m for m in members if m.role == MemberRole.CHILD and m.is_current()],
            adults=[m for m in members if m.role != MemberRole.CHILD and m.is_current()],
            former_members=[m for m in members if not m.is_current()],
            network=household.network.all(),
            tabs=household_tabs(user, household, "overview"),
            can_edit=access.can(user, Action.EDIT_HOUSEHOLD, household),
            can_prescribe=access.can(user, Action.EDIT_PRESCRIPTION, household),
            nav_active="caseload",
        )
        return context


class HouseholdEditView(FamilyAccessMixin, ServiceFormView):
    required_action = Action.EDIT_HOUSEHOLD
    page_title = "Change household details"
    success_message = "Household details saved"

    def get_form(self, form_class=None):
        return forms.HouseholdForm(instance=self.household, user=self.request.user, **self.get_form_kwargs())

    def perform(self, form):
        return services.update_household(household=self.household, changed_by=self.request.user, **form.cleaned_data)

    def get_success_url(self):
        return self.household_url()


class ServiceUserView(FamilyAccessMixin, TemplateView):
    template_name = "families/service_user.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        service_user = get_object_or_404(
            ServiceUser.objects.select_related("keyworker").prefetch_related(
                Prefetch("prescriptions", queryset=selectors.prescriptions_for_display()), "child_contacts"
            ),
            household=self.household,
            pk=self.kwargs["pk"],
        )
        linked_member = HouseholdMember.objects.filter(service_user=service_user).first()
        context.update(
            service_user=service_user,
            linked_member=linked_member,
            others_on_ost=self.household.service_users.exclude(pk=service_user.pk).filter(discharged_on__isnull=True),
            members_on_ost_elsewhere=HouseholdMember.objects.current().filter(
                household=self.household, ost_elsewhere=True, lives_here=True
            ),
            can_edit=access.can(self.request.user, Action.EDIT_HOUSEHOLD, self.household),
            can_prescribe=access.can(self.request.user, Action.EDIT_PRESCRIPTION, self.household),
            nav_active="caseload",
        )
        return context


class ServiceUserFormMixin(FamilyAccessMixin):
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


class MemberAddView(FamilyAccessMixin, ServiceFormView):
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


class MemberEditView(FamilyAccessMixin, ServiceFormView):
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


class ChildContactFormMixin(FamilyAccessMixin):
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


class InvolvementAddView(FamilyAccessMixin, ServiceFormView):
    required_action = Action.EDIT_HOUSEHOLD
    page_title = "Add a professional to the network"
    success_message = "Professional added to the network"

    def get_form(self, form_class=None):
        return forms.InvolvementForm(household=self.household, **self.get_form_kwargs())

    def perform(self, form):
        return services.add_involvement(household=self.household, added_by=self.request.user, **form.cleaned_data)

    def get_success_url(self):
        return self.household_url()


class InvolvementEditView(FamilyAccessMixin, ServiceFormView):
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
