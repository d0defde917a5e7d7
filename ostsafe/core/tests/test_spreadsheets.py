"""Every CSV the system offers is safe to open in a spreadsheet, whatever a practitioner typed."""

import csv as plain_csv
import io
import re

from hypothesis import given
from hypothesis import strategies as st

from ostsafe.core.spreadsheets import csv_response

DANGEROUS = ("=", "+", "-", "@", "\t", "\r", "|", "%")


@given(st.lists(st.text(max_size=30), min_size=1, max_size=5))
def test_no_cell_read_back_can_start_a_formula(cells):
    text = csv_response("x.csv", ["h"] * len(cells), [cells]).content.decode("utf-8").lstrip("\ufeff")
    [_, row] = list(plain_csv.reader(io.StringIO(text, newline="")))
    for written, read in zip(cells, row, strict=True):
        if read[:1] in DANGEROUS:
            # Only a plain number may start with a minus sign.
            assert re.fullmatch(r"-?[0-9,.]+", read), (written, read)
