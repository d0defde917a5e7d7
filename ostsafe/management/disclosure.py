"""Disclosure control for published tables of counts (the commissioner's reports).

NDTMS public reports show counts under 5 as `*`. A small count can still be worked out from what is published
around it: a column total less the cells that are shown. So, as well as hiding each count from 1 to 4 (primary
suppression), more cells are hidden (secondary suppression) until no hidden value can be recovered exactly from the
published cells, row totals, column totals and grand total — checked, not hoped for (`recoverable`). Or, a setting,
every count is rounded to the nearest 5 instead.

What a reader knows is taken at its worst: zeros are shown (so a hidden count is at least 1), a count shown as
"fewer than 5" is from 1 to 4, and a cell hidden for the sake of another is at least 5 (it was not small itself).

How the check works. A table with its totals is a grid in which every line adds up: write row totals and column totals
negated and the grand total as it is, and each row and each column of the bordered grid sums to zero. Another table
that fits everything published differs from the true one by whole numbers on hidden cells only, whose every line
still sums to zero; such a difference splits into simple cycles that alternate +1 and -1 along rows and columns
(the grid's constraint matrix is a bipartite incidence matrix: totally unimodular). So a hidden cell can take
another value exactly when some alternating cycle through it moves every cell on it in a direction its bounds allow.
In a directed graph whose nodes are the bordered grid's rows and columns, a cell that may go up is an arc from its
column to its row, one that may go down an arc from its row to its column; the cell can go up if its row reaches its
column without it, and down if its column reaches its row.
"""

from collections import deque
from dataclasses import dataclass, field
from enum import Enum


class Hidden(Enum):
    SMALL = "fewer than 5"  # primary: a count from 1 to 4
    SECONDARY = "hidden"  # secondary: hidden so that a small count cannot be worked out


@dataclass
class Table:
    """Counts in rows and columns, with the totals to be published beside them."""

    rows: list[str]
    columns: list[str]
    counts: list[list[int]]
    row_totals: bool = True
    column_totals: bool = True
    # Row totals published elsewhere already (the families a practice applies to, in the people table): never
    # hidden here, and known to the reader.
    fixed_row_totals: bool = False

    def __post_init__(self):
        if len(self.counts) != len(self.rows) or any(len(r) != len(self.columns) for r in self.counts):
            raise ValueError("A table needs one count for every row and column")
        if any(c < 0 for r in self.counts for c in r):
            raise ValueError("Counts are never negative")
        if self.fixed_row_totals and not self.row_totals:
            raise ValueError("Fixed row totals must be published")

    def bordered(self) -> list[list[int | None]]:
        """The grid with its totals: row totals in an extra column, column totals in an extra row, the grand total in
        the corner (None where a total is not published)."""
        grid: list[list[int | None]] = [list(r) for r in self.counts]
        if self.row_totals:
            for r in grid:
                r.append(sum(r))
        if self.column_totals:
            grid.append([sum(col) for col in zip(*grid, strict=True)] if grid else [])
        return grid


@dataclass
class Published:
    """A table as it may be published: each cell an int, or a Hidden marker."""

    rows: list[str]
    columns: list[str]
    cells: list[list[int | Hidden]]  # the bordered grid (totals included, as Table.bordered lays them out)
    row_totals: bool
    column_totals: bool
    rounded_to: int | None = None
    notes: list[str] = field(default_factory=list)
    # Too small to publish at all (every way of hiding cells still gives a small count away): nothing is shown.
    withheld: bool = False

    def body(self) -> list[tuple[str, list[int | Hidden]]]:
        """Each row's label and cells (with its total last, where published)."""
        labels = [*self.rows, "Total"] if self.column_totals else self.rows
        return list(zip(labels, self.cells, strict=True))

    @property
    def header(self) -> list[str]:
        return [*self.columns, "Total"] if self.row_totals else self.columns


