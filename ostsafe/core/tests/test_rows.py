"""A list's rows drawn once for their values and kept (`{% row %}`, ostsafe/core/templatetags/rows.py): what is kept
is what the row's template draws now for the same values, and nothing else of the page reaches it."""

import datetime
from pathlib import Path

import pytest
from django.template import engines
from django.template.loader import get_template
from django.urls import set_script_prefix
from django.utils import timezone, translation
from django.utils.autoreload import file_changed
from django.utils.safestring import mark_safe

from ostsafe.core.templatetags import rows

ROW = "core/components/task_row.html"
VALUES = {
    "pk": 7,
    "household_id": 3,
    "title": "Check the lockable box",
    "detail": "",
    "rule": "storage.not_satisfied",
    "made_by": "",
    "family": "The Carters",
    "service_user": "Amy Carter",
    "due_on": datetime.date(2026, 11, 30),
    "today": datetime.date(2026, 12, 1),
    "show_assignee": True,
    "assignee": "Sam Keyworker",
}


def draw(template_text, **context):
    return engines["django"].from_string("{% load rows %}" + template_text).render(context)


def test_a_kept_row_is_what_its_template_draws_for_the_same_values():
    drawn = rows.row(ROW, **VALUES)
    assert drawn == get_template(ROW).render(VALUES)
    assert rows.row(ROW, **VALUES) == drawn
    assert "Overdue" in drawn and "The Carters" in drawn and "/households/3/tasks/7/" in drawn


@pytest.mark.parametrize(
    "change, shown, gone",
    [
        ({"title": "Visit the home"}, "Visit the home", "Check the lockable box"),
        ({"family": "The Patels"}, "The Patels", "The Carters"),
        ({"assignee": "Jo Other"}, "Jo Other", "Sam Keyworker"),
        ({"due_on": datetime.date(2026, 12, 2)}, "2 Dec 2026", "Overdue"),
        ({"today": datetime.date(2026, 11, 29)}, "30 Nov 2026", "Overdue"),
    ],
)
def test_a_changed_value_draws_the_row_afresh(change, shown, gone):
    rows.row(ROW, **VALUES)
    drawn = rows.row(ROW, **{**VALUES, **change})
    assert shown in drawn and gone not in drawn


def test_values_equal_in_python_but_drawn_differently_are_kept_apart():
    # Marked-safe text equals the same text unescaped, and True == 1: the key holds each value's type.
    escaped = rows.row(ROW, **{**VALUES, "title": "<b>x</b>"})
    assert "&lt;b&gt;x&lt;/b&gt;" in escaped
    assert "<b>x</b>" in rows.row(ROW, **{**VALUES, "title": mark_safe("<b>x</b>")})
    assert rows.row(ROW, **{**VALUES, "rule": 1, "title": 1}) != rows.row(
        ROW, **{**VALUES, "rule": True, "title": True}
    )


def test_a_row_is_given_plain_values_only_so_nothing_else_can_change_it(world):
    with pytest.raises(TypeError, match="family is a Household"):
        rows.row(ROW, **{**VALUES, "family": world.household})
    with pytest.raises(TypeError, match="title is a list"):
        rows.row(ROW, **{**VALUES, "title": ["a"]})


def test_a_row_does_not_see_the_page_it_is_drawn_on():
    # The page's own variables (the signed-in user, a request) are not the row's: only the values the tag names.
    page = draw('{% row "core/components/task_row.html" pk=7 household_id=3 title=t %}', t="Title", user="Someone")
    assert "Someone" not in page and "Title" in page


def test_what_drawing_depends_on_besides_the_values_is_part_of_the_key():
    moment = {**VALUES, "due_on": datetime.datetime(2026, 6, 30, 23, 30, tzinfo=datetime.UTC)}
    with timezone.override("Europe/London"):
        london = rows.row(ROW, **moment)
    with timezone.override("UTC"):
        utc = rows.row(ROW, **moment)
    assert "1 Jul 2026" in london and "30 Jun 2026" in utc
    try:
        set_script_prefix("/ostsafe/")
        assert "/ostsafe/households/3/" in rows.row(ROW, **VALUES)
    finally:
        set_script_prefix("/")
    assert "/ostsafe/" not in rows.row(ROW, **VALUES)
    with translation.override("cy"):
        rows.row(ROW, **VALUES)
    assert {key[2] for key in rows.kept.entries} >= {"cy", "en-gb"}


def test_values_inside_a_tuple_are_kept_apart_by_type_too():
    kids = "{% for c in kids %}{{ c }};{% endfor %}"
    template = engines["django"].from_string(kids)
    assert rows.typed(("2 years", True)) != rows.typed(("2 years", 1))
    assert template.render({"kids": ("2 years", True)}) != template.render({"kids": ("2 years", 1)})


def test_a_process_keeps_a_bounded_number_of_rows_the_least_recently_used_going_first():
    assert rows.kept.size == rows.ROWS_KEPT
    few = rows.Kept(2)
    few.keep("a", "A")
    few.keep("b", "B")
    assert few.get("a") == "A"  # a is now the more recently used
    few.keep("c", "C")
    assert few.get("b") is None and few.get("a") == "A" and few.get("c") == "C"


def test_rows_drawn_by_a_template_that_changed_in_development_are_forgotten():
    rows.row(ROW, **VALUES)
    assert rows.kept.entries
    file_changed.send(sender=None, file_path=Path("ostsafe/core/templates/core/components/task_row.html"))
    assert not rows.kept.entries


def test_a_named_tuple_gives_its_fields_by_name_and_draws_as_the_same_values_named_one_by_one():
    from ostsafe.tasks.selectors import TaskRow

    task = TaskRow(**{name: VALUES[name] for name in TaskRow._fields})
    named = rows.row(ROW, **VALUES)
    rows.kept.clear()
    assert rows.row(ROW, task, today=VALUES["today"], show_assignee=True) == named
