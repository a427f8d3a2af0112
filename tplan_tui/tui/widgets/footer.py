"""The footer, rebuilt only when the keys it shows change.

Textual's footer rebuilds all its keys on every focus change; Tab from one field to the next
(same keys) then restyles thirty widgets for nothing, which a step change or a Tab pays for.
"""

from __future__ import annotations

from typing import Any

from textual.screen import Screen
from textual.widgets import Footer


class QuietFooter(Footer):
    _shown_keys: tuple[Any, ...] | None = None

    def bindings_changed(self, screen: Screen[Any]) -> None:
        keys = tuple(
            (binding.key, binding.description, binding.action, enabled, tooltip)
            for (_, binding, enabled, tooltip) in screen.active_bindings.values()
            if binding.show
        )
        if keys == self._shown_keys and self._bindings_ready:
            return
        self._shown_keys = keys
        super().bindings_changed(screen)
