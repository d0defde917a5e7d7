"""GOV.UK Frontend form rendering for Django forms: every field renders through `core/govuk/field.html`."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import DjangoTemplates

from .converters import MAX_ID
from .validators import today, validate_happened


class GovukFormRenderer(DjangoTemplates):
    form_template_name = "core/govuk/form.html"
    field_template_name = "core/govuk/field.html"


class GovukDateWidget(forms.Widget):
    """The GOV.UK date input: three boxes for day, month and year."""

    template_name = "django/forms/widgets/input.html"  # never used: core/govuk/field.html draws the three boxes
    parts = ("day", "month", "year")

    def value_from_datadict(self, data, files, name):
        return {part: (data.get(f"{name}-{part}") or "").strip() for part in self.parts}

    def value_omitted_from_data(self, data, files, name):
        return not any(f"{name}-{part}" in data for part in self.parts)

    def format_value(self, value):
        if isinstance(value, dict):
            return value
        if isinstance(value, datetime.date):
            return {"day": value.day, "month": value.month, "year": value.year}
        if isinstance(value, str) and value:
            try:
                parsed = datetime.date.fromisoformat(value)
            except ValueError:
                return {"day": "", "month": "", "year": ""}
            return {"day": parsed.day, "month": parsed.month, "year": parsed.year}
        return {"day": "", "month": "", "year": ""}


class GovukDateField(forms.Field):
    """A date entered in three parts, with the GOV.UK error messages for missing parts and impossible dates."""

    widget = GovukDateWidget

    def to_python(self, value):
        if isinstance(value, datetime.date):
            return value
        if isinstance(value, str):
            value = GovukDateWidget().format_value(value) if value else {}
        value = value or {}
        parts = {p: str(value.get(p, "")).strip() for p in GovukDateWidget.parts}
        if not any(parts.values()):
            return None
        label = self.label or "Date"
        missing = [p for p in GovukDateWidget.parts if not parts[p]]
        if missing:
            raise ValidationError(f"{label} must include a {' and a '.join(missing)}", code="incomplete")
        if not all(parts[p].isdigit() for p in parts) or len(parts["year"]) != 4:
            raise ValidationError(f"{label} must be a real date, like 27 3 2007", code="invalid")
        try:
            return datetime.date(int(parts["year"]), int(parts["month"]), int(parts["day"]))
        except ValueError:
            raise ValidationError(f"{label} must be a real date, like 27 3 2007", code="invalid") from None

    def validate(self, value):
        if value is None and self.required:
            raise ValidationError(f"Enter {(self.label or 'the date').lower()}", code="required")


def govuk_required_messages(form: forms.Form) -> None:
    """GOV.UK style 'Enter ...' / 'Select ...' messages for empty required fields."""
    for field in form.fields.values():
        label = (field.label or "").rstrip("?")
        lowered = label[:1].lower() + label[1:] if label else "a value"
        if isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
            field.error_messages["required"] = f"Select {lowered}"
        else:
            field.error_messages["required"] = f"Enter {lowered}"


class GovukModelForm(forms.ModelForm):
    """A ModelForm with GOV.UK widgets and messages: date fields as three boxes, choices as radios when short."""

    radios_up_to = 6

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in list(self.fields.items()):
            if isinstance(field, forms.DateField):
                self.fields[name] = GovukDateField(
                    label=field.label,
                    required=field.required,
                    help_text=field.help_text or "For example, 27 3 2007",
                    # A date of something that happened opens on today: it usually was today. Only where the date is
                    # asked for: an optional one left empty (discharged on, living here from) must stay empty.
                    initial=today
                    if field.required and validate_happened in self._meta.model._meta.get_field(name).validators
                    else None,
                )
                if self.instance and getattr(self.instance, name, None):
                    self.initial[name] = getattr(self.instance, name)
            elif isinstance(field, forms.TypedChoiceField | forms.ChoiceField) and not isinstance(
                field, forms.ModelChoiceField
            ):
                choices = [c for c in field.choices if c[0] != ""]
                if len(choices) <= self.radios_up_to:
                    field.choices = choices
                    field.widget = forms.RadioSelect(choices=choices)
        govuk_required_messages(self)


class IdField(forms.IntegerField):
    """A record id posted by a form (a hidden field, a filter): a positive 64-bit integer, so an absurd number is a
    form error rather than an overflow in the database."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)


def preselect_only_choice(form, name: str) -> None:
    """The only choice is chosen already (a household with one person in treatment): asked of no one twice. One
    query, and none when the form is being submitted."""
    field = form.fields[name]
    if form.is_bound or form.initial.get(name) is not None:
        return
    only = list(field.queryset[:2])
    if len(only) == 1:
        form.initial[name] = only[0].pk
