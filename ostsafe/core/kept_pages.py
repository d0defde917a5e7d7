"""What a family's pages work out from its records and keep for the next request: the summary at the top of every tab,
the alerts above it and the overview's own body, each kept with the family's change number (core.marks).

A keyworker opens the same families again and again in a day, and each time the page read the family with its
people, members, network, prescriptions and checklist (twenty queries) and drew it all. Now it asks the family's
number (one query) and uses what it drew last time while the number stands: no path into the tables these are
worked out from (a service, the admin, an import, raw SQL, another app server) can write without moving it. The
test that keeps this honest (core/tests/test_kept_pages.py) draws each part for a family with something in every
section and finds every table read marked.

What is kept is derived from the family's records, the day, and what the key names besides (the viewer's answers
to the gate for the actions the part offers, the language, the time zone, the script prefix), never from the
viewer otherwise: a part drawn for one practitioner is what it would draw for another with the same answers. A
part that asks the gate about an action its key does not name fails when it is drawn (`may_answers`), so a new
link in a kept part cannot show to someone it was not drawn for. Plain values only (markup is text), at most
FAMILY_PARTS_KEPT a worker, least recently used first."""

from collections.abc import Callable
from datetime import date

from django.dispatch import receiver
from django.urls import get_script_prefix
from django.utils import timezone, translation
from django.utils.autoreload import file_changed
from django.utils.safestring import SafeString, mark_safe

from ostsafe.core.kept import Kept, typed

# A worker's parts at most (three a family: on the region an overview's body is about 6,000 characters, a summary 950).
FAMILY_PARTS_KEPT = 3_000
_kept = Kept(FAMILY_PARTS_KEPT)


class MayAnswers(dict):
    """The gate's answers a kept part was drawn with ({action: allowed}); `{% may %}` reads them and refuses any
    other action: a part's key must name every answer it depends on."""

    def __missing__(self, action):
        raise KeyError(f"a kept part asked about {action!r}, which its key does not name")


def kept_for_family(
    household_id: int,
    part: str,
    *,
    number: tuple[int, int],
    as_of: date,
    work_out: Callable[[MayAnswers], object],
    answers: dict[str, bool] | None = None,
):
    """The value `work_out(answers)` gives for this family's `part` (plain data: markup, or tuples of text), kept
    with the family's change `number` (read before this is worked out: core.marks) for the day `as_of` and the
    viewer's `answers` from the gate. Raises TypeError for a value that is not plain."""
    answers = MayAnswers(answers or {})
    key = (
        part,
        household_id,
        number,
        as_of,
        tuple(sorted(answers.items())),
        translation.get_language(),
        timezone.get_current_timezone_name(),
        get_script_prefix(),
    )
    value = _kept.get(key, _kept)
    if value is _kept:
        value = work_out(answers)
        typed(value)
        _kept.keep(key, value)
    return value


def kept_markup(household_id: int, part: str, *, draw: Callable[[MayAnswers], str], **key) -> SafeString:
    """`kept_for_family` for markup that `draw(answers)` renders from a template (escaped already)."""
    return mark_safe(kept_for_family(household_id, part, work_out=lambda answers: str(draw(answers)), **key))  # nosec B308 B703


def forget_family_parts() -> None:
    _kept.clear()


@receiver(file_changed, dispatch_uid="family_parts_forgotten_when_a_template_changes")
def forget_parts_when_a_template_changes(sender, file_path, **kwargs):
    """The development server reloads a changed template without restarting: parts drawn by the old one go too."""
    if file_path.suffix == ".html":
        _kept.clear()
