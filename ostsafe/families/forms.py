from django import forms

from ostsafe.accounts.models import Team, User
from ostsafe.accounts.roles import OrganisationType, Role
from ostsafe.core.forms import GovukModelForm
from ostsafe.core.validators import validate_nhs_number

from .models import (
    ChildContact,
    Household,
    HouseholdMember,
    Involvement,
    MemberRole,
    ServiceUser,
)

_NHS_HELP = "10 digits, like 943 476 5919. Leave blank if not known yet"


def treatment_teams_for(user):
    teams = Team.objects.select_related("organisation").filter(organisation__type=OrganisationType.TREATMENT_SERVICE)
    if user.role != Role.ADMINISTRATOR:
        teams = teams.filter(organisation_id=user.organisation_id)
    return teams


def keyworkers_for(organisation_id):
    return User.objects.filter(
        is_active=True, role__in=[Role.KEYWORKER, Role.TEAM_MANAGER], organisation_id=organisation_id
    )


class HouseholdForm(GovukModelForm):
    class Meta:
        model = Household
        fields = ["name", "address_line_1", "address_line_2", "town", "postcode", "team"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = treatment_teams_for(user)
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
            "keyworker",
            "in_treatment_since",
            "last_contact_on",
            "discharged_on",
        ]

    def __init__(self, *args, organisation_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["keyworker"].queryset = keyworkers_for(organisation_id)
        self.fields["date_of_birth"].help_text = "For example, 27 3 1988"
        if not self.instance.pk:
            del self.fields["discharged_on"]

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
        self.fields["team"].queryset = treatment_teams_for(user)
        self.fields["team"].error_messages["required"] = "Select the responsible team"
        if user.team_id:
            self.initial.setdefault("team", user.team_id)
        if user.role == Role.KEYWORKER:
            self.initial.setdefault("keyworker", user.pk)
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
            "organisation_name",
            "role_in_family",
            "phone",
            "email",
            "is_lead",
            "start_date",
            "end_date",
        ]

    def __init__(self, *args, household, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.household = household
        self.fields["professional"].queryset = (
            User.objects.filter(is_active=True)
            .exclude(role__in=[Role.COMMISSIONER, Role.ADMINISTRATOR])
            .select_related("organisation")
        )
        self.fields["professional"].label_from_instance = lambda u: (
            f"{u.full_name}, {u.get_role_display().lower()}, {u.organisation.name}"
        )
        self.fields[
            "professional"
        ].help_text = "If they use OST Safe. Otherwise leave this and enter their details below"
        self.fields["role_in_family"].help_text = "For example: health visitor for Ella, social worker (child in need)"
