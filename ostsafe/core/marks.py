"""Each family's change number, kept by the database itself: every insert, update or delete of a row in a marked
table adds one to the number of the family the row belongs to (HouseholdMark), in the same transaction, by trigger.
A value worked out from a family's records and kept with the number it was worked out at (core.kept) is the
family's as it is now for as long as the number has not moved: no path into those tables (a service function, the
admin, a bulk update, raw SQL, another app server) can change a row without moving it.

An app registers each of its tables that kept values read, with the way from a row to its family
(`"household"`, `"service_user__household"`; `""` for the household table itself), or `None` for a table of
settings that every family's values depend on (a policy): those move the number of "every family", 0. The triggers
are (re)made after every `migrate` (post_migrate), on PostgreSQL and SQLite alike. The test that keeps this honest
(core/tests/test_marks.py) reads every table the kept values are worked out from and finds each one marked.

Read a family's number before working its values out: a change committed in between is then kept under the older
number, which the next request no longer finds (the number has moved), never the other way round."""

from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.db import connections, transaction

EVERY_FAMILY = 0


@dataclass(frozen=True)
class Marked:
    model: type
    household: str | None  # the lookup from a row to its household; None: every family's values depend on it
    columns: tuple[str, ...] = ()  # an update moves the number only if it sets one of these fields (all if empty)


_MARKED: dict[str, Marked] = {}


def mark_changes(model, *, household: str | None, fields: tuple[str, ...] = ()) -> None:
    """Register `model`'s table: every write to it moves its family's change number (every family's if None); with
    `fields`, an update moves it only if it sets one of them (a person's name, not the time they last signed in)."""
    columns = tuple(model._meta.get_field(name).column for name in fields)
    _MARKED[model._meta.db_table] = Marked(model, household, columns)


def marked_tables() -> set[str]:
    return set(_MARKED)


def changes_of(household_ids) -> dict[int, tuple[int, int]]:
    """{household id: (its change number, every family's)} for these households. One query."""
    from .models import HouseholdMark

    ids = {int(h) for h in household_ids}
    numbers = dict(
        HouseholdMark.objects.filter(household_id__in=[EVERY_FAMILY, *ids]).values_list("household_id", "version")
    )
    every = numbers.get(EVERY_FAMILY, 0)
    return {h: (numbers.get(h, 0), every) for h in ids}


def changes_by(field: str) -> tuple[dict[object, tuple[int, int]], int]:
    """For every value of the households' `field` (a team): (how many families have it, the sum of their change
    numbers), and every family's number. One query over the households, the cheapest there is: a sum of numbers that
    only go up moves whenever one of them does, and the count moves when a family comes or goes (a family moving to
    another team moves its own number, and both teams' counts)."""
    household = apps.get_model(settings.OSTSAFE_HOUSEHOLD_MODEL)
    connection = connections[household._default_manager.db]
    quote = connection.ops.quote_name
    column = quote(household._meta.get_field(field).column)
    table, key = quote(household._meta.db_table), quote(household._meta.pk.column)
    with connection.cursor() as cursor:
        # Names from the models, the one value a parameter.
        cursor.execute(
            f"SELECT h.{column}, COUNT(*), COALESCE(SUM(m.version), 0), "  # nosec B608
            "(SELECT version FROM core_householdmark WHERE household_id = %s) "
            f"FROM {table} h LEFT JOIN core_householdmark m ON m.household_id = h.{key} GROUP BY h.{column}",
            [EVERY_FAMILY],
        )
        rows = cursor.fetchall()
    every = next((int(row[3] or 0) for row in rows), 0)
    return {value: (int(families), int(total)) for value, families, total, _ in rows}, every


def with_change_numbers(households):
    """`households` with each family's change number (`change_number`) and every family's (`every_number`), in the
    same query: read them before working the family's values out (above)."""
    from django.db.models import OuterRef, Subquery, Value
    from django.db.models.functions import Coalesce

    from .models import HouseholdMark

    def number(household):
        return Coalesce(Subquery(HouseholdMark.objects.filter(household_id=household).values("version")[:1]), Value(0))

    return households.annotate(change_number=number(OuterRef("pk")), every_number=number(EVERY_FAMILY))


# The triggers ---------------------------------------------------------------------------------------------------


