"""CSV for people to open in a spreadsheet: every file OST Safe offers for download is written here.

Safe from formula injection: defusedcsv (a kept library) neutralises cells that begin with = + - @ | %; OWASP's CSV
injection guidance also lists a leading tab and carriage return, which the library leaves alone, so those cells get
the same apostrophe. UTF-8 with a byte-order mark, so Excel reads names with accents correctly.
"""

from collections.abc import Iterable

from defusedcsv import csv
from django.http import HttpResponse

BOM = "\ufeff"


def _cell(value):
    if isinstance(value, str) and value[:1] in ("\t", "\r"):
        return "'" + value
    return value


def csv_response(filename: str, header: list[str], rows: Iterable[Iterable]) -> HttpResponse:
    """A download of `rows` under `header`, as `filename`."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write(BOM)
    writer = csv.writer(response)
    writer.writerow(header)
    for row in rows:
        writer.writerow([_cell(value) for value in row])
    return response
