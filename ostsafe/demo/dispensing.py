"""Six months of dispensing, appointments and tests with realistic patterns: mostly regular, some drifting (more
missed doses and appointments as the months go on), a few with a recent run of missed doses."""

import random
from datetime import date, timedelta

from ostsafe.monitoring.models import Appointment, AppointmentOutcome, TestResult
from ostsafe.pharmacy.imports import import_rows, records_from_dicts
from ostsafe.prescribing.models import Prescription, Regime

DAYS = 182


class DispensingDemo:
    def __init__(self, rng: random.Random, today: date, progress):
        self.rng = rng
        self.today = today
        self.progress = progress

    def build(self):
        prescriptions = list(
            Prescription.objects.filter(pharmacy__isnull=False)
            .exclude(regime=Regime.ADMINISTERED)
            .select_related("service_user")
            .order_by("pk")
        )
        profiles = {
            p.pk: self.rng.choices(["regular", "drifting", "missed_run"], weights=[88, 8, 4])[0] for p in prescriptions
        }
        self.progress(f"Dispensing: {DAYS} days for {len(prescriptions)} prescriptions")
        report = import_rows(records_from_dicts(self._rows(prescriptions, profiles)), batch_size=5000)
        self.progress(f"Dispensing: {report.created} records")
        self._appointments_and_tests(prescriptions, profiles)

    def _rows(self, prescriptions, profiles):
        start = self.today - timedelta(days=DAYS)
        for p in prescriptions:
            profile = profiles[p.pk]
            quantity = f"{p.dose_per_collection:f}"
            outcome_taken = "supervised" if p.regime == Regime.SUPERVISED_DAILY else "collected"
            for offset in range(DAYS, 0, -1):
                on = self.today - timedelta(days=offset)
                if not p.expects_dose_on(on):
                    continue
                progress = (on - start).days / DAYS
                miss_rate = {"regular": 0.03, "drifting": 0.03 + 0.35 * progress, "missed_run": 0.03}[profile]
                missed = self.rng.random() < miss_rate or (profile == "missed_run" and offset <= 4)
                yield {
                    "nhs_number": p.service_user.nhs_number,
                    "pharmacy": str(p.pharmacy_id),
                    "date": on.isoformat(),
                    "outcome": "missed" if missed else outcome_taken,
                    "quantity": "" if missed else quantity,
                    "note": "",
                }

    def _appointments_and_tests(self, prescriptions, profiles):
        appointments, tests = [], []
        for p in prescriptions:
            profile = profiles[p.pk]
            for offset in range(DAYS, 0, -14):
                on = self.today - timedelta(days=offset)
                progress = 1 - offset / DAYS
                dna = self.rng.random() < (0.08 + (0.5 * progress if profile == "drifting" else 0))
                appointments.append(
                    Appointment(
                        service_user=p.service_user,
                        kind="keywork",
                        on=on,
                        outcome=AppointmentOutcome.DID_NOT_ATTEND if dna else AppointmentOutcome.ATTENDED,
                    )
                )
                if offset % 28 == 14:
                    positive = self.rng.random() < (0.1 + (0.4 * progress if profile == "drifting" else 0))
                    tests.append(
                        TestResult(
                            service_user=p.service_user,
                            taken_on=on,
                            substance="opiates",
                            method="oral_fluid",
                            positive=positive,
                            recorded_by=p.service_user.keyworker or p.prescriber,
                        )
                    )
            upcoming = self.today + timedelta(days=self.rng.randint(1, 14))
            appointments.append(Appointment(service_user=p.service_user, kind="keywork", on=upcoming))
        # Demo bulk load: the rows are built to the same rules the services enforce (one appointment per kind per
        # day; outcomes only for past dates).
        Appointment.objects.bulk_create(appointments)
        TestResult.objects.bulk_create(tests)
        self.progress(f"Appointments: {len(appointments)}; tests: {len(tests)}")
