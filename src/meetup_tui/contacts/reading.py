"""A contact file, from its path to its contacts: read, decode, tell the layout, parse."""

from __future__ import annotations

from pathlib import Path

from meetup_tui.contacts.card import ContactFileError, Parsed
from meetup_tui.domain.text import visible
from meetup_tui.store import jsonfile


def read_contacts(path: Path, layout: str | None = None, mapping: dict[str, str] | None = None) -> Parsed:
    """The contacts in the file at `path`; ContactFileError (one sentence) if there are none to read.

    `layout` forces a format ("vcard", "csv", "google", "outlook", "linkedin"); `mapping` is
    `--map`: CSV column -> field (a vCard says what each field is: it is not used there).
    """
    from meetup_tui.contacts import detect

    shown = visible(str(path))
    try:
        raw = jsonfile.read_bytes(path, "a file of contacts to import")
    except jsonfile.MissingFile:
        raise ContactFileError(f"There is no file at {shown}.") from None
    except jsonfile.StoreError as exc:
        raise ContactFileError(str(exc)) from None
    text = detect.decode(raw, shown)
    layout = layout or detect.detect_format(text, name=shown)
    if layout == "vcard":
        from meetup_tui.contacts.vcard import parse_vcards

        return parse_vcards(text)
    from meetup_tui.contacts.csv_formats import parse_csv

    return parse_csv(text, layout, mapping or None)
