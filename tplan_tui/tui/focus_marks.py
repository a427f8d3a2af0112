"""Which card and which field hold the focus, marked by classes on the card and the field's label.

The stylesheet once said ``.card:focus-within`` and ``.field:focus-within .field-label``. Textual
re-styles the whole subtree of a node with a ``:focus-within`` rule at every focus change inside
it: a goal's card is some 65 widgets, about 20 ms of CPU for each Tab and more at a step change.
Here the app marks only the card itself and the label (``-focus-within``, ``-focus``), from where
the focus is now (so the order of blur and focus events does not matter).
"""

from __future__ import annotations

from typing import Any

from textual.app import App
from textual.dom import DOMNode
from textual.widget import Widget


def _holds_focus(node: DOMNode, focused: Widget | None) -> bool:
    return focused is not None and (focused is node or node in focused.ancestors)


def update_focus_marks(app: App[Any], widget: Widget) -> None:
    """``widget`` gained or lost the focus: mark its field's label and its card as they are now."""
    if not app.screen_stack:
        return  # a blur arriving as the app closes (its screens gone): nothing left to mark
    focused = app.focused
    for node in widget.ancestors_with_self:
        if not isinstance(node, Widget):
            continue
        if node.has_class("field"):
            on = _holds_focus(node, focused)
            for label in node.query(".field-label"):
                label.set_class(on, "-focus")  # a leaf: only itself is styled again
        if node.has_class("card"):
            on = _holds_focus(node, focused)
            if node.has_class("-focus-within") != on:
                node.set_class(on, "-focus-within", update=False)
                # Only the card's own border depends on it: style the card, not its fields.
                app.stylesheet.update_nodes([node], animate=False)
                node.refresh()
            break  # cards do not nest
