"""The parts of a family's pages kept with the family's change number (core.kept_pages): the summary at the top of
every tab, the alerts above it and the overview's body. Each is worked out only from tables that move the number,
drawn the same as it would be drawn afresh, and drawn for the viewer's answers from the gate alone."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from ostsafe.accounts.models import Organisation, Team, User
from ostsafe.core import kept_pages, marks
from ostsafe.core.kept_pages import forget_family_parts, kept_for_family
from ostsafe.core.tests.test_marks import everything_the_overview_shows, tables_read
from ostsafe.directory.models import LocalService

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()
PARTS = ("alerts", "summary", "overview")


def overview(client, world) -> str:
    """The page's main content (the layout around it holds the sign-out form's token, new for each session)."""
    page = client.get(reverse("families:household", args=[world.household.pk])).content.decode()
    return page[page.index("<main") : page.index("</main>")]


@pytest.fixture
def reads(monkeypatch):
    """{part: the tables read while it was worked out}, for every part worked out during the test."""
    found: dict[str, set[str]] = {}
    keep = kept_pages.kept_for_family

    def watched(household_id, part, *, work_out, **key):
        def working_out(answers):
            with CaptureQueriesContext(connection) as queries:
                value = work_out(answers)
            found[part] = tables_read(queries.captured_queries)
            return value

        return keep(household_id, part, work_out=working_out, **key)

    monkeypatch.setattr(kept_pages, "kept_for_family", watched)
    return found


def test_every_table_a_kept_part_of_a_family_page_is_worked_out_from_moves_its_familys_number(client, world, reads):
    everything_the_overview_shows(world)
    client.force_login(world.users["keyworker"])
    page = overview(client, world)
    # Every section had something to say, so every loader read what it reads.
    for shown in ("Take-home", "overdue", "Getting this family safe", "People who no longer live here", "Duty"):
        assert shown in page, shown
    assert 'Change<span class="govuk-visually-hidden"> prescription' not in page  # the keyworker does not prescribe
    assert set(reads) == set(PARTS)
    for part, tables in reads.items():
        assert tables - marks.marked_tables() == set(), (
            f"{part}: read but not marked: {sorted(tables - marks.marked_tables())}"
        )
    assert marks.marked_tables() <= marks.installed(), "marked but without the trigger"


def test_a_kept_part_is_what_drawing_it_afresh_gives_and_is_not_worked_out_again(client, world, reads):
    everything_the_overview_shows(world)
    client.force_login(world.users["keyworker"])
    first = overview(client, world)
    reads.clear()
    with CaptureQueriesContext(connection) as again:
        assert overview(client, world) == first
    assert reads == {}
    assert not {"prescribing_prescription", "families_householdmember", "tasks_task"} & tables_read(
        again.captured_queries
    )
    forget_family_parts()
    assert overview(client, world) == first


def test_a_write_by_any_path_shows_on_the_next_page(client, world):
    everything_the_overview_shows(world)
    client.force_login(world.users["keyworker"])
    assert "Nothing overdue" not in overview(client, world)
    with connection.cursor() as cursor:  # as another app server or the admin would write it
        cursor.execute(
            "UPDATE tasks_task SET status = 'done', completed_at = %s WHERE household_id = %s",
            [timezone.now(), world.household.pk],
        )
        cursor.execute(
            "UPDATE families_household SET name = 'The Renamed Household' WHERE id = %s", [world.household.pk]
        )
    page = overview(client, world)
    assert "Nothing overdue" in page and "The Renamed Household" in page


@pytest.mark.parametrize(
    "model, field",
    [
        (User, "full_name"),  # the keyworker, a prescriber, a lead practitioner
        (User, "email"),  # a professional's contact
        (Organisation, "name"),  # the team's service, a professional's organisation, the pharmacy
        (Team, "name"),
        (LocalService, "name"),  # a service of the local map in the network
    ],
)
def test_renaming_a_person_team_or_service_the_overview_names_shows_on_every_family(client, world, model, field):
    everything_the_overview_shows(world)
    client.force_login(world.users["keyworker"])
    before = overview(client, world)
    column = model._meta.get_field(field).column
    with connection.cursor() as cursor:  # names of people and places every family's page may show
        cursor.execute(f"UPDATE {model._meta.db_table} SET {column} = 'Renamed ' || {column}")  # nosec B608
    page = overview(client, world)
    renamed = [escape(value) for value in model.objects.values_list(field, flat=True) if escape(value[8:]) in before]
    assert renamed and all(value in page for value in renamed)


def test_signing_in_does_not_move_any_familys_number(client, world):
    family = world.household.pk
    before = marks.changes_of([family])[family]
    client.force_login(world.users["health_visitor"])  # a sign-in writes the person's last_login
    assert marks.changes_of([family])[family] == before


def test_each_viewer_sees_the_links_the_gate_gives_them_whoever_drew_the_overview_first(client, world):
    everything_the_overview_shows(world)
    change = f'href="{reverse("prescribing:edit", args=[world.household.pk, world.prescription.pk])}"'
    client.force_login(world.users["prescriber"])
    assert change in overview(client, world)
    client.force_login(world.users["keyworker"])
    as_keyworker = overview(client, world)
    assert change not in as_keyworker
    assert reverse("families:household_edit", args=[world.household.pk]) in as_keyworker
    client.force_login(world.users["prescriber"])
    assert change in overview(client, world)


def test_a_kept_part_that_asks_the_gate_about_an_action_its_key_does_not_name_fails_when_drawn(world):
    with pytest.raises(KeyError, match="its key does not name"):
        kept_for_family(
            world.household.pk,
            "test",
            number=(1, 1),
            as_of=TODAY,
            answers={"household.edit": True},
            work_out=lambda answers: answers["prescription.edit"],
        )


def test_only_plain_values_are_kept_for_a_family(world):
    with pytest.raises(TypeError):
        kept_for_family(
            world.household.pk, "test", number=(1, 1), as_of=TODAY, work_out=lambda answers: world.household
        )


def test_a_new_day_works_a_family_out_again(world):
    worked_out = []
    for day in (TODAY, TODAY, TODAY + datetime.timedelta(days=1)):
        kept_for_family(
            world.household.pk, "test", number=(1, 1), as_of=day, work_out=lambda a: worked_out.append(1) or ""
        )
    assert len(worked_out) == 2


def test_a_kept_overview_asks_fifteen_queries_fewer_and_reads_none_of_the_familys_records(client, world):
    everything_the_overview_shows(world)
    client.force_login(world.users["keyworker"])
    overview(client, world)
    with CaptureQueriesContext(connection) as cold_reads:
        forget_family_parts()
        overview(client, world)
    with CaptureQueriesContext(connection) as warm_reads:
        overview(client, world)
    assert len(warm_reads) <= len(cold_reads) - 15, (len(warm_reads), len(cold_reads))
    assert not re.search(r"prescribing_prescription|families_involvement", " ".join(q["sql"] for q in warm_reads))
