"""What every bulk import shares: records as tuples of text cells, CSV reading, batching, the per-row report, and the
`manage.py import_*` command loop. The pharmacy (dispensing) and monitoring (appointments) imports build on it.

A record is a tuple of cells as text in the import's field order. Rows are numbered as in the file: row 1 is the
header, so the first record is row 2.
"""

import csv
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import islice
from operator import itemgetter

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

KEEP_REJECTIONS = 1000
WHITESPACE = " \t\r\n"  # trimmed from every cell
DATE_FORMAT = r"^[12][0-9]{3}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"
BAD_DATE = "date must be a real date, like 2026-11-23"


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    batches: int = 0
    rejections: list[tuple[int, str]] = field(default_factory=list)
    # Rows rejected because they are beyond the sender's reach (another pharmacy's records): counted apart, so the
    # endpoint can write the refusal to the access log.
    refusal_reasons: frozenset[str] = frozenset()
    refused: int = 0

    @property
    def rows(self) -> int:
        return self.created + self.updated + self.unchanged + self.rejected

    def reject(self, row_number: int, reason: str):
        """Every rejection is counted; the first KEEP_REJECTIONS are kept with their reason (bounded memory)."""
        self.rejected += 1
        if reason in self.refusal_reasons:
            self.refused += 1
        if len(self.rejections) < KEEP_REJECTIONS:
            self.rejections.append((row_number, reason))

    def reject_all(self, rejections: list[tuple[int, str]]):
        """One batch's rejections, in row order."""
        for row_number, reason in sorted(rejections):
            self.reject(row_number, reason)

    def as_dict(self) -> dict:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
            "rejections": [{"row": n, "reason": r} for n, r in self.rejections],
        }


def parse_date(cell: str) -> date:
    """A date cell: exactly YYYY-MM-DD and a real day (no 30 February). ValueError with the practitioner's message."""
    cell = cell.strip(WHITESPACE)
    try:
        if not re.match(DATE_FORMAT, cell):
            raise ValueError
        return date.fromisoformat(cell)
    except ValueError:
        raise ValueError(BAD_DATE) from None


def clean(value) -> str:
    # PostgreSQL text cannot hold NUL characters; nothing a sender means is lost by dropping them.
    return "" if value is None else str(value).replace("\x00", "")


def records_from_dicts(rows: Iterable[Mapping], fields: Sequence[str]) -> Iterator[tuple[str, ...]]:
    """Records from mappings keyed by field name (JSON from an API, demo data, tests); missing keys are empty."""
    for row in rows:
        yield tuple(clean(row.get(name)) for name in fields)


def read_csv(handle, fields: Sequence[str], optional: Sequence[str] = ()) -> Iterator[tuple[str, ...]]:
    """Records from a CSV file whose header row names the columns, in any order and any case; other columns are
    ignored, and an `optional` column may be left out (its cells are empty). Raises ValueError, with the columns
    needed, when another one is missing."""
    reader = csv.reader(line.replace("\x00", "") if "\x00" in line else line for line in handle)
    header = [name.strip().lower() for name in next(reader, [])]
    missing = [f for f in fields if f not in header and f not in optional]
    if missing:
        needed = [f for f in fields if f not in optional]
        raise ValueError(f"The file has no column {', '.join(missing)}. Columns needed: {', '.join(needed)}")
    present = [name for name in fields if name in header]
    positions = [header.index(name) for name in present]
    picked = itemgetter(*positions) if len(positions) > 1 else (lambda row: (row[positions[0]],))
    if len(present) == len(fields):
        cells = picked  # the usual file: one C-level getter per row
    else:
        # A left-out optional column gives an empty cell, in its place in the record.
        slots = [present.index(name) if name in present else None for name in fields]

        def cells(row):
            got = picked(row)
            return tuple(got[i] if i is not None else "" for i in slots)

    width = max(positions) + 1
    for row in reader:
        if len(row) >= width:
            yield cells(row)
        else:  # a short row: its missing cells are empty, and the checks say what is wrong with it
            yield cells(row + [""] * (width - len(row)))


def numbered_batches(records: Iterable, size: int) -> Iterator[list[tuple[int, tuple]]]:
    numbered = enumerate(records, start=2)  # row 1 is the header
    while batch := list(islice(numbered, size)):
        yield batch


class ImportCommand(BaseCommand):
    """`manage.py import_<things> FILE`: a progress bar, one line per committed batch, then the report. Subclasses
    set `fields`, `default_batch_size` and `importer`: the import function, called as
    `importer(records, imported_by=..., batch_size=..., on_batch=...)` and returning an ImportReport."""

    fields: Sequence[str] = ()
    optional_fields: Sequence[str] = ()
    default_batch_size = 5000
    importer: Callable[..., ImportReport]  # set with staticmethod()

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--batch-size", type=int, default=self.default_batch_size)
        parser.add_argument("--as", dest="as_email", default="", help="Email of the user the import is recorded as")

    def handle(self, *args, file, batch_size, as_email, **options):
        imported_by = get_user_model().objects.filter(email=as_email.lower()).first() if as_email else None
        if as_email and imported_by is None:
            raise CommandError(f"No user with the email {as_email}")
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1")
        try:
            report = self._import_file(file, imported_by, batch_size)
        except UnicodeDecodeError:  # before ValueError, which it is a kind of
            raise CommandError("The file is not UTF-8 text. Save it as CSV UTF-8 and try again") from None
        except ValueError as error:
            raise CommandError(str(error)) from None
        except csv.Error as error:
            raise CommandError(f"The file is not CSV that can be read: {error}") from None
        updated = f"updated {report.updated}, " if report.updated else ""
        self.stdout.write(
            f"Created {report.created}, {updated}unchanged {report.unchanged}, rejected {report.rejected} "
            f"({report.batches} batches)."
        )
        for row, reason in report.rejections:
            self.stdout.write(f"  row {row}: {reason}")
        if report.rejected > len(report.rejections):
            self.stdout.write(f"  ... and {report.rejected - len(report.rejections)} more rejected rows")

    def _import_file(self, file, imported_by, batch_size: int) -> ImportReport:
        with open(file, newline="", encoding="utf-8-sig") as handle:
            # Counting the rows first also finds a file that is not UTF-8 before anything is stored.
            total = max(sum(1 for _ in handle) - 1, 0)
            handle.seek(0)
            with tqdm(total=total, unit="rows", file=sys.stderr, disable=None) as bar:
                done = {"rows": 0}

                def progress(report):
                    bar.update(report.rows - done["rows"])
                    done["rows"] = report.rows
                    # One line per committed batch, for logs and for the test that stops an import midway.
                    self.stdout.write(f"committed batch {report.batches}: {report.rows} rows, {report.created} created")
                    self.stdout.flush()

                records = read_csv(handle, self.fields, self.optional_fields)
                return self.importer(records, imported_by=imported_by, batch_size=batch_size, on_batch=progress)
