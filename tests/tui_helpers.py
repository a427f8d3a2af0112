"""Helpers for Pilot tests: typing text fast, counting the keys that are not text, waiting on a
condition (never a fixed time), and the notifications the app showed.

Every wait here is a bounded number of ``pilot.pause()`` rounds until what the test needs is
true: a busy machine only makes it take more rounds, and a wait that never ends fails saying
what it waited for.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from textual import events
from textual.keys import _character_to_key

ROUNDS = 500  # pause rounds before a wait gives up: many seconds, even on a busy machine


async def wait_until(pilot, condition: Callable[[], object], what: str, rounds: int = ROUNDS):
    """Pause until ``condition()`` is true (returns its value); fail naming ``what`` if never.

    ``pilot.pause()`` lets the app process every message its screen has pending (and waits for
    the CPU to go idle), so each round is one step of the app, not a guess at how long it takes.
    """
    for _ in range(rounds):
        value = condition()
        if value:
            return value
        await pilot.pause()
    value = condition()
    if value:
        return value
    raise AssertionError(f"waited {rounds} rounds for {what}; it never happened")


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

        def shown() -> object:
            value = getattr(target, "value", None)
            return getattr(target, "text", None) if value is None else value

        # Wait until the field shows what was typed (a loaded machine is slower), then settle.
        await wait_until(
            self.pilot,
            lambda: not isinstance(shown(), str) or shown().endswith(text),
            f"{target!r} to show the typed {text!r}",
        )
        await self.pilot.pause()

    async def select(self, moves: int) -> None:
        """Choose in a Select: open it, move the highlight by ``moves``, pick."""
        await self.press("enter")
        if moves:
            await self.press(*(["down"] * moves if moves > 0 else ["up"] * -moves))
        await self.press("enter")


async def settled(pilot) -> None:
    """Wait until the app is still: no worker runs (the caseload loads in a thread), the focused
    field has taken the cursor setting, and a whole round of message handling changed nothing
    on the screen (so the messages that workers and focus changes posted have all been handled).
    """
    app = pilot.app

    def still() -> bool:
        if any(worker.is_running for worker in app.workers):
            return False
        # The app makes a field's cursor steady when the focus reaches it (DescendantFocus).
        focused = app.focused
        return app.cursor_blink or getattr(focused, "cursor_blink", False) is False

    before = None
    for _ in range(ROUNDS):
        await app.workers.wait_for_complete()
        await pilot.pause()  # the app and every widget of its screen handle what is pending
        now = app.export_screenshot()
        if now == before and still():
            return
        before = now
    raise AssertionError(f"the app never settled: workers {list(app.workers)}, {app.focused!r}")


@dataclass(frozen=True)
class Note:
    message: str
    severity: str


class Notes:
    """Every notification the app shows, in order, as a user would have read them.

    Recorded by wrapping the app's public ``notify`` (screens, widgets and threads all go
    through it), so a test never reads Textual's private list of toasts. Install it before the
    app runs to catch the notices shown at start-up.
    """

    def __init__(self, app):
        self.shown: list[Note] = []
        notify = app.notify

        def recording(message, *args, **kwargs):
            self.shown.append(Note(str(message), kwargs.get("severity", "information")))
            return notify(message, *args, **kwargs)

        app.notify = recording

    @property
    def messages(self) -> list[str]:
        return [note.message for note in self.shown]

    def said(self, words: str) -> bool:
        """True if some notification so far contains ``words``."""
        return any(words in message for message in self.messages)

    def __len__(self) -> int:
        return len(self.shown)


def row(table, index: int) -> list[str]:
    """A caseload row's cells as the words shown (the cells are Text: never read as markup)."""
    return [str(cell) for cell in table.get_row_at(index)]


async def palette_search(pilot, words: str) -> None:
    """Open the command palette and type ``words``, waiting on each stage: on a busy machine
    the palette opens and searches in the background, and a key sent early went elsewhere or
    an Enter found no list (``NoMatches CommandList``)."""
    from textual.command import CommandInput, CommandList, CommandPalette

    app = pilot.app
    await pilot.press("ctrl+p")
    await wait_until(
        pilot,
        lambda: isinstance(app.screen, CommandPalette) and isinstance(app.focused, CommandInput),
        "the command palette to open",
    )
    await Keyboard(pilot).type(words)

    def listed() -> bool:
        found = app.screen.query(CommandList)
        return bool(found) and found.first().highlighted is not None

    await wait_until(pilot, listed, f"the palette to offer {words!r}")


def on_screen(app) -> str:
    """The terminal as the user sees it, as text (the screenshot's SVG, spaces unescaped)."""
    return app.export_screenshot().replace("&#160;", " ")


def terminal_lines(app) -> list[str]:
    """The terminal's rows as text, as the screen composes them for the display (each row whole,
    so a widget's part of it is ``row[region.x : region.right]``)."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


async def wait_shown(pilot, words: str) -> None:
    """Wait until ``words`` are drawn on the terminal."""
    await wait_until(pilot, lambda: words in on_screen(pilot.app), f"{words!r} on the screen")


TEST_PIN = "2468"


def with_pin(store, settings=None, pin: str = TEST_PIN):
    """``settings`` (or the defaults) with an unlock PIN set for the plain ``store``, hashed at
    a low scrypt cost so that tests stay fast."""
    from dataclasses import replace

    from tplan_tui.settings import Settings
    from tplan_tui.unlock import hash_secret, store_key

    settings = settings or Settings()
    secrets = {**settings.unlock_secrets, store_key(store.root): hash_secret(pin, n=2**4)}
    return replace(settings, unlock_secrets=secrets)


def footer_keys(app) -> list[str]:
    """What the current screen's footer offers, as descriptions ('Quit', 'Keys', ...)."""
    from textual.widgets._footer import FooterKey

    return [key.description for key in app.screen.query(FooterKey) if not key.disabled]


async def goto_step(pilot, screen, step) -> None:
    """``screen.go_to(step)`` and wait until that step's form is the one shown, with the focus
    in it: forms are kept and built ahead, so a step's fields exist before it is shown, and a
    key sent then went to the step being left."""
    from tplan_tui.tui.screens.plan import STEPS

    key = STEPS[step].key if isinstance(step, int) else step
    screen.go_to(step)

    def shown() -> bool:
        form = screen.form
        focused = pilot.app.focused
        return (
            form is not None
            and form.key == key
            and bool(form.display)
            and (screen.client_side or (focused is not None and form in focused.ancestors))
        )

    await wait_until(pilot, shown, f"step {key!r} to be shown")
    await settled(pilot)
