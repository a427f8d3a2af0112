"""Keys that arrive together (SSH that lags then sends a burst, tmux) act in the order typed: a
Backspace or an arrow between letters acts between them. Textual runs an editor's bound keys from
the app's queue, after the letters already handed to the editor ("hel", "p", Backspace, "lo" kept
"hepl"…); ``tui/in_order.py`` runs them in the editor's own queue."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult

from tests.tui_helpers import burst, wait_until
from tplan_tui.tui.safe import SafeInput, SafeTextArea


class Editors(App[None]):
    def compose(self) -> ComposeResult:
        yield SafeInput(id="line")
        yield SafeTextArea(id="area")


def text_of(widget) -> str:
    return widget.value if isinstance(widget, SafeInput) else widget.text


@pytest.mark.parametrize("editor", ["#line", "#area"])
@pytest.mark.parametrize(
    ("keys", "shown"),
    [
        ([*"help", "backspace", "backspace", *"lo"], "helo"),
        ([*"hep", "left", "l"], "help"),
        ([*"world", "home", *"hello "], "hello world"),
        ([*"ab", "ctrl+a", *"c"], "c"),  # select all, then typing replaces it
        ([*"Lee", "ctrl+home", *"Sam "], "Sam Lee"),
    ],
)
async def test_bound_keys_act_between_the_letters_they_were_typed_between(editor, keys, shown):
    app = Editors()
    async with app.run_test() as pilot:
        widget = app.query_one(editor)
        widget.focus()
        await wait_until(pilot, lambda: app.focused is widget, "the focus")
        burst(app, *keys)
        # No state on the way is the text expected, and keys out of order never reach it.
        await wait_until(pilot, lambda: text_of(widget) == shown, repr(shown))
        await pilot.pause()
        assert text_of(widget) == shown
