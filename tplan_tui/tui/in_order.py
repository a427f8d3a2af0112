"""Editing keys handled in the order they were typed, with the text typed around them.

Textual hands a key to the focused editor, which inserts a printable character at once; a key
bound by the editor itself (Backspace, Left, Home, Ctrl+U…) is not run there but bubbles up to
the app, which runs the binding from its own queue, later. Keys that arrive together (a
connection over SSH that lags then sends a burst, tmux, a paste of keys) were therefore applied
out of order: "hel", "p", Backspace, "lo" kept "helo"… as "helpl" then a Backspace, "hepl".
Textual 8.2.8 measured here; the test ``tests/tui/test_key_order.py`` shows it.

``InOrderKeys`` runs the editor's own bindings in the editor's queue, where its typed characters
are handled, so every key takes effect in turn. Bindings of the screen or the app, and keys the
editor does not bind, go on as before.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events

if TYPE_CHECKING:
    from textual.widget import Widget

    _Base = Widget
else:
    _Base = object  # a plain mixin: Textual takes a widget's CSS from its first widget base


class InOrderKeys(_Base):
    """Mixed into an editor (before Textual's class): its own bindings run where its keys are."""

    async def _on_key(self, event: events.Key) -> None:
        # Textual calls the ``_on_key`` of every class in the MRO in turn until one prevents
        # the default: this one comes first, and stops the rest only when a binding ran.
        for binding in self._bindings.key_to_bindings.get(event.key, ()):
            if binding.priority:
                continue  # the app ran those before the key reached this editor
            if await self.app.run_action(binding.action, self):
                event.prevent_default()  # not inserted, not run again by the app
                event.stop()
                return
