"""When the database file cannot be read: say exactly what is wrong, offer the newest good
backup read-only, or quit.  The broken file is never written over."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from meetup_tui.domain.text import visible
from meetup_tui.ui.widgets.footer import Footer


class BrokenFileApp(App[Path | None]):
    """Returns the backup to open read-only, or None to quit."""

    CSS = """
    Screen { align: center middle; }
    #box { width: 80%; max-width: 90; height: auto; border: heavy $error; padding: 1 2; }
    #what { margin-bottom: 1; }
    .hint { color: $text-muted; margin-top: 1; }
    """
    BINDINGS = [
        Binding("r", "open_backup", "Open the backup read-only", id="broken.backup"),
        Binding("q,escape", "quit", "Quit", id="broken.quit"),
    ]

    def __init__(self, message: str, backup: Path | None) -> None:
        super().__init__()
        self.message, self.backup = message, backup

    def compose(self) -> ComposeResult:
        with Vertical(id="box"):
            yield Static(Text("The database file cannot be opened", style="bold"))
            yield Static(Text(visible(self.message)), id="what")
            yield Static(
                Text("Nothing has been written to it. `meetup-tui doctor` explains more; "
                     "`meetup-tui doctor --restore BACKUP` puts a backup back.")
            )  # fmt: skip
            choices = "r open the newest good backup, read-only · q quit" if self.backup else "q quit"
            yield Static(choices, classes="hint")
        yield Footer()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return action != "open_backup" or self.backup is not None

    def action_open_backup(self) -> None:
        self.exit(self.backup)

    def action_quit(self) -> None:  # type: ignore[override]
        self.exit(None)
