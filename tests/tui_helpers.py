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


def key_event(key: str) -> events.Key:
    """The key event Pilot's ``press`` sends for ``key`` (textual/app.py ``_press_keys``)."""
    import unicodedata

    from textual.keys import REPLACED_KEYS, _get_unicode_name_from_key

    if len(key) == 1 and not key.isalnum():
        key = _character_to_key(key)
    try:
        char: str | None = unicodedata.lookup(
            _get_unicode_name_from_key(REPLACED_KEYS.get(key, key))
        )
    except KeyError:
        char = key if len(key) == 1 else None
    return events.Key(key, char)


async def handled(app, rounds: int = ROUNDS) -> None:
    """Wait until everything a key set off has been handled, however many queues it went
    through (the app's, where priority bindings run and a step change or an item added is
    awaited; the screen's; the focused widget's and each parent's, as a message bubbles up;
    any other widget of the screen with messages waiting, as one being mounted).

    Each round is a round trip through all of those queues; it is done when two rounds in a
    row found every queue empty and the focus where it was. Never a fixed time: a busy machine
    only takes longer per round. Fails naming what it waited for if it never settles."""
    import asyncio

    loop = asyncio.get_running_loop()
    quiet = 0
    for _ in range(rounds):
        focused = app.focused
        # Every widget of the screen with something still to handle (a screen just pushed
        # composing, a card mounting), without waking the hundreds that have nothing.
        pumps = {app, app.screen}
        pumps.update(w for w in app.screen.walk_children() if not w._message_queue.empty())
        if focused is not None:
            pumps.update(focused.ancestors_with_self)
        busy = any(not pump._message_queue.empty() for pump in pumps)
        waits = []
        for pump in pumps:
            done = loop.create_future()
            if pump.call_later(lambda done=done: done.done() or done.set_result(None)):
                waits.append(done)
        if waits:
            await asyncio.wait(waits, timeout=30)
        # Lay out and draw what changed, as the screen's refresh timer would (Pilot's pause
        # does the same): widgets learn their size then (Resize), and some fill in only then.
        app.screen._on_timer_update()
        if busy or app.focused is not focused:
            quiet = 0
        else:
            quiet += 1
            if quiet == 2:
                return
    raise AssertionError(f"the app never settled after a key: focus on {app.focused!r}")


def burst(app, *keys: str) -> None:
    """Keys arriving together, as a paste or tmux sends them (one read from the terminal): all
    queued before any is handled."""
    for key in keys:
        if len(key) == 1:
            app.post_message(events.Key(_character_to_key(key), key))
        else:
            app.post_message(events.Key(key, None))


class Keyboard:
    """Types like a person at the keyboard; counts the keys pressed beyond the typed text.

    ``type`` sends each character as a real key event to the app (the way the terminal driver
    does), all at once and then waits once: a Pilot press per character costs ~60 ms here.
    """

    def __init__(self, pilot, *, quick: bool = False):
        self.pilot = pilot
        self.keys = 0  # navigation and command keys, not typed text
        # quick: wait after each key only until it is handled (``handled``), not for the
        # whole process to go idle as Pilot does (the long session build-by-keys test).
        self.quick = quick

    async def press(self, *keys: str) -> None:
        """Each key as a real key event, then a wait until it has been handled.

        Quick: the key event Pilot would send, then ``handled``: where its binding ran, where
        the focus went, what the focused field did. Pilot's own ``press`` waits for the whole
        process to go idle twice a key and then for every widget of the screen: on a plan
        screen of a few hundred widgets, with the next steps built in the background, up to a
        second a key. It waits for background work too, which some tests rely on."""
        self.keys += len(keys)
        if not self.quick:
            await self.pilot.press(*keys)
            return
        app = self.pilot.app
        for key in keys:
            app.post_message(key_event(key))
            await handled(app)

    async def type(self, text: str) -> None:
        app = self.pilot.app
        target = app.focused
        for char in text:
            key = _character_to_key(char) if char != "\n" else "enter"
            app.post_message(events.Key(key, char))

        def shown() -> object:
            value = getattr(target, "value", None)
            return getattr(target, "text", None) if value is None else value

        # Wait until the field shows what was typed (a loaded machine is slower), then until
        # what the typing set off (the plan changed, the error line) is handled.
        await wait_until(
            self.pilot,
            lambda: not isinstance(shown(), str) or shown().endswith(text),
            f"{target!r} to show the typed {text!r}",
        )
        if self.quick:
            await handled(app)
        else:
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


def app_with(tmp_path, plan, today, settings=None):
    """The app on a store (``tmp_path / "db"``) holding ``plan`` alone."""
    from tplan_tui.store import open_store
    from tplan_tui.tui.app import make_app

    store = open_store(tmp_path / "db")
    store.import_plans([plan])
    return make_app(store, settings, today=today)


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


async def open_first_plan(pilot, app):
    """Enter on the caseload's highlighted (first) plan, once the caseload is still; the plan
    screen once it is the screen shown."""
    from tplan_tui.tui.screens.plan import PlanScreen

    await settled(pilot)
    await pilot.press("enter")
    return await wait_until(
        pilot, lambda: isinstance(app.screen, PlanScreen) and app.screen, "the plan to open"
    )


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


def focused_path(app):
    """The model path of the field holding the focus (None: no field has it)."""
    from tplan_tui.tui.widgets.fields import Field

    node = app.focused
    while node is not None and not isinstance(node, Field):
        node = node.parent
    return None if node is None else node.path
