"""The safe storage leaflet, as a PDF (WeasyPrint), in plain English with the service's name and contact details."""

from django.template.loader import render_to_string
from weasyprint import HTML

from .messages import MUST_SHARE


def render_leaflet(*, organisation) -> bytes:
    html = render_to_string("storage/leaflet.html", {"organisation": organisation, "points": MUST_SHARE})
    return HTML(string=html).write_pdf()
