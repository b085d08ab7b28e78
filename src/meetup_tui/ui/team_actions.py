"""Who looks after whom: give the selected person, or a segment's unowned members, to a
colleague (or to no one: then they are everyone's).

A mixin of `MeetupApp`, as `PersonActions` is; `o` (whose list) is the app's own.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.text import Text

from meetup_tui.domain.records import Person
from meetup_tui.domain.team import short_user
from meetup_tui.domain.text import one_line, plural

if TYPE_CHECKING:
    from meetup_tui.ui.app import MeetupApp

    _Base = MeetupApp
else:
    _Base = object


class TeamActions(_Base):
    def ask_owner(self, title: Text, then: Callable[[str], None]) -> None:
        """Ask for a colleague (the book's owners and this user suggested); "" is no one."""
        from meetup_tui.ui.screens.pick_name import PickName

        names = sorted({*self.db.book.owners(), self.db.user}, key=str.casefold)

        def chosen(name: str | None) -> None:
            if name is not None:
                then(name)

        picker = PickName(title, names, placeholder="who looks after them, e.g. sam@shop", blank="no one")
        self.push_screen(picker, chosen)

    def action_give_to(self) -> None:
        person = self.selected_person()
        if person is None:
            self.notify("Select a person first (arrows or /).", severity="warning")
            return

        def give(owner: str) -> None:
            if owner == person.owner:
                return
            who = f"{short_user(owner)} looks after" if owner else "No one looks after"
            self.change(person, f"{who} {one_line(person.name)} now.", owner=owner)

        self.ask_owner(Text.assemble("Give ", (one_line(person.name), "bold"), " to…"), give)

    def give_unowned(self, people: list[Person], where: str) -> None:
        """Give the people without an owner among `people` to a colleague, in one change."""
        unowned = [p for p in people if not p.owner]
        if not unowned:
            self.notify(f"Everyone in {where} is looked after already.", markup=False)
            return

        def give(owner: str) -> None:
            if not owner:
                return
            changed = [self.db.stamp(p, owner=owner) for p in unowned]
            said = (
                f"{short_user(owner)} looks after {plural(len(changed), 'more person', 'more people')} now."
            )
            self.commit(*changed, message=said)

        title = Text.assemble("Give the ", (plural(len(unowned), "unowned person", "unowned people"), "bold"))
        title.append(f" of {where} to…")
        self.ask_owner(title, give)
