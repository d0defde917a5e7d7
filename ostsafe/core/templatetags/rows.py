"""`{% row "template" name=value ... %}`: one row of a long list, drawn once for the values it is given and kept.

A list page draws the same rows again and again (a keyworker's tasks, a team's, a caseload) and drawing them is most
of its time: a template looks up every `task.household.name` through the ORM's descriptors. The row's template
sees only the values the tag names (not the request, the user or anything else of the page) and each value is
plain data (text, a number, a date, true or false, or nothing), so the same values always draw the same markup: the
markup kept for them is the markup the template draws now, whoever asks and whenever. Nothing is kept about a
record: a changed title, due date or family name is a different key, drawn afresh. The key also holds what drawing
depends on besides the values (the language, the time zone, the script prefix), and each process keeps at most
ROWS_KEPT rows, the least recently used going first: derived markup, not state, so app servers stay
interchangeable."""

import datetime
import functools
from decimal import Decimal

from django import template
from django.template.loader import get_template
from django.urls import get_script_prefix
from django.utils import timezone, translation

register = template.Library()

ROWS_KEPT = 10_000
PLAIN = (str, int, float, bool, Decimal, datetime.date, type(None))  # datetime is a date


@register.simple_tag
def row(template_name: str, **values):
    for name, value in values.items():
        if not isinstance(value, PLAIN):
            raise TypeError(f"{{% row %}} takes plain values; {name} is a {type(value).__name__}")
    # The type is part of the key: True == 1, and marked-safe text equals the same text unescaped.
    key = tuple(sorted((name, type(value), value) for name, value in values.items()))
    return drawn(
        template_name, key, translation.get_language(), timezone.get_current_timezone_name(), get_script_prefix()
    )


@functools.lru_cache(maxsize=ROWS_KEPT)
def drawn(template_name: str, key: tuple, language, time_zone, script_prefix) -> str:
    return get_template(template_name).render({name: value for name, _, value in key})
