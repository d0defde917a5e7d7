"""Structured logs: one JSON object a line on stdout, for a container platform's log collector."""

import json
import logging
from datetime import UTC, datetime

# Attributes every LogRecord has; anything else on a record was passed in `extra=` and is logged as a field.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """{"time", "level", "logger", "message", ...extra fields, "exception"}: a line a machine can read and a person
    can grep. Never raises on a value it cannot encode (it is written as text)."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        line.update({k: v for k, v in vars(record).items() if k not in _STANDARD and not k.startswith("_")})
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str)


class AccessFormatter(JsonFormatter):
    """gunicorn's access log as the same JSON lines: its message is already a JSON object of the request's fields
    (ostsafe/config/gunicorn.py access_log_format), merged in. No query string and no client address: a query can
    name a family, and the access log in the database is the record of who looked."""

    def format(self, record: logging.LogRecord) -> str:
        line = json.loads(JsonFormatter.format(self, record))
        try:
            fields = json.loads(line.pop("message"))
        except ValueError:
            return JsonFormatter.format(self, record)
        line.pop("args", None)
        return json.dumps({**line, "message": "request", **fields}, default=str)
