"""Whether a widget is being taken down: a worker's answer or a timer may land after that began.

Textual removes a widget's children before the widget itself (the app closing, a step dropped), so
code that runs late (a thread's result, a timer, a list read on the store's owner thread) can find
its widget still attached while its parts are already gone, and a query for them stops the app
with NoMatches. Such code asks ``taken_down`` first, and does nothing then.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.widget import Widget


def taken_down(widget: Widget) -> bool:
    """``widget`` is being removed (its step dropped, the app closing), or the app has begun to
    shut down. Private attributes: Textual is pinned."""
    return widget._pruning or widget._closing or not widget.is_attached or not widget.app.is_running
