"""Disclosure control: counts from 1 to 4 hidden, more hidden until none can be worked out, and a brute-force reader
who tries every table that fits what is published (within a window around the truth) to prove it."""

import itertools

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from ostsafe.management.disclosure import DisclosurePolicy, Grid, Hidden, Table, recoverable

WINDOW = 3  # how far from the truth the reader looks for another table (an alternative, if any, is one step away)


def bounds(kind: Hidden, threshold=5):
    return (1, threshold - 1) if kind is Hidden.SMALL else (threshold, None)


def another_table_exists(table: Table, cells, target, threshold=5) -> bool:
    """A reader's search: is there a table of counts, other than the true one in the target cell, that gives every
    published cell and total and fits what the reader knows of each hidden one? Tries every value within WINDOW of
    the truth for each hidden cell of the body, row by row, and checks the totals."""
    grid = table.bordered()
    rows, cols = len(table.rows), len(table.columns)
    body = [(i, j) for i in range(rows) for j in range(cols)]

    def allowed(cell, value):
        kind = cells[cell[0]][cell[1]]
        if not isinstance(kind, Hidden):
            return value == kind
        low, high = bounds(kind, threshold)
        return value >= low and (high is None or value <= high)

    domains = []
    for i, j in body:
        kind = cells[i][j]
        truth = grid[i][j]
        if isinstance(kind, Hidden):
            domain = [v for v in range(truth - WINDOW, truth + WINDOW + 1) if allowed((i, j), v)]
            if (i, j) == target:
                domain = [v for v in domain if v != truth]
        else:
            domain = [kind]
        domains.append(domain)

    def totals_fit(values):
        counts = [values[i * cols : (i + 1) * cols] for i in range(rows)]
        if table.row_totals:
            for i, r in enumerate(counts):
                if not allowed((i, cols), sum(r)):
                    return False
        if table.column_totals:
            for j in range(cols):
                if not allowed((rows, j), sum(r[j] for r in counts)):
                    return False
            if table.row_totals and not allowed((rows, cols), sum(map(sum, counts))):
                return False
        return True

    if target[0] >= rows or target[1] >= cols:
        # A hidden total: another table must give it a different value.
        ti, tj = target
        truth = grid[ti][tj]
        for values in itertools.product(*domains):
            counts = [values[i * cols : (i + 1) * cols] for i in range(rows)]
            bordered = Table(
                table.rows, table.columns, [list(r) for r in counts], table.row_totals, table.column_totals
            )
            if bordered.bordered()[ti][tj] != truth and totals_fit(values):
                return True
        return False
    return any(totals_fit(values) for values in itertools.product(*domains))


def hidden_cells(published):
    return [(i, j) for i, row in enumerate(published.cells) for j, v in enumerate(row) if isinstance(v, Hidden)]


tables = st.integers(1, 3).flatmap(
    lambda rows: st.integers(1, 3).flatmap(
        lambda cols: st.builds(
            Table,
            rows=st.just([f"r{i}" for i in range(rows)]),
            columns=st.just([f"c{j}" for j in range(cols)]),
            counts=st.lists(
                st.lists(st.sampled_from([0, 1, 1, 2, 3, 4, 5, 6, 7, 9, 12]), min_size=cols, max_size=cols),
                min_size=rows,
                max_size=rows,
            ),
            row_totals=st.booleans(),
            column_totals=st.booleans(),
        )
    )
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables)
def test_no_hidden_count_can_be_worked_out_from_the_published_rows_columns_and_totals(table):
    published = DisclosurePolicy().protect(table)
    if published.withheld:
        # Nothing is published: every cell hidden, and the reader is told only that the numbers are too small.
        assert all(isinstance(v, Hidden) for row in published.cells for v in row)
        assert any(0 < v < 5 for row in table.bordered() for v in row)
        return
    grid = table.bordered()
    for i, row in enumerate(published.cells):
        for j, value in enumerate(row):
            if 0 < grid[i][j] < 5:
                assert isinstance(value, Hidden), "every count from 1 to 4 is hidden"
            elif not isinstance(value, Hidden):
                assert value == grid[i][j], "what is shown is the true count"
    assume(len(table.rows) * len(table.columns) <= 6)  # the reader's search is exhaustive: keep it small
    for cell in hidden_cells(published):
        assert another_table_exists(table, published.cells, cell), f"{cell} can be worked out from {published.cells}"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables, st.data())
