import datetime
import random

import factory

from ostsafe.accounts.tests.factories import TeamFactory, first_name, full_name, last_name
from ostsafe.core.validators import nhs_number_is_valid
from ostsafe.families.models import (
    ChildContact,
    ContactFrequency,
    Household,
    HouseholdMember,
    Involvement,
    MemberRole,
    ServiceUser,
    Sex,
)


def valid_nhs_number(n: int) -> str:
    """A valid number in the NHS's 999 test range, different for each n."""
    base = 999_000_000 + (n * 7919) % 1_000_000
    while True:
        digits = f"{base:09d}"
        for check in range(10):
            if nhs_number_is_valid(digits + str(check)):
                return digits + str(check)
        base += 1


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    name = factory.Sequence(lambda n: f"{last_name()} household {n}")
    address_line_1 = factory.Faker("street_address", locale="en_GB")
    town = "Riverside"
    postcode = factory.Faker("postcode", locale="en_GB")
    team = factory.SubFactory(TeamFactory)


class ServiceUserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceUser

    household = factory.SubFactory(HouseholdFactory)
    given_name = factory.LazyFunction(first_name)
    family_name = factory.LazyFunction(last_name)
    date_of_birth = factory.LazyFunction(
        lambda: datetime.date(1985, 1, 1) + datetime.timedelta(days=random.randint(0, 5000))
    )
    nhs_number = factory.Sequence(valid_nhs_number)
    sex = Sex.FEMALE
    last_contact_on = factory.LazyFunction(lambda: datetime.date.today() - datetime.timedelta(days=3))


class ChildFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HouseholdMember

    household = factory.SubFactory(HouseholdFactory)
    role = MemberRole.CHILD
    given_name = factory.LazyFunction(first_name)
    family_name = factory.LazyFunction(last_name)
    date_of_birth = factory.LazyFunction(lambda: datetime.date.today() - datetime.timedelta(days=365 * 4))
    lives_here = True


class AdultMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HouseholdMember

    household = factory.SubFactory(HouseholdFactory)
    role = MemberRole.PARTNER
    given_name = factory.LazyFunction(first_name)
    family_name = factory.LazyFunction(last_name)
    lives_here = True


class ChildContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChildContact

    service_user = factory.SubFactory(ServiceUserFactory)
    given_name = factory.LazyFunction(first_name)
    date_of_birth = factory.LazyFunction(lambda: datetime.date.today() - datetime.timedelta(days=365 * 7))
    relationship = "Daughter"
    lives_with = "with her mother"
    frequency = ContactFrequency.WEEKLY
    overnight_stays = True


class InvolvementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Involvement

    household = factory.SubFactory(HouseholdFactory)
    name = factory.LazyFunction(full_name)
    organisation_name = "Riverside Community Health NHS Trust"
    role_in_family = "Health visitor"
