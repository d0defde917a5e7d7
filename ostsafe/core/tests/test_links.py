"""Links to record ids built from a kept template give exactly the text Django's reverse() gives
(ostsafe/core/links.py), and anything else goes to Django unchanged."""

import pytest
from django.template import engines
from django.test import override_settings
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse, set_script_prefix

from ostsafe.core import links


def _named_routes(resolver=None, namespace=""):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _named_routes(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", entry.pattern.converters


def test_every_link_to_record_ids_is_the_text_reverse_gives():
    checked = 0
    for name, converters in _named_routes():
        for ids in [(1,) * len(converters), tuple(range(7, 7 + len(converters))), (10**18 - 1,) * len(converters)]:
            try:
                expected = reverse(name, args=ids)
            except NoReverseMatch:
                with pytest.raises(NoReverseMatch):
                    links.reverse_ids(name, *ids)
                continue
            assert links.reverse_ids(name, *ids) == expected, name
            checked += 1
    assert checked > 200  # every route of the project, not a handful


def test_a_link_that_is_not_to_record_ids_goes_to_django():
    assert links.reverse_ids("management:missing", "no_assessment") == reverse(
        "management:missing", args=["no_assessment"]
    )
    with pytest.raises(NoReverseMatch):
        links.reverse_ids("families:household", -1)
    with pytest.raises(NoReverseMatch):
        links.reverse_ids("families:household", 10**18)  # longer than an id
    with pytest.raises(NoReverseMatch):
        links.reverse_ids("families:household", 1, 2)


def test_the_script_prefix_is_part_of_the_link():
    assert links.reverse_ids("families:household", 3) == "/households/3/"
    try:
        set_script_prefix("/ostsafe/")
        assert (
            links.reverse_ids("families:household", 3)
            == "/ostsafe/households/3/"
            == reverse("families:household", args=[3])
        )
    finally:
        set_script_prefix("/")


def test_a_changed_urlconf_is_not_answered_from_the_old_one():
    assert links.reverse_ids("families:household", 4) == "/households/4/"  # kept for the project's URLconf
    with override_settings(ROOT_URLCONF="ostsafe.core.tests.urls_for_links"):
        assert links.reverse_ids("moved", 4) == "/elsewhere/4/"
        with pytest.raises(NoReverseMatch):
            links.reverse_ids("families:household", 4)
    assert links.reverse_ids("families:household", 4) == "/households/4/"


def test_the_url_tag_gives_djangos_text_for_ids_and_everything_else():
    source = (
        "{% url 'tasks:complete' a b %}|{% url 'families:household' a as link %}{{ link }}|"
        "{% url 'management:missing' 'no_assessment' %}|{% url 'families:household' household_id=a %}|"
        "{% url 'families:household' s %}"
    )
    rendered = engines["django"].from_string(source).render({"a": 5, "b": 9, "s": "12"})
    assert rendered == "|".join(
        [
            reverse("tasks:complete", args=[5, 9]),
            reverse("families:household", args=[5]),
            reverse("management:missing", args=["no_assessment"]),
            reverse("families:household", kwargs={"household_id": 5}),
            reverse("families:household", args=["12"]),
        ]
    )


def test_the_url_tag_still_refuses_a_link_that_does_not_exist():
    with pytest.raises(NoReverseMatch):
        engines["django"].from_string("{% url 'families:household' a b %}").render({"a": 1, "b": 2})
