"""Validators shared by every app."""

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


def today() -> date:
    return timezone.localdate()


def validate_not_in_future(value: date) -> None:
    if value and value > today():
        raise ValidationError("Date of birth must be today or in the past", code="future")