def _household_of(marked: Marked, row: str, quote) -> str:
    """SQL for the household id of the trigger's `row` (NEW or OLD) of `marked`'s table."""
    if marked.household is None:
        return str(EVERY_FAMILY)
    model = marked.model
    if not marked.household:
        return f"{row}.{quote(model._meta.pk.column)}"
    first, *rest = marked.household.split("__")
    field = model._meta.get_field(first)
    value, target = f"{row}.{quote(field.column)}", field.related_model
    for name in rest:
        step = target._meta.get_field(name)
        table, key = quote(target._meta.db_table), quote(target._meta.pk.column)
        # Table and column names from the models: a trigger's body has no parameters.
        value = f"(SELECT {quote(step.column)} FROM {table} WHERE {key} = {value})"  # nosec B608
        target = step.related_model
    if target is not apps.get_model(settings.OSTSAFE_HOUSEHOLD_MODEL):
        raise ValueError(f"{model.__name__}.{marked.household} does not lead to a household")
    return value


def _postgresql(marked: Marked, quote) -> list[str]:
    table = marked.model._meta.db_table
    function = quote(f"ostsafe_mark_{table}")
    return [
        f"""CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN PERFORM ostsafe_mark({_household_of(marked, "OLD", quote)}); END IF;
    IF TG_OP <> 'DELETE' THEN PERFORM ostsafe_mark({_household_of(marked, "NEW", quote)}); END IF;
    RETURN NULL;
END $$""",
        f"DROP TRIGGER IF EXISTS ostsafe_mark ON {quote(table)}",
        f"CREATE TRIGGER ostsafe_mark AFTER INSERT OR {_update(marked, quote)} OR DELETE ON {quote(table)} "
        f"FOR EACH ROW EXECUTE FUNCTION {function}()",
    ]


_POSTGRESQL_MARK = """CREATE OR REPLACE FUNCTION ostsafe_mark(household bigint) RETURNS void LANGUAGE sql AS $$
    INSERT INTO core_householdmark (household_id, version) SELECT household, 1 WHERE household IS NOT NULL
    ON CONFLICT (household_id) DO UPDATE SET version = core_householdmark.version + 1
$$"""


def _sqlite(marked: Marked, quote) -> list[str]:
    table = marked.model._meta.db_table

    def mark(row: str) -> str:
        return (
            "INSERT INTO core_householdmark (household_id, version) "
            f"SELECT household, 1 FROM (SELECT {_household_of(marked, row, quote)} AS household) "  # nosec B608
            "WHERE household IS NOT NULL ON CONFLICT (household_id) DO UPDATE SET version = version + 1;"
        )

    statements = []
    for operation, rows in (("INSERT", ["NEW"]), (_update(marked, quote), ["OLD", "NEW"]), ("DELETE", ["OLD"])):
        name = quote(f"ostsafe_mark_{table}_{operation.split()[0].lower()}")
        statements += [
            f"DROP TRIGGER IF EXISTS {name}",
            f"CREATE TRIGGER {name} AFTER {operation} ON {quote(table)} BEGIN {' '.join(mark(r) for r in rows)} END",
        ]
    return statements


def _update(marked: Marked, quote) -> str:
    return f"UPDATE OF {', '.join(quote(c) for c in marked.columns)}" if marked.columns else "UPDATE"


def install(using: str = "default") -> None:
    """Make (or make again) every registered table's trigger, in one transaction: a write by an app server still
    serving during a deploy's `migrate` finds each table's trigger there, old or new, never neither."""
    connection = connections[using]
    quote = connection.ops.quote_name
    tables = set(connection.introspection.table_names())  # `migrate <one app>` may not have made them all yet
    marked = [m for table, m in _MARKED.items() if table in tables]
    with transaction.atomic(using=using), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext('ostsafe_mark'))")  # two migrates at once wait
            cursor.execute(_POSTGRESQL_MARK)
            statements = [s for m in marked for s in _postgresql(m, quote)]
        else:
            statements = [s for m in marked for s in _sqlite(m, quote)]
        for statement in statements:
            cursor.execute(statement)


def installed(using: str = "default") -> set[str]:
    """The tables that have the trigger now."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE t.tgname = 'ostsafe_mark'"
            )
            return {name for (name,) in cursor.fetchall()}
        cursor.execute("SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'ostsafe_mark_%'")
        found: dict[str, set[str]] = {}
        for table, name in cursor.fetchall():
            found.setdefault(table, set()).add(name.rsplit("_", 1)[1])
        return {table for table, operations in found.items() if operations == {"insert", "update", "delete"}}


def install_after_migrate(sender, using="default", **kwargs) -> None:
    install(using)
