"""Lay out a step built ahead (hidden) while the app is idle, so showing it is only a switch.

A step shown for the first time cost two to three times what it cost shown again (12-goal plan,
step 7: 82 ms against 35): Textual had never measured its widgets, so the first layout computed
every height, the widgets then handled their new sizes (a text area wraps its text to its width),
which changed heights again, and each change asked for another layout of the whole screen: three
in a row before the step held still.

``warm_layout`` does that work on the hidden step, while idle, with a compositor of its own (not
the screen's, so nothing on screen moves): the step laid out at the size it will have, each widget
given its size as the screen's layout would (``Screen._refresh_layout``) and told of it
(``Resize``), then, once they have handled that, laid out again, until nothing changes size. Shown
later at that size, nothing changes, and the screen lays it out once. If anything did change
meanwhile (its words, the terminal), Textual's own layout sizes it again as before: this only saves
time, it decides nothing that is shown.

Private Textual API (the compositor, ``_size_updated``): Textual is pinned, and the tests compare
a step warmed and shown with one shown cold.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from textual import events
from textual._compositor import Compositor
from textual.geometry import Size
from textual.widget import Widget

PASSES = 4  # a text area wrapped to its width may change a height once more: then it holds
HANDLED_S = 1.0  # at most this long for the widgets to handle their sizes (they are idle)


async def warm_layout(root: Widget, size: Size, wanted: Callable[[], bool]) -> int:
    """Lay out ``root`` (hidden, mounted) and everything in it at ``size``, as if shown there,
    while ``wanted()`` holds; return how many times a widget changed size."""
    changed = 0
    compositor: Compositor | None = None
    for _ in range(PASSES):
        if not size or not wanted():
            return changed
        compositor = Compositor()
        compositor.reflow(root, size)
        told: list[asyncio.Future[None]] = []
        for widget, geometry in compositor.layers:
            if not widget.is_attached:
                continue
            if widget._size_updated(
                geometry.region.size,
                geometry.virtual_size,
                geometry.container_size,
                layout=False,  # a hidden widget asks no layout of the screen
            ):
                changed += 1
                if widget is root:
                    continue  # the step's own resize runs its jump-to-a-field callback
                widget.post_message(
                    events.Resize(
                        geometry.region.size, geometry.virtual_size, geometry.container_size
                    )
                )
                done = asyncio.get_running_loop().create_future()
                if widget.call_later(done.set_result, None):
                    told.append(done)
        if not told:
            break
        # Each widget's handler runs in its own task: wait until all have run (a widget
        # removed meanwhile never runs it, hence the limit).
        await asyncio.wait(told, timeout=HANDLED_S)
    if compositor is not None and wanted():
        compositor.render_update(full=True)  # the first screenful drawn, its lines cached
    return changed
