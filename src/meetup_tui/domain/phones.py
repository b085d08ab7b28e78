"""When two written phone numbers are one number: "07700 900123" and "+44 7700 900123".

phonenumbers reads a number as its country code and national number.  A number written
without a country code is read with the region the user's locale names (LANG=en_GB.UTF-8:
GB), else its country stays unknown; two numbers are the same when their national numbers
match and their countries do not differ (an unknown country matches any).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class PhoneKey:
    country: int | None  # the country calling code, None when the number does not say
    national: str  # the national significant number, digits only


def locale_region(environ: dict[str, str] | None = None) -> str | None:
    """The two-letter region of the user's locale (LC_ALL, LC_CTYPE, LANG), or None."""
    env = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_CTYPE", "LANG"):
        match = re.match(r"^[a-z]{2,3}_([A-Z]{2})\b", env.get(name, ""))
        if match:
            return match.group(1)
    return None


def phone_key(text: str, region: str | None) -> PhoneKey | None:
    """The number `text` names, or None when it holds no digits worth comparing."""
    import phonenumbers  # 20 ms: only the commands that compare numbers pay for it

    cleaned = text.strip().removeprefix("tel:")
    if cleaned.startswith("00"):  # the international prefix most of the world dials
        cleaned = "+" + cleaned[2:]
    try:
        number = phonenumbers.parse(cleaned, region)
    except phonenumbers.NumberParseException:
        digits = re.sub(r"\D", "", cleaned).lstrip("0")
        return PhoneKey(None, digits) if len(digits) >= 5 else None
    if not number.national_number:
        return None
    national = ("0" * (number.number_of_leading_zeros or 0) if number.italian_leading_zero else "") + str(
        number.national_number
    )
    known = cleaned.startswith("+") or region is not None
    return PhoneKey(number.country_code if known else None, national)


def same_number(a: PhoneKey, b: PhoneKey) -> bool:
    return a.national == b.national and (a.country is None or b.country is None or a.country == b.country)
