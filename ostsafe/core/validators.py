"""Validators shared by every app."""

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone


def nhs_number_is_valid(value: str) -> bool:
    """The NHS number's modulus-11 check (NHS Data Dictionary): weights 10..2 on the first nine digits."""
    digits = value.replace(" ", "")
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - (total % 11)
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def validate_nhs_number(value: str) -> None:
    digits = value.replace(" ", "")
    if len(digits) != 10 or not digits.isdigit():
        raise ValidationError("Enter an NHS number with 10 digits, like 943 476 5919", code="nhs_format")
    if not nhs_number_is_valid(digits):
        raise ValidationError(
            "This is not a valid NHS number: the last digit does not match. Check it against the letter or record",
            code="nhs_checksum",
        )


# A UK postcode (outward code, space, inward code), as Royal Mail formats it: AA9A 9AA, A9A 9AA, A9 9AA, A99 9AA,
# AA9 9AA, AA99 9AA.
UK_POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2}$")


def normalise_postcode(value: str) -> str:
    """Capitals, one space before the last three characters: "rv11aa" becomes "RV1 1AA"."""
    compact = "".join(value.split()).upper()
    return f"{compact[:-3]} {compact[-3:]}" if len(compact) > 3 else compact


def validate_uk_postcode(value: str) -> None:
    if not UK_POSTCODE.match(normalise_postcode(value)):
        raise ValidationError("Enter a real postcode, like RV1 1AA", code="postcode")


def today() -> date:
    return timezone.localdate()


# Guide-wide rule: something a practitioner records as having happened did not happen in the future, nor before
# records of this kind could exist. One set of validators, on the model fields, so forms, the API, imports and
# services all meet them (full_clean runs them on every path).
EARLIEST_EVENT = date(2000, 1, 1)
EARLIEST_BIRTH = date(1900, 1, 1)
PLANNING_HORIZON_DAYS = 366


def validate_happened(value: date | None) -> None:
    """A date on which something happened: today or earlier, and not before 1 January 2000."""
    if value is None:
        return
    if value > today():
        raise ValidationError("The date must be today or in the past", code="future")
    if value < EARLIEST_EVENT:
        raise ValidationError("The date must be after 1 January 2000. Check the year", code="too_early")


def validate_date_of_birth(value: date | None) -> None:
    """A date of birth: today or earlier, and after 1900."""
    if value is None:
        return
    if value > today():
        raise ValidationError("Date of birth must be today or in the past", code="future")
    if value < EARLIEST_BIRTH:
        raise ValidationError("Date of birth must be after 1 January 1900. Check the year", code="too_early")


def validate_plannable(value: date | None) -> None:
    """A date something is planned for or booked on (it may be past by now): after 2000, within a year from today."""
    if value is None:
        return
    if value < EARLIEST_EVENT:
        raise ValidationError("The date must be after 1 January 2000. Check the year", code="too_early")
    if (value - today()).days > PLANNING_HORIZON_DAYS:
        raise ValidationError("The date must be within a year from today. Check the year", code="too_late")


def validate_not_in_past(value: date, *, what: str = "The date") -> None:
    """For a new deadline or a deadline moved (not a model validator: an old deadline stays valid as it passes)."""
    if value < today():
        raise ValidationError(f"{what} must be today or later", code="past")


# Kept for the migrations that name it.
validate_not_in_future = validate_date_of_birth