def test_the_check_agrees_with_a_reader_who_tries_every_table(table, data):
    """Any pattern of hidden cells (not only those protect() makes): recoverable() says a cell can be worked out
    exactly when the brute-force reader finds no other table."""
    assume(len(table.rows) * len(table.columns) <= 4)
    grid = table.bordered()
    positions = [(i, j) for i, row in enumerate(grid) for j, v in enumerate(row) if v > 0]
    assume(positions)
    chosen = data.draw(st.sets(st.sampled_from(positions), min_size=1))
    hidden = {c: Hidden.SMALL if grid[c[0]][c[1]] < 5 else Hidden.SECONDARY for c in chosen}
    cells = [[hidden.get((i, j), v) for j, v in enumerate(row)] for i, row in enumerate(grid)]
    g = Grid(grid, table.row_totals, table.column_totals)
    for cell in hidden:
        assert recoverable(g, hidden, cell) == (not another_table_exists(table, cells, cell)), (grid, hidden, cell)


def test_a_small_count_beside_a_total_hides_the_total_so_every_services_own_figure_stays():
    table = Table(["North", "South", "East"], ["Boxes"], [[3], [20], [12]], row_totals=False)
    published = DisclosurePolicy().protect(table)
    assert published.cells[0][0] is Hidden.SMALL
    assert published.cells[3][0] is Hidden.SECONDARY  # the total: 35 - 20 - 12 would give the 3 away
    assert published.cells[1][0] == 20 and published.cells[2][0] == 12


def test_with_totals_fixed_the_small_counts_and_their_partners_are_hidden_and_the_totals_stay():
    table = Table(["a", "b", "c"], ["met", "missed"], [[1, 9], [2, 12], [30, 10]], fixed_row_totals=True)
    published = DisclosurePolicy().protect(table)
    assert not published.withheld
    assert [row[-1] for row in published.cells[:3]] == [10, 14, 40]
    assert published.cells[0][:2] == [Hidden.SMALL, Hidden.SECONDARY]
    assert published.cells[1][:2] == [Hidden.SMALL, Hidden.SECONDARY]
    for cell in hidden_cells(published):
        assert another_table_exists(table, published.cells, cell)


def test_a_row_that_gives_itself_away_whatever_is_hidden_withholds_the_table():
    # 1 meeting it of 6 (total published elsewhere): hidden, the other 5 must be hidden too, and a reader who knows
    # a small count is at most 4 and a larger one at least 5 still works out 1 + 5.
    table = Table(["a", "b"], ["met", "missed"], [[1, 5], [30, 10]], fixed_row_totals=True)
    assert DisclosurePolicy().protect(table).withheld


def test_zeros_are_shown_and_large_tables_publish_as_they_are():
    published = DisclosurePolicy().protect(Table(["a", "b"], ["x", "y"], [[0, 10], [7, 0]]))
    assert published.cells == [[0, 10, 10], [7, 0, 7], [7, 10, 17]] and published.notes == []


def test_rounding_to_the_nearest_five_instead():
    published = DisclosurePolicy(round_to=5).protect(Table(["a", "b"], ["x"], [[2], [13]], row_totals=False))
    assert published.cells == [[0], [15], [15]]
    assert not hidden_cells(published) and published.rounded_to == 5 and "nearest 5" in published.notes[0]


@given(tables)
def test_rounded_tables_show_only_multiples_of_five_within_two_of_the_truth(table):
    published = DisclosurePolicy(round_to=5).protect(table)
    for shown, truth in zip(itertools.chain(*published.cells), itertools.chain(*table.bordered()), strict=True):
        assert shown % 5 == 0 and abs(shown - truth) <= 2


def test_a_table_whose_every_count_is_small_is_withheld():
    # Four counts of at least 1 under a grand total below 5: each must be 1, however the cells are hidden.
    published = DisclosurePolicy().protect(Table(["a", "b"], ["x", "y"], [[1, 1], [1, 1]]))
    assert published.withheld and "too small to publish" in published.notes[0]


def test_a_table_needs_a_count_for_every_cell():
    with pytest.raises(ValueError):
        Table(["a"], ["x", "y"], [[1]])


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables)
def test_row_totals_published_elsewhere_are_never_hidden_and_nothing_else_can_be_worked_out(table):
    assume(len(table.rows) * len(table.columns) <= 6)
    # Rows of families a practice applies to: at least 5 each (a service with fewer is left out of the table).
    counts = [row if sum(row) >= 5 else [*row[:-1], row[-1] + 5] for row in table.counts]
    fixed = Table(
        table.rows, table.columns, counts, row_totals=True, column_totals=table.column_totals, fixed_row_totals=True
    )
    published = DisclosurePolicy().protect(fixed)
    if published.withheld:
        return
    for i in range(len(fixed.rows)):
        assert published.cells[i][-1] == sum(counts[i])
    for cell in hidden_cells(published):
        assert another_table_exists(fixed, published.cells, cell), f"{cell} can be worked out from {published.cells}"
