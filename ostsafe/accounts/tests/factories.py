import factory
from faker import Faker

from ostsafe.accounts.models import Organisation, Team, User
from ostsafe.core.roles import ROLES, OrganisationType, Role

factory.Faker._DEFAULT_LOCALE = "en_GB"
fake = Faker("en_GB")


def plain(text: str) -> str:
    """Faker's names without apostrophes, so tests can look for them in HTML without escaping rules getting in the
    way (escaping itself is tested in families/tests/test_pages.py)."""
    return text.replace("'", "")


def first_name() -> str:
    return plain(fake.first_name())


def last_name() -> str:
    return plain(fake.last_name())


def full_name() -> str:
    return f"{first_name()} {last_name()}"


ORGANISATION_FOR_ROLE = {
    Role.KEYWORKER: OrganisationType.TREATMENT_SERVICE,
    Role.PRESCRIBER: OrganisationType.TREATMENT_SERVICE,
    Role.TEAM_MANAGER: OrganisationType.TREATMENT_SERVICE,
    Role.ADMINISTRATOR: OrganisationType.TREATMENT_SERVICE,
}


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"{last_name()} Service {n}")
    type = OrganisationType.TREATMENT_SERVICE


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Team {n}")


class UserFactory(factory.django.DjangoModelFactory):
    """A user of any role; the organisation defaults to one of the kind the role belongs to."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@test.ostsafe.example")
    full_name = factory.LazyFunction(full_name)
    role = Role.KEYWORKER
    organisation = factory.LazyAttribute(
        lambda o: OrganisationFactory(
            type=ORGANISATION_FOR_ROLE.get(o.role) or sorted(ROLES[o.role].organisation_types)[0]
        )
    )
    team = None
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()
