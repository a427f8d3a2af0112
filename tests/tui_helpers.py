"""Helpers for Pilot tests: typing text fast, counting the keys that are not text."""

from __future__ import annotations

from textual import events
from textual.keys import _character_to_key


class Keyboard:
    """Types like a person at the keyboard; counts the keys pressed beyond the typed text.

    ``type`` sends each character as a real key event to the app (the way the terminal driver
    does), all at once and then waits once: a Pilot press per character costs ~60 ms here.
    """

    def __init__(self, pilot):
        self.pilot = pilot
        self.keys = 0  # navigation and command keys, not typed text

    async def press(self, *keys: str) -> None:
        self.keys += len(keys)
        await self.pilot.press(*keys)

    async def type(self, text: str) -> None:
        app = self.pilot.app
        target = app.focused
        for char in text:
            key = _character_to_key(char) if char != "\n" else "enter"
            app.post_message(events.Key(key, char))
        # Wait until the field shows what was typed (a loaded machine is slower), then settle.
        for _ in range(500):
            shown = getattr(target, "value", None)
            if shown is None:
                shown = getattr(target, "text", None)
            if not isinstance(shown, str) or shown.endswith(text):
                break
            await self.pilot.pause(0.01)
        else:
            raise AssertionError(f"typed {text!r} but {target!r} shows {shown!r}")
        await self.pilot.pause()

    async def select(self, moves: int) -> None:
        """Choose in a Select: open it, move the highlight by ``moves``, pick."""
        await self.press("enter")
        if moves:
            await self.press(*(["down"] * moves if moves > 0 else ["up"] * -moves))
        await self.press("enter")


async def settled(pilot) -> None:
    """Wait for background work (the caseload loads in a thread) and the redraw after it."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def row(table, index: int) -> list[str]:
    """A caseload row's cells as the words shown (the cells are Text: never read as markup)."""
    return [str(cell) for cell in table.get_row_at(index)]
