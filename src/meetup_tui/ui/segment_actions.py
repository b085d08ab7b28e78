"""What can be done to segments: make one, edit (and rename) it, delete it (u brings it
back), and put the people in no segment into one.

A mixin of `MeetupApp`, as `PersonActions` is; the segments pane and a segment's view call
these with the segment's id.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from meetup_tui.domain.membership import regroup
from meetup_tui.domain.records import Segment
from meetup_tui.domain.text import one_line

if TYPE_CHECKING:
    from meetup_tui.ui.app import MeetupApp

    _Base = MeetupApp
else:
    _Base = object


class SegmentActions(_Base):
    def _segment(self, segment_id: str | None) -> Segment | None:
        segment = self.db.book.segments.get(segment_id or "")
        if segment is None or segment.deleted:
            self.notify("Put the cursor on a segment first.", severity="warning")
            return None
        return segment

    def action_new_segment(self) -> None:
        from meetup_tui.ui.screens.segment_form import SegmentForm

        def made(fields: dict | None) -> None:
            if fields is None:
                return
            segment = self.db.stamp(Segment(**fields))
            if self.commit(segment, message=f"Made the segment {one_line(segment.name)}."):
                self.show_segment(segment.id)

        self.push_screen(SegmentForm(self.db.book, stages=self.settings.stages), made)

    def edit_segment(self, segment_id: str | None) -> None:
        """Change (or rename) the segment; only the fields changed get new versions."""
        from meetup_tui.ui.screens.segment_form import SegmentForm

        segment = self._segment(segment_id)
        if segment is None:
            return

        def edited(fields: dict | None) -> None:
            if fields is None:
                return
            edits = {k: v for k, v in fields.items() if getattr(segment, k) != v}
            if edits:
                self.change(segment, f"Saved the segment {one_line(fields['name'])}.", **edits)

        self.push_screen(SegmentForm(self.db.book, segment, stages=self.settings.stages), edited)

    def delete_segment(self, segment_id: str | None) -> None:
        """Delete the segment (its people stay); `u` brings it back with its lists."""
        segment = self._segment(segment_id)
        if segment is None:
            return
        message = f"Deleted the segment {one_line(segment.name)} (its people stay) — u to undo."
        if self.change(segment, message, deleted=True):
            self.deleted.append(segment)

    def show_segment(self, segment_id: str) -> None:
        """The segments pane, its cursor on the segment (Enter opens it, e edits it)."""
        from meetup_tui.ui.widgets.segments_pane import SegmentsPane

        pane = self.query_one(SegmentsPane)
        if pane.move_to_key(segment_id):
            pane.focus()

    def action_board(self) -> None:
        """The stage board: of the segment under the cursor when the segments pane has the
        focus, else of everyone (`s` on the board changes it)."""
        from meetup_tui.ui.screens.stage_board import StageBoard

        self.push_screen(StageBoard(self.db, self.clock, self.settings.stages, self._focused_segment()))

    def action_insights(self) -> None:
        """What the audience told you: of the segment under the cursor when the segments
        pane has the focus, else of everyone (`s` on the screen changes it)."""
        from meetup_tui.ui.screens.insights_screen import InsightsScreen

        self.push_screen(InsightsScreen(self.db, self.clock, self._focused_segment()))

    def action_report(self) -> None:
        """The picture: conversations against likes, stage moves, segments in touch."""
        from meetup_tui.ui.screens.report_screen import ReportScreen

        self.push_screen(ReportScreen(self.db, self.clock, self.settings.default_cadence))

    def _focused_segment(self) -> Segment | None:
        from meetup_tui.ui.widgets.segments_pane import SegmentsPane

        pane = self.query_one(SegmentsPane)
        return self.db.book.segments.get(pane.current_key() or "") if pane.has_focus else None

    def open_segment(self, segment_id: str | None) -> None:
        """A segment's members, or (the pane's last row) the people in no segment."""
        from meetup_tui.ui.screens.segment_members import SegmentMembersScreen
        from meetup_tui.ui.screens.unsegmented import UnsegmentedScreen
        from meetup_tui.ui.widgets.segments_pane import LOOSE

        today, default = self.clock.today(), self.settings.default_cadence
        if segment_id == LOOSE:
            self.push_screen(UnsegmentedScreen(self.db.book), self.select_person)
            return
        segment = self.db.book.segments.get(segment_id or "")
        if segment is not None and not segment.deleted:
            self.push_screen(SegmentMembersScreen(self.db.book, segment, today, default), self.select_person)

    def put_in_segment(self, person_id: str, name: str) -> bool:
        """Put the person into the segment named (any case) by hand; a new name makes it."""
        person = self.db.book.people.get(person_id)
        if person is None or person.deleted:
            return False
        book = self.db.book
        wanted = [s.name for s in book.segments_of(person)] + [name]
        changed = [self.db.stamp(s) for s in regroup(book.live_segments(), person, wanted)]
        if not changed:
            self.notify(f"{one_line(person.name)} is already in {one_line(name)}.", markup=False)
            return False
        return self.commit(*changed, message=f"Put {one_line(person.name)} in {one_line(name)}.")
