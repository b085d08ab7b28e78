"""The meetup-tui app: one main screen that says who to contact today, and why."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import partial
from pathlib import Path

from rich.text import Text
from textual import events, on
from textual.app import App, ComposeResult, SystemCommand
from textual.containers import Container
from textual.screen import Screen
from textual.widgets import DataTable, Static

from meetup_tui.domain.book import weekly_score
from meetup_tui.domain.clock import Clock
from meetup_tui.domain.collector import collect_after_change
from meetup_tui.domain.doubles import doubles_sentences
from meetup_tui.domain.engagement import from_posts_this_week
from meetup_tui.domain.outreach import Suggestion, best_now, rank_today, talk_kind
from meetup_tui.domain.records import Person, Record
from meetup_tui.domain.settings import Settings
from meetup_tui.domain.team import is_team, next_whose, whose_words
from meetup_tui.domain.text import visible
from meetup_tui.store.database import Database, StoreError
from meetup_tui.ui.keys import MAIN_KEYS, key_help, palette_commands
from meetup_tui.ui.log_actions import LogActions
from meetup_tui.ui.people_commands import PeopleCommands
from meetup_tui.ui.person_actions import PersonActions
from meetup_tui.ui.post_actions import PostActions
from meetup_tui.ui.screens.export_screen import export_commands
from meetup_tui.ui.segment_actions import SegmentActions
from meetup_tui.ui.team_actions import TeamActions
from meetup_tui.ui.widgets.detail_panel import DetailPanel
from meetup_tui.ui.widgets.file_sync import FileSync
from meetup_tui.ui.widgets.footer import Footer
from meetup_tui.ui.widgets.log_pane import LogPane
from meetup_tui.ui.widgets.outreach_pane import OutreachPane
from meetup_tui.ui.widgets.presence_watch import PresenceWatch
from meetup_tui.ui.widgets.score_bar import ScoreBar
from meetup_tui.ui.widgets.segments_pane import SegmentsPane


class MeetupApp(PersonActions, LogActions, PostActions, SegmentActions, TeamActions, App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "meetup-tui"
    HORIZONTAL_BREAKPOINTS = [(0, "-phone"), (70, "-narrow"), (110, "-wide")]
    BINDINGS = MAIN_KEYS
    COMMANDS = App.COMMANDS | {PeopleCommands}  # the palette finds people by name too

    def __init__(
        self,
        db: Database,
        clock: Clock | None = None,
        settings: Settings | None = None,
        *,
        drawn: Callable[[], None] | None = None,
    ) -> None:
        """`drawn` is called once the first screen is drawn (see cli/commands.for_the_screen)."""
        super().__init__()
        self.drawn = drawn
        self.db = db
        self.clock = clock or Clock()
        self.settings = settings or Settings()
        self.show_all = False
        self.whose: str | None = db.user  # whose list: mine + unowned; TEAM: everyone's
        self.selected_id: str | None = None
        self.suggestions: list[Suggestion] = []
        self.deleted: list[Record] = []  # what `u` brings back, newest last
        self.last_error = ""
        self.doubles_said: set[str] = set()  # each said once a session
        self._refreshes = 0  # refreshes begun: a refresh in frames stops when a newer one begins

    # -- layout -------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield ScoreBar()
        yield Static(id="banner")
        with Container(id="body"):
            with Container(id="outreach-box", classes="pane"):
                yield OutreachPane(id="outreach")
            with Container(id="detail-box", classes="pane"):
                yield DetailPanel(id="detail")
            with Container(id="log-box", classes="pane"):
                yield LogPane(id="log")
            with Container(id="segments-box", classes="pane"):
                yield SegmentsPane(id="segments")
        yield Footer()
        yield FileSync(self.db)
        yield PresenceWatch(self.db, self.clock)

    def on_mount(self) -> None:
        titles = {
            "#outreach-box": "Today's outreach",
            "#detail-box": "Person",
            "#log-box": "Meeting log",
            "#segments-box": "Segments",
        }
        for selector, title in titles.items():
            self.query_one(selector).border_title = title
        if self.db.read_only:
            banner = self.query_one("#banner", Static)
            banner.update(Text(f"READ-ONLY: {self.db.read_only}. You can look, not change."))
            banner.add_class("-shown")
        self.refresh_panes()
        self.call_after_refresh(self._first_screen_drawn)
        self.query_one(OutreachPane).focus()
        self.select_person(self.query_one(OutreachPane).current_key())
        self.say_doubles()

    def _first_screen_drawn(self) -> None:
        if self.drawn is not None:
            self.drawn()
        self.run_worker(self._read_whole, thread=True, group="whole", exit_on_error=False)

    def _read_whole(self) -> None:
        """In a worker: the whole book and its log's indexes if the screen was drawn from the
        file's summary, then every pane from them; then each record's bytes for the saves."""
        try:
            if not self.db.book.whole_read:
                self.db.whole()
                self.db.book.contact_index(), self.db.book.log_order()
                self.call_from_thread(self._whole_arrived)
            self.db.prepare_writes()
        except StoreError as exc:  # an archive broke meanwhile: said; the next change or reload reads again
            self.call_from_thread(self.notify, str(exc), severity="error", markup=False, timeout=12)

    def _whole_arrived(self) -> None:
        self.refresh_panes()
        self.say_doubles(opening=False)
        if self.drawn is not None:
            self.drawn()  # freeze what the whole book made too

    def say_doubles(self, *, opening: bool = True) -> None:
        """People there twice, or an id the file held twice: said once, for a person to settle."""
        for sentence in doubles_sentences(self.db.book):
            if sentence not in self.doubles_said:
                self.doubles_said.add(sentence)
                self.notify(sentence, title="Twice in the book", severity="warning", markup=False, timeout=15)
        for sentence in self.db.notices:  # an archive of the log not there yet
            if sentence not in self.doubles_said:
                self.doubles_said.add(sentence)
                self.notify(sentence, title="Old log", severity="warning", markup=False, timeout=15)
        for sentence in self.db.told:  # copies merged, changes given back, as the app opened
            if sentence not in self.doubles_said:
                self.doubles_said.add(sentence)
                self.notify(sentence, title="Sync", markup=False, timeout=10)
        if opening and self.settings.open_on == "checkin":
            self.action_checkin()

    # -- showing the book -----------------------------------------------------------------

    def refresh_panes(self) -> None:
        """Every pane from the book, at once."""
        self._refreshes += 1  # what is left of a refresh in frames is done here
        for step in self._refresh_steps():
            step()
        self.query_one(FileSync).shown.set()

    def refresh_in_frames(self) -> None:
        """Every pane from the book, today's list first and each other pane once the frame
        before it is drawn: after a change, a key typed meanwhile waits for one part, not
        for all (at 5,000 people ~20 ms each, instead of ~60 ms at once).  A newer change
        takes over from what is left of an older one's."""
        self._refreshes += 1
        self.query_one(FileSync).shown.clear()
        self._refresh_from(self._refreshes, self._refresh_steps())

    def _refresh_from(self, generation: int, steps: Sequence[Callable[[], None]]) -> None:
        if generation != self._refreshes:
            return
        steps[0]()
        if len(steps) > 1:
            self.after_frame(self._refresh_from, generation, steps[1:])
        else:
            self.call_after_refresh(self.query_one(FileSync).shown.set)

    def after_frame(self, callback: Callable[..., object], *args: object) -> None:
        """`callback(*args)` once the next frame is drawn, in a turn of the event loop of
        its own: a key typed meanwhile is handled between the two, not after both."""
        self.call_after_refresh(self.set_timer, 0.001, partial(callback, *args))

    def _refresh_steps(self) -> tuple[Callable[[], None], ...]:
        # Ranking draws nothing: its step and the frame that shows the list are apart
        # (at 20,000 people each is ~45 ms).
        return (self._rank, self._show_list, self._show_log, self._show_segments)

    def _rank(self) -> None:
        """Any screen over the main one that shows the book (what the user looks at), then
        today's list ranked anew."""
        for screen in self.screen_stack[1:]:
            changed = getattr(screen, "book_changed", None)
            if changed is not None:
                changed()
        book, today = self.db.book, self.clock.today()
        self.suggestions = rank_today(book, today, settings=self.settings, mine=self.whose)

    def _show_list(self) -> None:
        """Today's list as ranked, and the selected person."""
        self.show_outreach()
        self.show_detail()

    def _show_log(self) -> None:
        self.query_one(LogPane).show(self.db.book, self.clock.today())

    def _show_segments(self) -> None:
        """The segments and the score."""
        book, today = self.db.book, self.clock.today()
        self.query_one(SegmentsPane).show(book, today, self.settings.default_cadence)
        from_posts = from_posts_this_week(book, today, self.settings.engaged_days)
        self.query_one(ScoreBar).show(weekly_score(book, today), from_posts)

    def show_outreach(self) -> None:
        """Today's list as ranked last (capped, or all with `m`), and its title."""
        book = self.db.book
        anyone = bool(self.suggestions) or any(not p.deleted for p in book.people.values())
        self.query_one(OutreachPane).show(
            self.suggestions, self.settings.daily_cap, self.show_all, anyone=anyone
        )
        due = len(self.suggestions)
        whose = ""
        if self.whose != self.db.user or is_team(book, self.db.user):
            whose = f" — {whose_words(self.whose, self.db.user)}"
        self.query_one("#outreach-box").border_title = f"Today's outreach{whose} ({due} due)"

    def show_detail(self) -> None:
        person = self.selected_person()
        reasons = next((s.reasons for s in self.suggestions if person and s.person.id == person.id), [])
        self.query_one(DetailPanel).show(person, self.db.book, self.clock.today(), reasons)

    def select_person(self, person_id: str | None) -> None:
        self.selected_id = person_id
        self.show_detail()

    def selected_person(self) -> Person | None:
        person = self.db.book.people.get(self.selected_id or "")
        return person if person and not person.deleted else None

    @on(DataTable.RowHighlighted, "#log")
    def _log_moved(self, event: DataTable.RowHighlighted) -> None:
        if self.focused is event.data_table:  # refills of an unfocused log must not steal the detail
            self._select_from_log(event.row_key.value)

    def _select_from_log(self, key: str | None) -> None:
        if not key or key.startswith("__"):  # "+ N older", or the log still being read
            return
        item = self.db.book.interactions.get(key)
        if item and item.people:
            self.select_person(item.people[0])

    @on(DataTable.RowSelected, "#log")
    def _log_chosen(self, event: DataTable.RowSelected) -> None:
        key = event.row_key.value
        if key and not key.startswith("__"):
            self.open_entry(key)

    @on(DataTable.RowHighlighted, "#outreach")
    def _outreach_moved(self, event: DataTable.RowHighlighted) -> None:
        key = event.row_key.value
        if self.focused is event.data_table and key and not key.startswith("__"):
            self.select_person(key)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """Moving to a pane shows the person under its cursor."""
        if isinstance(event.widget, LogPane):
            self._select_from_log(event.widget.current_key())
        elif isinstance(event.widget, OutreachPane) and (key := event.widget.current_key()):
            self.select_person(key)

    @on(DataTable.RowSelected, "#outreach")
    def _outreach_chosen(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value == "__more__":
            self.action_more()

    @on(DataTable.RowSelected, "#segments")
    def _segment_chosen(self, event: DataTable.RowSelected) -> None:
        self.open_segment(event.row_key.value)

    # -- saving and what others saved ------------------------------------------------------

    def commit(self, *records: Record, message: str = "") -> bool:
        """Show the change at once, then write it in a worker thread.  False if read-only."""
        if self.db.read_only:
            self.notify(f"{self.db.read_only}: nothing can be changed.", severity="warning", markup=False)
            return False
        self.db.apply(*records)
        self.refresh_in_frames()
        if message:
            self.notify(message, markup=False, timeout=4)
        self.query_one(ScoreBar).show_saved("saving…")
        self.query_one(FileSync).save()  # its work waits for the screen to show the change
        return True

    def change(self, record: Record, message: str = "", **changes: object) -> bool:
        """Change fields of the record as the book has it *now* (others may have changed it
        since a dialog opened), so only these fields are ours."""
        current = self.db.book.table(type(record)).get(record.id, record)
        return self.commit(self.db.stamp(current, seen=record, **changes), message=message)

    def on_file_sync_saved(self, _: FileSync.Saved) -> None:
        self.last_error = ""
        self.query_one(ScoreBar).show_saved("saving…" if self.db.pending else "saved ✓")
        if self.drawn is not None and not self.db.pending:  # run as meetup-tui runs it
            collect_after_change()

    def on_file_sync_failed(self, event: FileSync.Failed) -> None:
        self.query_one(ScoreBar).show_saved("NOT SAVED" if self.db.pending else "⚠ file")
        if event.error != self.last_error:
            self.last_error = event.error
            title = "Not saved — kept here, retrying" if self.db.pending else "Problem with the file"
            self.notify(event.error, title=title, severity="error", markup=False, timeout=12)

    def on_file_sync_incoming(self, event: FileSync.Incoming) -> None:
        self.refresh_panes()
        self.notify(f"{event.summary} came in.", markup=False, timeout=6)
        if any(isinstance(record, Person) for record in event.records):
            self.say_doubles()

    def on_file_sync_copies_merged(self, event: FileSync.CopiesMerged) -> None:
        self.refresh_panes()
        for sentence in event.sentences:
            self.notify(sentence, title="Conflicted copy", markup=False, timeout=12)

    def action_more(self) -> None:
        """m: all of today's list, or the capped list again (only that pane changes: the
        other panes and the ranking were made for the book as it is)."""
        self.show_all = not self.show_all
        self.show_outreach()

    def action_whose(self) -> None:
        """o: mine + unowned, the whole team's, then each colleague's list, and round again."""
        user = self.db.user
        self.whose = next_whose(self.whose, user, self.db.book.owners())
        self.refresh_panes()
        self.select_person(self.query_one(OutreachPane).current_key())
        self.notify(f"Today's list: {whose_words(self.whose, user)}.", markup=False, timeout=3)

    def action_search(self) -> None:
        from meetup_tui.ui.screens.search import SearchScreen

        def found(person_id: str | None) -> None:
            if person_id is not None:
                self.jump_to_person(person_id)

        self.push_screen(SearchScreen(self.db.book.live_people()), found)

    def jump_to_person(self, person_id: str) -> None:
        """Select the person; when they are due today, put the list's cursor on them."""
        self.select_person(person_id)
        due = [s.person.id for s in self.suggestions]
        pane = self.query_one(OutreachPane)
        if person_id in due[self.settings.daily_cap :]:  # due today but below the cap: show the list
            pane.show_at_least(due.index(person_id) + 1)  # as far as their page
            if self.show_all:
                self.refresh_panes()
            else:
                self.action_more()
        if pane.move_to_key(person_id):
            pane.focus()

    def action_instead(self) -> None:
        """The urge to post: show the best person to call right now; log it with one key."""
        from meetup_tui.ui.screens.instead import InsteadScreen

        best = best_now(self.db.book, self.clock.now(), self.settings, mine=self.whose)

        def chosen(person_id: str | None) -> None:
            person = self.db.book.people.get(person_id or "")
            if person is not None and best is not None:
                self.select_person(person.id)
                self.call_with(person, talk_kind(best.action))

        self.push_screen(InsteadScreen(best), chosen)

    def action_checkin(self) -> None:
        """Today's list as shown, one person at a time (see screens/checkin.py)."""
        from meetup_tui.ui.screens.checkin import CheckinScreen

        cap = len(self.suggestions) if self.show_all else self.settings.daily_cap
        shown, more = self.suggestions[:cap], self.suggestions[cap:]

        def ended(summary: str | None) -> None:
            # Who was talked to has left the list: show the person under the cursor now.
            self.select_person(self.query_one(OutreachPane).current_key())
            if summary:
                self.notify(f"Check-in: {summary}.", markup=False, timeout=6)

        self.push_screen(CheckinScreen(shown, more), ended)

    def action_import_contacts(self) -> None:
        from meetup_tui.ui.screens.import_screen import Imported, ImportScreen

        def imported(done: Imported | None) -> None:
            if done is not None:
                self.refresh_panes()
                self.notify(done.sentence(), markup=False, timeout=8)
                if done.error:  # in the book, not yet on disk: said, and retried, as any save
                    self.query_one(FileSync).post_message(FileSync.Failed(done.error))

        self.push_screen(ImportScreen(self.db), imported)

    def action_export(self, layout: str) -> None:
        from meetup_tui.ui.screens.export_screen import ExportScreen

        def written(path: Path | None) -> None:
            if path is not None:
                self.notify(f"Wrote {visible(str(path))}.", markup=False, timeout=8)

        self.push_screen(ExportScreen(self.db, layout, self.clock.today()), written)

    def action_help(self) -> None:
        from meetup_tui.ui.screens.help import HelpScreen

        self.push_screen(HelpScreen(self.key_help(), self.settings))

    def action_back(self) -> None:
        self.query_one(OutreachPane).focus()

    async def action_quit(self) -> None:
        """Quit once every change is on disk; never silently with unsaved work."""
        await self.workers.wait_for_complete()  # never quit with a write in flight
        if not self.db.pending or self.db.read_only:
            self.exit()
            return
        from meetup_tui.ui.screens.unsaved import UnsavedScreen

        def chosen(choice: str | None) -> None:
            if choice == "quit":
                self.exit(return_code=1)
            elif choice == "retry":
                self.query_one(FileSync).save()

        self.push_screen(UnsavedScreen(self.db.pending, self.last_error), chosen)

    # -- keys everywhere: help and the command palette ------------------------------------

    def key_help(self) -> list[tuple[str, str]]:
        from meetup_tui.ui.screens.checkin import CheckinScreen

        return key_help(("", self.BINDINGS), ("t", CheckinScreen.BINDINGS))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        ours = list(palette_commands(self.BINDINGS, self.run_action))
        words = {command.title.split(" (")[0] for command in ours}  # "Quit (q)" -> "Quit"
        yield from (c for c in super().get_system_commands(screen) if c.title not in words)
        yield from ours
        yield from export_commands(self.action_export)
