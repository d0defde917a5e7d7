"""The access log as core sees it. Core's gate and base views write to it through here; the audit app plugs its
writer in when Django starts (AuditConfig.ready), so core imports no app and the arrows point one way."""

from django.core.exceptions import ImproperlyConfigured

# Core's own events (the audit app's AuditAction names every other).
ANONYMOUS_API = "api.anonymous"


def named_out_of_reach(model_name: str) -> str:
    """An API request body named a record (of this model) beyond the caller's reach, or none at all."""
    return f"api.{model_name}.named"


def batch(audit_name: str) -> str:
    """A batch import through the API (dispensing, appointments)."""
    return f"{audit_name}.batch"


_writer = None


def register_writer(writer) -> None:
    """`writer` has record_access(...) and record_list_access(...) (ostsafe.audit.services)."""
    global _writer
    _writer = writer


def _the_writer():
    if _writer is None:
        raise ImproperlyConfigured("No access log: ostsafe.audit must be in INSTALLED_APPS")
    return _writer


def record_access(**kwargs):
    """One look at, or attempt on, a family's record (see ostsafe.audit.services.record_access)."""
    return _the_writer().record_access(**kwargs)


def record_list_access(**kwargs):
    """One event for a look at a list, naming the households it showed (see ostsafe.audit.services)."""
    return _the_writer().record_list_access(**kwargs)
