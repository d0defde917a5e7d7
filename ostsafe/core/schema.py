"""The OpenAPI schema: every operation also documents the refusals it can answer with."""

from django.core.exceptions import FieldDoesNotExist
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.plumbing import build_basic_type, build_object_type
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers

_DETAIL = build_object_type(properties={"detail": build_basic_type(OpenApiTypes.STR)}, required=["detail"])
_MESSAGES = {"type": "array", "items": build_basic_type(OpenApiTypes.STR)}
_FIELD_MESSAGES = {
    **build_object_type(
        additionalProperties={
            "oneOf": [
                _MESSAGES,
                # A body that cannot be read at all: {"detail": "JSON parse error ..."}.
                build_basic_type(OpenApiTypes.STR),
                # A field holding records (the children observed at a visit): each record's fields and messages.
                {"type": "object", "additionalProperties": {}},
                {"type": "array", "items": {"type": "object", "additionalProperties": {}}},
            ]
        },
    ),
    "description": "Each field that is wrong, with messages a practitioner can act on (non_field_errors for the rest)",
}


def _model_field(field):
    model = getattr(getattr(field.parent, "Meta", None), "model", None)
    if model is None or not isinstance(field.source, str) or "." in field.source:
        return None
    try:
        return model._meta.get_field(field.source)
    except FieldDoesNotExist:
        return None


class AutoSchema(SpectacularAutoSchema):
    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        """A model field that may be blank answers "" when it is: DRF drops allow_blank from read-only fields, so the
        schema would promise a choice or an email address that an empty value does not match."""
        model_field = _model_field(field) if field.read_only else None
        blank = getattr(field, "allow_blank", False) or bool(getattr(model_field, "blank", False))
        if blank and isinstance(field, serializers.ChoiceField | serializers.CharField):
            field.allow_blank = True
        return super()._map_serializer_field(field, direction, bypass_extensions)

    def get_override_parameters(self):
        """A family list's filters (core.api.HouseholdRecordsReadViewSet.id_filters), as query parameters."""
        parameters = list(super().get_override_parameters())
        view = self.view
        if getattr(view, "action", None) == "list" and hasattr(view, "id_filters"):
            for name in view.id_filters():
                readable = name.replace("_", " ")
                parameters.append(OpenApiParameter(name, int, description=f"Only the records of this {readable} (id)"))
            described = getattr(view, "other_filter_descriptions", {})
            for name in view.other_filters:
                parameters.append(OpenApiParameter(name, str, description=described.get(name, "")))
        return parameters

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        refusals = {
            "401": ("Not signed in, or the API token is not valid, has expired or was revoked", _DETAIL),
            "403": ("Your role, or this family's record, does not allow it", _DETAIL),
        }
        if self.method in ("POST", "PUT", "PATCH"):
            refusals["400"] = ("The request is not valid: nothing was saved", _FIELD_MESSAGES)
        elif self.method == "GET" and self._get_filter_parameters() + self.get_override_parameters():
            # A filter or a date in the query string that is not one: its message, field by field.
            refusals["400"] = ("A filter in the query string is not valid", _FIELD_MESSAGES)
        if "{" in self.path:
            refusals["404"] = ("No such record", _DETAIL)
        elif self.method == "GET" and self._is_list_view() and getattr(self.view, "pagination_class", None):
            refusals["404"] = ("No such page", _DETAIL)
        for code, (description, schema) in refusals.items():
            if code not in responses:
                responses[code] = {
                    "description": description,
                    "content": {"application/json": {"schema": schema}},
                }
        return dict(sorted(responses.items()))
