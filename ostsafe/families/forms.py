from django import forms

from ostsafe.accounts.models import Team, User
from ostsafe.accounts.selectors import network_professionals, placeable_teams
from ostsafe.core import access
from ostsafe.core.forms import GovukModelForm
from ostsafe.core.households import caseload_filters
from ostsafe.core.validators import validate_nhs_number
from ostsafe.directory import selectors as directory
from ostsafe.directory.models import SERVICE_KINDS

from .models import (
    ChildContact,
    Household,
    HouseholdMember,
    Involvement,
    MemberRole,
    NdtmsConsent,
    ServiceUser,
)

_NHS_HELP = "10 digits, like 943 476 5919. Leave blank if not known yet"


def keyworkers_for(organisation_id):
    return User.objects.filter(access.keyworkers_q(organisation_id=organisation_id))


class HouseholdForm(GovukModelForm):
    class Meta:
        model = Household
        fields = ["name", "address_line_1", "address_line_2", "town", "postcode", "team"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = placeable_teams(user)
        self.fields["team"].label = "Responsible team"
        self.fields["postcode"].widget.attrs["govuk_width"] = 10


class ServiceUserForm(GovukModelForm):
    # Practitioners type NHS numbers with spaces ("943 476 5919"): accept them, store the 10 digits.
    nhs_number = forms.CharField(
        label="NHS number",
        required=False,
        max_length=14,
        help_text=_NHS_HELP,
        widget=forms.TextInput(attrs={"govuk_width": 10, "inputmode": "numeric"}),
    )

    class Meta:
        model = ServiceUser
        fields = [
            "given_name",
            "family_name",
            "date_of_birth",
            "nhs_number",
            "sex",
            "phone",
            "children_answer",
            "keyworker",
            "in_treatment_since",
            "ndtms_consent",
            "last_contact_on",
            "discharged_on",
        ]

    def __init__(self, *args, organisation_id, **kwargs):
        super().__init__(*args, **kwargs)
        # Asked when it comes up; a form saved without an answer keeps what was recorded (or "not asked yet").
        self.fields["ndtms_consent"].required = False
        self.fields["keyworker"].queryset = keyworkers_for(organisation_id)
        self.fields["date_of_birth"].help_text = "For example, 27 3 1988"
        if not self.instance.pk:
            del self.fields["discharged_on"]

    def validate_unique(self):
        # The service decides what a duplicate NHS number may be told (core.services.OutOfReach): the form's own
        # "already exists" would tell anyone that a person is in treatment in another team.
        pass

    def clean_ndtms_consent(self):
        return self.cleaned_data.get("ndtms_consent") or self.instance.ndtms_consent or NdtmsConsent.NOT_ASKED

    def clean_nhs_number(self):
        value = (self.cleaned_data.get("nhs_number") or "").replace(" ", "")
        if value:
            validate_nhs_number(value)
        return value or None


class RegisterServiceUserForm(ServiceUserForm):
    """A new service user with a new household, on one page."""

    household_name = forms.CharField(label="Household name", max_length=120, help_text="For example, Taylor household")
    address_line_1 = forms.CharField(label="Address line 1", max_length=200)
    address_line_2 = forms.CharField(label="Address line 2", max_length=200, required=False)
    town = forms.CharField(label="Town or city", max_length=120)
    postcode = forms.CharField(label="Postcode", max_length=10, widget=forms.TextInput(attrs={"govuk_width": 10}))
    team = forms.ModelChoiceField(label="Responsible team", queryset=Team.objects.none())

    HOUSEHOLD_FIELDS = ["household_name", "address_line_1", "address_line_2", "town", "postcode", "team"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, organisation_id=user.organisation_id, **kwargs)
        self.fields["team"].queryset = placeable_teams(user)
        self.fields["team"].error_messages["required"] = "Select the responsible team"
        teams = list(self.fields["team"].queryset[:2])
        if len(teams) == 1:
            self.initial.setdefault("team", teams[0].pk)
        elif user.team_id:
            self.initial.setdefault("team", user.team_id)
        if access.registers_for_own_caseload(user):
            self.initial.setdefault("keyworker", user.pk)
        # Asked every time: no answer is preselected, so "no children" is never a default nobody chose.
        self.initial.pop("children_answer", None)
        self.fields["children_answer"].help_text = "Add the children on the family's page once registered"
        self.fields["children_answer"].error_messages["required"] = (
            "Select whether they have children living with them, or contact with children"
        )
        for name in self.HOUSEHOLD_FIELDS:
            if self.fields[name].required:
                self.fields[name].error_messages["required"] = f"Enter the {self.fields[name].label.lower()}"

    def household_fields(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.HOUSEHOLD_FIELDS}
        data["name"] = data.pop("household_name")
        return data

    def service_user_fields(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if name not in self.HOUSEHOLD_FIELDS}


class HouseholdMemberForm(GovukModelForm):
    radios_up_to = 7

    class Meta:
        model = HouseholdMember
        fields = [
            "role",
            "given_name",
            "family_name",
            "date_of_birth",
            "expected_due_date",
            "sex",
            "lives_here",
            "start_date",
            "end_date",
            "school_or_nursery",
            "gp_practice",
            "health_visitor_or_school_nurse",
            "child_status",
            "ost_elsewhere",
            "service_user",
            "notes",
        ]

    def __init__(self, *args, household, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.household = household
        if "service_user" in self.fields:
            self.fields["service_user"].queryset = household.service_users.all()
            self.fields["service_user"].label = "Also in treatment with this service"
            self.fields["service_user"].help_text = "For a partner or relative who is also a client of this service"
        if "expected_due_date" in self.fields:
            self.fields["date_of_birth"].help_text = "For example, 27 3 2019. Leave blank for an unborn child"
            self.fields["expected_due_date"].help_text = "Only for an unborn child"
            self.fields["notes"].help_text = "Anything the team should know"
        else:
            self.fields["notes"].help_text = "For an unknown adult: what was reported, by whom and when"


class ChildMemberForm(HouseholdMemberForm):
    """Adding a child living in the household: only the questions that are about children."""

    class Meta(HouseholdMemberForm.Meta):
        fields = [
            "given_name",
            "family_name",
            "date_of_birth",
            "expected_due_date",
            "sex",
            "start_date",
            "end_date",
            "school_or_nursery",
            "gp_practice",
            "health_visitor_or_school_nurse",
            "child_status",
            "notes",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.role = MemberRole.CHILD
        self.instance.lives_here = True


class AdultMemberForm(HouseholdMemberForm):
    class Meta(HouseholdMemberForm.Meta):
        fields = [
            "role",
            "given_name",
            "family_name",
            "date_of_birth",
            "sex",
            "lives_here",
            "start_date",
            "end_date",
            "ost_elsewhere",
            "service_user",
            "notes",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [c for c in MemberRole.choices if c[0] != MemberRole.CHILD]
        self.fields["role"].widget.choices = self.fields["role"].choices
        self.fields["role"].label = "Who is this person?"
        self.fields["role"].error_messages["required"] = "Select who this person is"


class ChildContactForm(GovukModelForm):
    class Meta:
        model = ChildContact
        fields = [
            "given_name",
            "family_name",
            "date_of_birth",
            "relationship",
            "lives_with",
            "frequency",
            "overnight_stays",
            "notes",
        ]


class InvolvementForm(GovukModelForm):
    class Meta:
        model = Involvement
        fields = [
            "professional",
            "name",
            "service",
            "organisation_name",
            "role_in_family",
            "responsibility",
            "phone",
            "email",
            "is_lead",
            "start_date",
            "end_date",
        ]

    def __init__(self, *args, household, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.household = household
        self.fields["professional"].queryset = network_professionals()
        self.fields["professional"].label_from_instance = lambda u: (
            f"{u.full_name}, {u.get_role_display().lower()}, {u.organisation.name}"
        )
        self.fields[
            "professional"
        ].help_text = "If they use OST Safe. Otherwise leave this and enter their details below"
        self.fields["role_in_family"].help_text = "For example: health visitor for Ella, social worker (child in need)"
        self.fields["service"].queryset = directory.to_choose_from(SERVICE_KINDS)
        self.fields["service"].empty_label = "Not in the directory"
        self.fields[
            "service"
        ].help_text = "Their organisation, phone and email come from the directory unless you enter them below"
        self.fields["organisation_name"].help_text = "If their service is not in the directory"


class CaseloadFilterForm(forms.Form):
    """The caseload's search and filters, from the query string. Anything it cannot read is an error on the search
    (null characters, over-long text), never a server error; unknown choices fall back to "any"."""

    q = forms.CharField(label="Name or NHS number", max_length=100, required=False, strip=True)
    children = forms.ChoiceField(
        choices=[
            ("", "Any"),
            ("living", "Living with children"),
            ("contact", "Contact only"),
            ("none", "None"),
            ("protected", "On a child protection plan or looked after"),
        ],
        required=False,
    )
    other_ost = forms.BooleanField(required=False)
    scope = forms.ChoiceField(choices=[("mine", "Mine"), ("team", "My team"), ("all", "All")], required=False)
    sort = forms.ChoiceField(choices=[("attention", "What needs attention first"), ("name", "Name")], required=False)

    def __init__(self, data, *, default_scope: str):
        self.registered = caseload_filters()
        data = data.copy()
        choices = {name: dict(self.base_fields[name].choices) for name in ("children", "scope", "sort")}
        choices |= {f.name: dict([("", "Any"), *f.choices()]) for f in self.registered}
        for name, allowed in choices.items():
            if data.get(name) not in allowed:
                data.pop(name, None)
        data["other_ost"] = "on" if data.get("other_ost") == "yes" else ""
        super().__init__(data)
        for f in self.registered:
            self.fields[f.name] = forms.ChoiceField(label=f.label, choices=[("", "Any"), *f.choices()], required=False)
        self.default_scope = default_scope

    def filters(self):
        from .selectors import CaseloadFilters

        data = self.cleaned_data if self.is_valid() else {}
        return CaseloadFilters(
            scope=data.get("scope") or self.default_scope,
            q=data.get("q", ""),
            children=data.get("children", ""),
            other_ost=data.get("other_ost", False),
            extra=tuple((f.name, data.get(f.name, "")) for f in self.registered),
            sort=data.get("sort") or "attention",
        )
