import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from ostsafe.accounts.models import User
from ostsafe.pharmacy.imports import DEFAULT_BATCH_SIZE, import_rows, read_csv


class Command(BaseCommand):
    help = "Import dispensing records from a CSV file (docs/dispensing-import.md). Safe to run again on the same file."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE)
        parser.add_argument("--as", dest="as_email", default="", help="Email of the user the import is recorded as")

    def handle(self, *args, file, batch_size, as_email, **options):
        imported_by = User.objects.filter(email=as_email.lower()).first() if as_email else None
        if as_email and imported_by is None:
            raise CommandError(f"No user with the email {as_email}")
        with open(file, newline="", encoding="utf-8-sig") as handle:
            total = max(sum(1 for _ in handle) - 1, 0)
            handle.seek(0)
            try:
                rows = read_csv(handle)
                with tqdm(total=total, unit="rows", file=sys.stderr, disable=None) as bar:
                    done = {"rows": 0}

                    def progress(report):
                        rows_now = report.created + report.unchanged + report.rejected
                        bar.update(rows_now - done["rows"])
                        done["rows"] = rows_now
                        # One line per committed batch, for logs and for the test that stops an import midway.
                        self.stdout.write(
                            f"committed batch {report.batches}: {rows_now} rows, {report.created} created"
                        )
                        self.stdout.flush()

                    report = import_rows(rows, imported_by=imported_by, batch_size=batch_size, on_batch=progress)
            except ValueError as error:
                raise CommandError(str(error)) from None
        self.stdout.write(
            f"Created {report.created}, unchanged {report.unchanged}, rejected {report.rejected} "
            f"({report.batches} batches)."
        )
        for row, reason in report.rejections:
            self.stdout.write(f"  row {row}: {reason}")
        if report.rejected > len(report.rejections):
            self.stdout.write(f"  ... and {report.rejected - len(report.rejections)} more rejected rows")
