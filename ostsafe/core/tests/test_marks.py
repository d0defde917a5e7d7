"""Each family's change number, moved by the database on every write to a table the caseload's kept values are
worked out from (core.marks), and the caseload's values kept until it moves (core.households.caseload_values)."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from ostsafe.core import households, marks
from ostsafe.core.households import caseload_values, forget_caseload_values
from ostsafe.core.models import HouseholdMark
from ostsafe.curiosity.models import WarningSignPolicy
from ostsafe.directory.tests.factories import LocalServiceFactory
from ostsafe.families.forms import CaseloadFilterForm
from ostsafe.families.models import Household
from ostsafe.families.selectors import caseload
from ostsafe.families.tests.factories import AdultMemberFactory, ChildContactFactory, InvolvementFactory
from ostsafe.families.views import caseload_cells
from ostsafe.plans import services as plans
from ostsafe.prescribing import services as prescribing
from ostsafe.prescribing.models import Prescription, Regime
from ostsafe.prescribing.tests.test_take_home import meet_every_check
from ostsafe.sharing import services as sharing
from ostsafe.sharing.models import Decision, DiscussionOutcome, Purpose, TeamDiscussion
from ostsafe.storage import services as storage
from ostsafe.tasks.models import Task

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


def everything_the_caseload_shows(world):
    """A family with something in every column and flag: take-home doses with every check asked, an overdue task,
    a home visit still needed, a warning sign, a refusal to share awaiting a team discussion (and one discussed)."""
    from ostsafe.curiosity.models import Flag
    from ostsafe.plans.models import PlanPolicy
    from ostsafe.visits.models import VisitPolicy

    Prescription.objects.filter(pk=world.prescription.pk).update(regime=Regime.TAKE_HOME, take_home_days=7)
    world.household.network.filter(professional=world.users["health_visitor"]).update(is_lead=True)
    meet_every_check(world)
    VisitPolicy.current().save()  # a row to write, if the service has not changed the defaults yet
    PlanPolicy.current().save()
    due = {"household": world.household, "assignee": world.users["keyworker"]}
    Task.objects.create(title="Chase the GP", due_on=TODAY - datetime.timedelta(days=3), **due)
    Task.objects.create(title="Home visit", rule="visits.home_visit_needed", due_on=TODAY, **due)
    Flag.objects.create(household=world.household, sign="attendance_change", raised_at=timezone.now(), raised_on=TODAY)
    refusals = [
        sharing.record_consent(
            household=world.household,
            service_user=world.service_user,
            recipient=world.involvement,
            purpose=purpose,
            decision=Decision.REFUSED,
            decided_on=TODAY,
            recorded_by=world.users["keyworker"],
        )
        for purpose in (Purpose.UPDATES, Purpose.ROUTINE_NOTIFICATION)
    ]
    TeamDiscussion.objects.create(
        household=world.household,
        consent=refusals[0],
        held_on=TODAY,
        outcome=DiscussionOutcome.NO_FURTHER_ACTION,
        recorded_by=world.users["manager"],
    )


def everything_the_overview_shows(world):
    """The caseload's everything, and an adult who moved out, a child in contact living elsewhere, a service in the
    network from the local map, the leaflet given, a safety plan with an action moved, a routine notification drafted,
    the warning-sign policy, and a prescription changed by its prescriber."""
    everything_the_caseload_shows(world)
    AdultMemberFactory(
        household=world.household,
        start_date=TODAY - datetime.timedelta(days=400),
        end_date=TODAY - datetime.timedelta(days=30),
    )
    ChildContactFactory(service_user=world.service_user)
    InvolvementFactory(household=world.household, service=LocalServiceFactory(), organisation_name="", name="Duty")
    storage.record_leaflet_given(service_user=world.service_user, given_on=TODAY, given_by=world.users["keyworker"])
    plan = plans.start_safety_plan(household=world.household, created_by=world.users["keyworker"], created_on=TODAY)
    action = plans.add_plan_action(
        plan=plan,
        expectation="Keep the box locked and out of reach",
        why="A child can open a bottle",
        owner="Parent",
        due_on=TODAY + datetime.timedelta(days=14),
        added_by=world.users["keyworker"],
        as_of=TODAY,
    )
    plans.change_plan_action(
        action=action,
        changed_by=world.users["keyworker"],
        reason="The family asked for a week more",
        on=TODAY,
        due_on=TODAY + datetime.timedelta(days=21),
    )
    sharing.draft_routine_notification(consent=world.consent, drafted_by=world.users["keyworker"])
    WarningSignPolicy.current().save()  # a row to write, if the service has not changed the defaults yet
    prescribing.change_prescription(
        prescription=world.prescription,
        changed_by=world.users["prescriber"],
        daily_dose=world.prescription.daily_dose - 1,
    )


def rows_of(user):
    return list(caseload(user, CaseloadFilterForm({}, default_scope="mine").filters())[:50])


def rows_shown(client) -> str:
    page = client.get(reverse("families:caseload")).content.decode()
    return page[page.index("<tbody") : page.index("</tbody>")]


def tables_read(queries) -> set[str]:
    return {table for q in queries for table in re.findall(r'(?:FROM|JOIN)\s+"(\w+)"', q["sql"])}


def test_every_table_a_kept_caseload_value_is_worked_out_from_moves_its_familys_number(world):
    everything_the_caseload_shows(world)
    rows = rows_of(world.users["keyworker"])
    with CaptureQueriesContext(connection) as reads:
        cells, columns, flags = caseload_values(rows, TODAY, cells=caseload_cells)
    # Every cell, column and flag had something to say about the family, so every loader read what it reads.
    children, contact = dict(cells[world.service_user.pk].children), dict(cells[world.service_user.pk].contact)
    assert children["kids"] and children["contacts"] and contact["leads"]
    assert all(values.get(world.service_user.pk) for _, values in columns)
    assert all(values.get(world.household.pk) for _, values in flags)
    read = tables_read(reads.captured_queries) - {"core_householdmark"}
    assert read <= marks.marked_tables(), "read but not marked"
    assert marks.marked_tables() <= marks.installed(), "marked but without the trigger"


def _household_of(instance, path):
    if path is None:
        return marks.EVERY_FAMILY
    if not path:
        return instance.pk
    *steps, last = path.split("__")
    for step in steps:
        instance = getattr(instance, step)
    return getattr(instance, f"{last}_id")


def test_a_write_by_any_path_moves_the_number_of_the_family_the_row_belongs_to(world):
    everything_the_overview_shows(world)
    quote = connection.ops.quote_name
    for table in sorted(marks.marked_tables()):
        marked = marks._MARKED[table]
        row = marked.model._default_manager.order_by("pk").first()
        assert row is not None, f"the world has no {table} row to write"
        family = _household_of(row, marked.household)
        before = marks.changes_of([family])[family][0]
        with connection.cursor() as cursor:  # as another app server, the admin or a bulk update would: raw SQL
            key = quote(marked.model._meta.pk.column)
            column = quote(marked.columns[0]) if marked.columns else key  # a table marked for some fields: one of them
            cursor.execute(f"UPDATE {quote(table)} SET {column} = {column} WHERE {key} = %s", [row.pk])  # nosec B608
        assert marks.changes_of([family])[family][0] > before, f"an update of {table} did not move family {family}"


def test_adding_and_deleting_a_row_move_its_familys_number(world):
    family = world.household.pk
    numbers = [marks.changes_of([family])[family][0]]
    task = Task.objects.create(title="Call", household=world.household, assignee=world.users["keyworker"], due_on=TODAY)
    numbers.append(marks.changes_of([family])[family][0])
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM tasks_task WHERE id = %s", [task.pk])
    numbers.append(marks.changes_of([family])[family][0])
    assert numbers[0] < numbers[1] < numbers[2]


def test_a_family_moving_house_moves_both_families_numbers(world):
    from ostsafe.families.tests.factories import HouseholdFactory

    new = HouseholdFactory(team=world.household.team)
    before = marks.changes_of([world.household.pk, new.pk])
    world.service_user.household = new
    world.service_user.save()
    after = marks.changes_of([world.household.pk, new.pk])
    assert after[world.household.pk][0] > before[world.household.pk][0] and after[new.pk][0] > before[new.pk][0]


def test_the_caseload_keeps_a_familys_values_until_the_database_says_it_changed(client, world):
    everything_the_caseload_shows(world)
    client.force_login(world.users["keyworker"])
    first = rows_shown(client)
    with CaptureQueriesContext(connection) as again:
        assert rows_shown(client) == first
    assert "Take-home: 7 days" in first and "Take-home checks not met" not in first
    assert not {"visits_storagecheck", "curiosity_flag", "sharing_consent"} & tables_read(again.captured_queries)
    # Storage found unsatisfactory, written as any other process would write it: the next page shows it.
    with connection.cursor() as cursor:
        cursor.execute("UPDATE visits_storagecheck SET satisfied = %s", [False])
    now = rows_shown(client)
    assert "Take-home checks not met" in now and "storage seen (not only claimed) and satisfactory" in now


def test_a_policy_every_family_depends_on_moves_every_familys_values(client, world):
    everything_the_caseload_shows(world)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE visits_storagecheck SET satisfied = %s", [False])
    client.force_login(world.users["keyworker"])
    assert "satisfactory in the last 91 days" in rows_shown(client)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE visits_visitpolicy SET storage_check_valid_days = 30")
    assert "satisfactory in the last 30 days" in rows_shown(client)


def test_what_only_evidence_reads_is_not_kept(world):
    everything_the_caseload_shows(world)
    rows = rows_of(world.users["keyworker"])
    kept = caseload_values(rows, TODAY, cells=caseload_cells)
    with connection.cursor() as cursor:  # nothing marks these: the kept values must not hold them
        cursor.execute(
            "UPDATE accounts_user SET email = 'renamed' || id || '@example.org', last_login = %s", [timezone.now()]
        )
        cursor.execute("UPDATE accounts_organisation SET name = 'Renamed service ' || id")
    forget_caseload_values()
    assert caseload_values(rows_of(world.users["keyworker"]), TODAY, cells=caseload_cells) == kept


def test_a_kept_row_is_what_working_it_out_again_gives(world):
    everything_the_caseload_shows(world)
    rows = rows_of(world.users["keyworker"])
    kept = caseload_values(rows, TODAY, cells=caseload_cells)
    assert caseload_values(rows, TODAY, cells=caseload_cells) == kept
    forget_caseload_values()
    assert caseload_values(rows, TODAY, cells=caseload_cells) == kept
    tomorrow = caseload_values(rows, TODAY + datetime.timedelta(days=1), cells=caseload_cells)
    assert tomorrow != kept  # the task due today is overdue tomorrow: a new day works everything out again


def test_only_plain_values_are_kept(world):
    column = households.CaseloadColumn("odd", "Odd", 99, "x.html", lambda rows, as_of: {r.pk: r for r in rows})
    households.register_caseload_column(column)
    try:
        with pytest.raises(TypeError, match="only plain values are kept"):
            caseload_values(rows_of(world.users["keyworker"]), TODAY, cells=caseload_cells)
    finally:
        del households._COLUMNS["odd"]


def test_renaming_a_lead_practitioner_shows_on_every_caseload_and_signing_in_moves_nothing(client, world):
    everything_the_caseload_shows(world)
    client.force_login(world.users["keyworker"])
    assert escape(world.users["health_visitor"].full_name) in rows_shown(client)
    family = world.household.pk
    before = marks.changes_of([family])[family]
    client.force_login(world.users["health_visitor"])  # a sign-in writes the person's last_login
    assert marks.changes_of([family])[family] == before
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE accounts_user SET full_name = 'Renamed Visitor' WHERE id = %s", [world.users["health_visitor"].pk]
        )
    assert marks.changes_of([family])[family][1] > before[1]
    client.force_login(world.users["keyworker"])
    assert "Renamed Visitor" in rows_shown(client)


def test_a_queryset_of_families_reads_each_familys_change_number_and_every_familys_in_the_same_query(world):
    unmarked = Household.objects.create(name="Never written to since", team=world.household.team)
    HouseholdMark.objects.filter(household_id=unmarked.pk).delete()  # as a family from before the numbers were kept
    with CaptureQueriesContext(connection) as read:
        numbers = dict(
            marks.with_change_numbers(Household.objects.filter(pk__in=[world.household.pk, unmarked.pk])).values_list(
                "pk", "change_number"
            )
        )
    assert len(read) == 1
    assert numbers == {
        world.household.pk: marks.changes_of([world.household.pk])[world.household.pk][0],
        unmarked.pk: 0,
    }
    every = marks.with_change_numbers(Household.objects.filter(pk=unmarked.pk)).values_list("every_number", flat=True)
    assert list(every) == [marks.changes_of([unmarked.pk])[unmarked.pk][1]]
