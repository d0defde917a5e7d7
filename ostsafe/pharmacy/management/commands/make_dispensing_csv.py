"""Synthetic dispensing rows for the current prescriptions, for the benchmark and the import tests."""

import csv
import random
from datetime import timedelta

from django.core.management.base import BaseCommand

from ostsafe.core.validators import today
from ostsafe.pharmacy.imports import FIELDS
from ostsafe.prescribing.models import Prescription, Regime


class Command(BaseCommand):
    help = "Write a synthetic dispensing CSV covering the last N days of every prescription dispensed at a pharmacy."

    def add_arguments(self, parser):
        parser.add_argument("out")
        parser.add_argument("--days", type=int, default=60)
        parser.add_argument("--seed", type=int, default=7)

    def handle(self, *args, out, days, seed, **options):
        rng = random.Random(seed)
        end = today()
        prescriptions = Prescription.objects.exclude(regime=Regime.ADMINISTERED).filter(pharmacy__isnull=False)
        rows = 0
        with open(out, "w", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(FIELDS)
            for p in prescriptions.select_related("service_user"):
                quantity = p.dose_per_collection
                for offset in range(days, -1, -1):
                    on = end - timedelta(days=offset)
                    if not p.expects_dose_on(on):
                        continue
                    if rng.random() < 0.06:
                        writer.writerow([p.service_user.nhs_number, p.pharmacy_id, on.isoformat(), "missed", "", ""])
                    else:
                        outcome = "supervised" if p.regime == Regime.SUPERVISED_DAILY else "collected"
                        writer.writerow(
                            [p.service_user.nhs_number, p.pharmacy_id, on.isoformat(), outcome, f"{quantity:f}", ""]
                        )
                    rows += 1
        self.stdout.write(f"Wrote {rows} rows to {out}")
