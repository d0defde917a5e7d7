"""Headers every page and API answer carries."""

from django.conf import settings

# Scripts only from this site's own files: no inline script anywhere. No plugins, no framing, forms post only here.
_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'{styles}; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)
# Swagger UI's page and Django's admin carry inline styles of their own (never scripts).
_INLINE_STYLES_ALLOWED = ("/api/docs/", "/admin/")


class SecurityHeadersMiddleware:
    """No family's record may stay in a browser's or proxy's cache (`Cache-Control: no-store` on everything that is
    not a static asset), and a Content Security Policy that refuses scripts injected into a page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(settings.STATIC_URL):
            return response
        response.headers["Cache-Control"] = "no-store"
        styles = " 'unsafe-inline'" if request.path.startswith(_INLINE_STYLES_ALLOWED) else ""
        response.headers["Content-Security-Policy"] = _POLICY.format(styles=styles)
        return response
