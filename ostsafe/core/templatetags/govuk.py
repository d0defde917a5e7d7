"""Template helpers for GOV.UK Frontend markup."""

from django import template
from django.forms import BoundField

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


@register.inclusion_tag("core/components/tag.html")
def govuk_tag(text: str, colour: str = "") -> dict:
    return {"text": text, "colour": colour}


@register.simple_tag(takes_context=True)
def querystring_replace(context, **kwargs) -> str:
    """The current query string with some parameters changed (used by pagination and filters)."""
    query = context["request"].GET.copy()
    for key, value in kwargs.items():
        if value in (None, ""):
            query.pop(key, None)
        else:
            query[key] = value
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None
