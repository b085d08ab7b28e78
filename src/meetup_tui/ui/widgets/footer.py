"""Textual's Footer, without its leak.

Each time the keys in force change (a dialog opened or closed, the focus moved), Textual's
Footer composes its keys anew and binds each new one to its `compact` reactive; the old
keys are removed, but the Footer keeps watching on their behalf for as long as it lives
(textual#6666: a watcher is dropped only when the watched value changes, and `compact`
never does).  Each key keeps its styles and caches alive: ~2,000 objects for every dialog
opened and closed, which every full collection then scans again (300 ms after 200 logged
calls at 5,000 people, the screen frozen meanwhile).  This Footer drops those watchers each
time it has composed its keys anew.
"""

from __future__ import annotations

from textual.widgets import Footer as TextualFooter

WATCHERS = "__watchers"  # where Textual keeps what watches a reactive (textual/reactive.py)


class Footer(TextualFooter):
    async def recompose(self) -> None:
        await super().recompose()
        for watchers in getattr(self, WATCHERS, {}).values():
            watchers[:] = [(node, call) for node, call in watchers if node is self or node.parent is not None]
