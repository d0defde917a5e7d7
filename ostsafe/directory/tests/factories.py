import factory

from ostsafe.accounts.tests.factories import UserFactory
from ostsafe.core.roles import Role
from ostsafe.core.validators import today
from ostsafe.directory.models import LocalService, ServiceKind


class LocalServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LocalService

    name = factory.Sequence(lambda n: f"Family Support Service {n}")
    kind = ServiceKind.FAMILY_SUPPORT
    what_they_do = "Support for parents, grandparents and other carers in their own right"
    phone = "01632 960 123"
    email = factory.Sequence(lambda n: f"support{n}@family.example")
    updated_by = factory.SubFactory(UserFactory, role=Role.TEAM_MANAGER)
    updated_on = factory.LazyFunction(today)


class FrontDoorFactory(LocalServiceFactory):
    name = factory.Sequence(lambda n: f"Children's Front Door {n}")
    kind = ServiceKind.FRONT_DOOR
    what_they_do = "Takes all referrals about children's safety and welfare (the MASH)"
    referral_route = "Phone the front door, then send the written referral within 24 hours."
    hours = "Monday to Friday, 9am to 5pm"
    out_of_hours = "Emergency duty team: 01632 960 999"
