"""URL converters. Record ids in URLs are positive 64-bit integers: a longer run of digits is a 404 at the URL
resolver, not an overflow in the database driver (or a second one while auditing the refusal)."""

MAX_ID = 2**63 - 1
ID_PATTERN = "[0-9]{1,18}"


class IdConverter:
    regex = ID_PATTERN

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(int(value))


def parse_id(value) -> int | None:
    """A record id from a query string or form (`?planned=12`), or None when it is not one."""
    text = str(value or "").strip()
    if not text.isascii() or not text.isdigit() or len(text) > 18:
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None