@dataclass(frozen=True)
class DisclosurePolicy:
    """Counts below `threshold` are hidden with secondary suppression; or, when `round_to` is set, every count is
    rounded to the nearest multiple of it and nothing is hidden."""

    threshold: int = 5
    round_to: int | None = None

    def protect(self, table: Table) -> Published:
        grid = Grid(table.bordered(), table.row_totals, table.column_totals, table.fixed_row_totals)
        if self.round_to:
            step = self.round_to
            cells = [[step * ((v + step // 2) // step) for v in row] for row in grid.values]
            return Published(
                table.rows,
                table.columns,
                cells,
                table.row_totals,
                table.column_totals,
                rounded_to=step,
                notes=[f"Every count is rounded to the nearest {step}; totals are rounded on their own."],
            )
        hidden = {
            cell: Hidden.SMALL
            for cell in grid.cells()
            if 0 < grid.value(cell) < self.threshold and not grid.is_fixed(cell)
        }
        while exposed := next((c for c in hidden if recoverable(grid, hidden, c, self.threshold)), None):
            choice = grid.next_to_hide(hidden, exposed)
            if choice is None:
                return Published(
                    table.rows,
                    table.columns,
                    [[Hidden.SECONDARY for _ in row] for row in grid.values],
                    table.row_totals,
                    table.column_totals,
                    notes=["The numbers are too small to publish without giving a small count away."],
                    withheld=True,
                )
            hidden[choice] = Hidden.SECONDARY if grid.value(choice) >= self.threshold else Hidden.SMALL
        cells = [[hidden.get((i, j), v) for j, v in enumerate(row)] for i, row in enumerate(grid.values)]
        notes = []
        if Hidden.SMALL in hidden.values():
            notes.append(f"Counts from 1 to {self.threshold - 1} are shown as “fewer than {self.threshold}”.")
        if Hidden.SECONDARY in hidden.values():
            notes.append(
                "Some larger counts are hidden too, so that a small count cannot be worked out from the totals."
            )
        return Published(table.rows, table.columns, cells, table.row_totals, table.column_totals, notes=notes)


FREE = ("free", 0)  # every line without a published total: nothing constrains how its cells add up


@dataclass(frozen=True)
class Grid:
    """A bordered grid (Table.bordered) and which of its lines add up to a published total."""

    values: list[list[int]]
    row_totals: bool
    column_totals: bool
    fixed_row_totals: bool = False

    def cells(self):
        return [(i, j) for i, row in enumerate(self.values) for j in range(len(row))]

    def value(self, cell) -> int:
        return self.values[cell[0]][cell[1]]

    def is_total(self, cell) -> tuple[bool, bool]:
        """(in the column-totals row, in the row-totals column)."""
        i, j = cell
        return (
            self.column_totals and i == len(self.values) - 1,
            self.row_totals and j == len(self.values[0]) - 1,
        )

    def is_fixed(self, cell) -> bool:
        """A row total published elsewhere, and so the grand total too (their sum: hiding it would hide nothing)."""
        _, in_total_col = self.is_total(cell)
        return self.fixed_row_totals and in_total_col

    def negated(self, cell) -> bool:
        """Row and column totals are negated, the grand total is not, so that every constrained line sums to zero."""
        in_total_row, in_total_col = self.is_total(cell)
        return in_total_row != in_total_col

    def row_node(self, i: int):
        # A row adds up to something published only where row totals are published (the totals row, only where the
        # grand total is).
        return ("r", i) if self.row_totals else FREE

    def col_node(self, j: int):
        return ("c", j) if self.column_totals else FREE

    def next_to_hide(self, hidden, exposed):
        """The cell to hide next for an exposed one: in its row or column, a total before a count in the body (a
        reader keeps every service's own figure, and loses only the sum), the smallest first; else the smallest
        anywhere."""
        i, j = exposed
        rows, cols = len(self.values), len(self.values[0])

        def best(cells):
            found = [c for c in cells if c not in hidden and self.value(c) > 0 and not self.is_fixed(c)]
            return min(found, key=lambda c: (not any(self.is_total(c)), self.value(c), c), default=None)

        return best([(i, k) for k in range(cols)] + [(k, j) for k in range(rows)]) or best(self.cells())


def _moves(grid: Grid, hidden, cell, threshold: int) -> tuple[bool, bool]:
    """Whether a hidden cell's signed value may go up and down by one within what a reader knows of it."""
    value = grid.value(cell)
    low, high = (1, threshold - 1) if hidden[cell] is Hidden.SMALL else (threshold, None)
    value_up = high is None or value + 1 <= high
    value_down = value - 1 >= low
    return (value_down, value_up) if grid.negated(cell) else (value_up, value_down)


def recoverable(grid: Grid, hidden: dict, cell, threshold: int = 5) -> bool:
    """Whether a hidden cell's value follows from everything published and what a reader knows of hidden cells."""
    arcs: dict[tuple[str, int], list[tuple[str, int]]] = {}
    for other in hidden:
        if other == cell:
            continue
        up, down = _moves(grid, hidden, other, threshold)
        row, col = grid.row_node(other[0]), grid.col_node(other[1])
        if up:
            arcs.setdefault(col, []).append(row)
        if down:
            arcs.setdefault(row, []).append(col)
    up, down = _moves(grid, hidden, cell, threshold)
    row, col = grid.row_node(cell[0]), grid.col_node(cell[1])
    if row == col:  # FREE on both sides: nothing it takes part in adds up to anything published
        return False
    can_rise = up and _reaches(arcs, row, col)
    can_fall = down and _reaches(arcs, col, row)
    return not (can_rise or can_fall)


def _reaches(arcs, start, goal) -> bool:
    seen, queue = {start}, deque([start])
    while queue:
        node = queue.popleft()
        if node == goal:
            return True
        for nxt in arcs.get(node, ()):
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return False
