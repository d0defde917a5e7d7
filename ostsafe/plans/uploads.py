"""Scans of agreements signed on paper: PDF or image only, checked by their first bytes, and size-limited."""

import uuid

from django.core.exceptions import ValidationError

MAX_SCAN_BYTES = 5 * 1024 * 1024
SIGNATURES = {
    b"%PDF-": "application/pdf",
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
}
EXTENSIONS = {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg"}


def scan_content_type(head: bytes) -> str | None:
    return next((kind for magic, kind in SIGNATURES.items() if head.startswith(magic)), None)


def stored_name(kind: str) -> str:
    """The name a scan is stored under: generated, never the uploader's, with the extension of what its first bytes
    say it is (a PDF-headed HTML file called evil.html is stored as ....pdf and served as a PDF)."""
    return f"{uuid.uuid4().hex}{EXTENSIONS[kind]}"


def validate_scan(upload) -> str:
    if upload is None:
        raise ValidationError("Choose the scan of the signed agreement")
    if upload.size > MAX_SCAN_BYTES:
        raise ValidationError("The scan must be smaller than 5 MB")
    head = upload.read(8)
    upload.seek(0)
    kind = scan_content_type(head)
    if kind is None:
        raise ValidationError("The scan must be a PDF, PNG or JPG")
    return kind
