"""Template helpers for GOV.UK Frontend markup."""

import datetime

from django import template
from django.forms import BoundField
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from ostsafe.core import access
from ostsafe.core.forms import GovukDateWidget

register = template.Library()

_WIDTHS = {"day": 2, "month": 2, "year": 4}


@register.filter
def govuk_describedby(field: BoundField) -> str:
    ids = []
    if field.help_text:
        ids.append(f"{field.auto_id}-hint")
    if field.errors:
        ids.append(f"{field.auto_id}-error")
    return " ".join(ids)


@register.filter
def govuk_date_parts(field: BoundField):
    value = field.field.widget.format_value(field.value())
    return [(part, value.get(part, ""), _WIDTHS[part]) for part in GovukDateWidget.parts]


@register.filter
def govuk_input_width(field: BoundField) -> str:
    width = field.field.widget.attrs.get("govuk_width")
    return f" govuk-input--width-{width}" if width else ""


@register.filter
def error_anchor(field: BoundField) -> str:
    """Where the error summary should link: the first input of the field (GOV.UK error summary pattern)."""
    widget_type = field.widget_type
    if widget_type == "govukdate":
        return f"{field.auto_id}-day"
    if widget_type in {"radioselect", "checkboxselectmultiple"}:
        return f"{field.auto_id}_0"
    return field.auto_id


@register.simple_tag
def govuk_tag(text: str, colour: str = "") -> str:
    """GOV.UK Frontend's tag: `<strong class="govuk-tag govuk-tag--red">Overdue</strong>`. Built here, not by an
    inclusion tag's template: lists draw one on most rows, at 24 µs each that way against 3."""
    if colour:
        return format_html('<strong class="govuk-tag govuk-tag--{}">{}</strong>', colour, text)
    return format_html('<strong class="govuk-tag">{}</strong>', text)


@register.filter
def plain_date(value, style: str = "j F Y"):
    """A date kept as ISO text ("2026-11-03", in a JSON field or a change log) in words ("3 November 2026"); any
    other text as it is. Pages never show ISO dates."""
    try:
        return date_format(datetime.date.fromisoformat(str(value)), style)
    except ValueError:
        return value


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.simple_tag(takes_context=True)
def may(context, action: str, household) -> bool:
    """{% may "prescription.edit" household as can_prescribe %}: the gate's answer, for a template that another app
    contributes to a family page (it is not handed the page's own permissions). In a part of the page that is kept
    for the family (core.kept_pages), the answers the part was drawn with, which its key names."""
    if "may_answers" in context:
        return context["may_answers"][action]
    return access.can(context["request"].user, action, household)


# GOV.UK components -------------------------------------------------------------------------------------------------
# One template each under core/components/, so a page names the component and never writes its markup by hand.


@register.inclusion_tag("core/components/button.html")
def govuk_button(text, href="", variant="", name="", value="", hidden="", classes="", formnovalidate=False) -> dict:
    """{% govuk_button "Record a home visit" href=url %} (a link that looks like a button), or a submit button:
    {% govuk_button "Missed" name="outcome" value="missed" variant="warning" hidden=su.full_name %}."""
    return locals()


@register.inclusion_tag("core/components/card_action.html")
def card_action(text, href, hidden="") -> dict:
    """One action in a summary card's title bar: {% card_action "Change" url hidden=action.expectation %}."""
    return locals()


class _SegmentsNode(template.Node):
    """A block tag whose body is split into named segments by marker tags, each rendered and handed to a component
    template: `{% summary_row %}Key{% row_value %}Value{% endsummary_row %}`."""

    def __init__(self, template_name, segments, kwargs):
        self.template_name, self.segments, self.kwargs = template_name, segments, kwargs

    def render(self, context):
        # A nodelist renders with autoescaping on: its output is already safe text, marked so for the component.
        values = {name: mark_safe(nodelist.render(context).strip()) for name, nodelist in self.segments.items()}  # nosec B308 B703
        values |= {key: value.resolve(context) for key, value in self.kwargs.items()}
        return context.template.engine.get_template(self.template_name).render(template.Context(values))


def _segmented(parser, token, template_name, first, markers, end):
    bits = token.split_contents()
    kwargs = template.base.token_kwargs(bits[1:], parser)
    segments, name = {}, first
    while True:
        segments[name] = parser.parse((*markers, end))
        marker = parser.next_token().contents
        if marker == end:
            return _SegmentsNode(template_name, segments, kwargs)
        name = markers[marker]


@register.tag
def summary_row(parser, token):
    """{% summary_row action_href=url action_text="Change" %}Key{% row_value %}Value{% endsummary_row %}, or with
    actions of its own (a form): ...{% row_actions %}<form>...</form>{% endsummary_row %}."""
    markers = {"row_value": "value", "row_actions": "actions"}
    return _segmented(parser, token, "core/components/summary_row.html", "key", markers, "endsummary_row")


@register.tag
def summary_card(parser, token):
    """{% summary_card level=3 id="row-1" %}Title{% card_actions %}{% card_action ... %}{% card_content %}...
    {% endsummary_card %} (the actions segment is optional)."""
    return _segmented(
        parser,
        token,
        "core/components/summary_card.html",
        "title",
        {"card_actions": "actions", "card_content": "content"},
        "endsummary_card",
    )
