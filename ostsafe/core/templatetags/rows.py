"""`{% row "template" name=value ... %}`, or `{% row "template" values %}` with a dict of them, their (name, value)
pairs or a named tuple: one row of a long list, drawn once for the values it is given and kept.

A list page draws the same rows again and again (a keyworker's tasks, a team's, a caseload) and drawing them is much
of its time: a template looks up every `task.household.name` through the ORM's descriptors. The row's template
sees only the values the tag names (not the request, the user or anything else of the page) and each value is
plain data (text, a number, a date, true or false, nothing, or a tuple of these), so the same values always draw
the same markup: the markup kept for them is the markup the template draws now, whoever asks and whenever. Nothing
is kept about a record: a changed title, due date or family name is a different key, drawn afresh. The key also
holds what drawing depends on besides the values (the language, the time zone, the script prefix), and each
process keeps at most ROWS_KEPT rows, the least recently used going first: derived markup, not state, so app
servers stay interchangeable."""

from django import template
from django.dispatch import receiver
from django.template.loader import get_template
from django.urls import get_script_prefix
from django.utils import timezone, translation
from django.utils.autoreload import file_changed

from ostsafe.core.kept import Kept, is_plain, typed

register = template.Library()

ROWS_KEPT = 10_000


kept = Kept(ROWS_KEPT)


@receiver(file_changed, dispatch_uid="rows_forgotten_when_a_template_changes")
def forget_rows_when_a_template_changes(sender, file_path, **kwargs):
    """The development server reloads a changed template without restarting: rows drawn by the old one go too."""
    if file_path.suffix == ".html":
        kept.clear()


@register.simple_tag
def row(template_name: str, values: dict | tuple = (), **named):
    # A named tuple (a list's row read as plain values) gives its fields by name; a dict or (name, value) pairs theirs.
    values = {**(values._asdict() if hasattr(values, "_asdict") else dict(values)), **named}
    try:
        key_values = tuple(sorted((name, typed(value)) for name, value in values.items()))
    except TypeError:
        refused = next(name for name, value in values.items() if not is_plain(value))
        raise TypeError(f"{{% row %}} takes plain values; {refused} is a {type(values[refused]).__name__}") from None
    key = (
        template_name,
        key_values,
        translation.get_language(),
        timezone.get_current_timezone_name(),
        get_script_prefix(),
    )
    markup = kept.get(key)
    if markup is None:
        markup = get_template(template_name).render(values)
        kept.keep(key, markup)
    return markup
