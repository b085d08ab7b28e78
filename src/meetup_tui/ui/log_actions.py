"""What can be done to one log entry: open it whole, edit it, delete it, mark its step done.

A mixin of `MeetupApp`, as `PersonActions` is; the log pane and the history screen call
these with the entry's id.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from meetup_tui.ui.app import MeetupApp

    _Base = MeetupApp
else:
    _Base = object


class LogActions(_Base):
    pass
