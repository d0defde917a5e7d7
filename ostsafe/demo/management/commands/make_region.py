from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ostsafe.core.validators import today
from ostsafe.demo.region import RegionBuilder


class Command(BaseCommand):
    help = (
        "Build a synthetic region for benchmarks: 10,000 service users by default, two years of history, planted "
        "patterns for every warning sign beside steady control households. Synthetic data only; refused where demo "
        "data is not allowed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--service-users", type=int, default=10_000)
        parser.add_argument("--planted", type=int, default=30, help="Households planted with each warning sign")
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, **options):
        if not settings.OSTSAFE_ALLOW_DEMO:
            raise CommandError("Synthetic data is not allowed here (OSTSAFE_ALLOW_DEMO is off)")
        region = RegionBuilder(
            service_users=options["service_users"],
            planted=options["planted"],
            seed=options["seed"],
            today=today(),
            progress=lambda line: self.stdout.write(f"  {line}"),
        ).build()
        planted = sum(len(ids) for ids in region.planted.values())
        self.stdout.write(
            f"Region built: {region.service_users} service users in {region.households} households "
            f"({planted} planted, {len(region.control)} controls); rows: "
            + ", ".join(f"{name} {count}" for name, count in region.rows.items())
        )
