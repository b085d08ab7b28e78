"""The layout the dialogs with many fields share: a label left, a compact field right."""

from __future__ import annotations

from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Label

FORM_HINT = "Enter or ctrl+s save · Tab next field · Esc cancel"

_FORM_CSS = """
SCREEN { align: center middle; }
SCREEN > #dialog {
    width: 70; max-width: 100%; height: auto; max-height: 100%;
    border: round $primary; background: $surface; padding: 0 1;
}
SCREEN .title { dock: top; text-style: bold; padding-bottom: 1; }
SCREEN #fields { height: auto; max-height: 100%; }
SCREEN #foot { dock: bottom; height: auto; padding-top: 1; }
SCREEN .field { height: 1; margin-right: 1; }
SCREEN .field > Label { width: 15; color: $text-muted; }
SCREEN .field:focus-within > Label { color: $text; text-style: bold reverse; }
SCREEN .field > Input { width: 1fr; }
SCREEN .field > Select { width: 1fr; }
SCREEN #error { color: $error; text-style: bold; height: auto; display: none; }
SCREEN #error.shown { display: block; }
SCREEN .hint { color: $text-muted; }
"""


def form_css(screen: str) -> str:
    """The shared form layout, scoped to one screen class: label left, compact field right."""
    return _FORM_CSS.replace("SCREEN", screen)


def field_row(label: str, widget: Widget) -> Horizontal:
    return Horizontal(Label(label), widget, classes="field")
