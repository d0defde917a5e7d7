import datetime
from decimal import Decimal

import factory

from ostsafe.accounts.tests.factories import OrganisationFactory, UserFactory
from ostsafe.core.roles import OrganisationType, Role
from ostsafe.families.tests.factories import ServiceUserFactory
from ostsafe.prescribing.models import DoseUnit, Drug, Prescription, Regime


class PrescriptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Prescription

    service_user = factory.SubFactory(ServiceUserFactory)
    drug = Drug.METHADONE_ORAL_SOLUTION
    daily_dose = Decimal("60")
    dose_unit = DoseUnit.ML
    regime = Regime.SUPERVISED_DAILY
    pharmacy = factory.SubFactory(OrganisationFactory, type=OrganisationType.COMMUNITY_PHARMACY)
    prescriber = factory.LazyAttribute(
        lambda o: UserFactory(
            role=Role.PRESCRIBER,
            organisation=o.service_user.household.team.organisation,
            team=o.service_user.household.team,
        )
    )
    start_date = factory.LazyFunction(lambda: datetime.date.today() - datetime.timedelta(days=30))
