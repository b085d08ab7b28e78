"""Text from people and files is data: make control characters visible, never obeyed."""

from __future__ import annotations

import re
import unicodedata

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def plural(count: int, word: str, many: str | None = None) -> str:
    """ "1 like", "2 likes", "3 people"."""
    return f"{count} {word if count == 1 else many or word + 's'}"


def visible(text: str) -> str:
    """`text` with terminal escapes and other control characters shown as `\\x1b` etc.

    Newlines and tabs are kept; everything else that a terminal would act on is
    rendered as its escape so "\\x1b[31mEvil" prints literally, not in red.
    """
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def one_line(text: str) -> str:
    """`visible` text folded onto one line, for list rows."""
    return " ".join(visible(text).split())


def folded(text: str) -> str:
    """`text` for matching what a person types: any case, accents off ("Ünal" -> "unal",
    "Søren" -> "soren")."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return plain.translate(_LETTERS)


# Letters that are not a base letter plus an accent, so NFKD leaves them whole.
_LETTERS = str.maketrans({"ø": "o", "đ": "d", "ł": "l", "ħ": "h", "ı": "i", "æ": "ae", "œ": "oe", "þ": "th"})
