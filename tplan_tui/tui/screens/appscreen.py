"""The screens' typed way to the app: ``self.tplan`` is the ``TplanApp`` (``self.app`` is any
Textual app to the type checker, so ``self.app.open_plan(...)`` went unchecked)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, TypeVar, cast, runtime_checkable

from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen

if TYPE_CHECKING:  # the app imports the screens: at run time this would be a circle
    from tplan_tui.tui.app import TplanApp

ResultT = TypeVar("ResultT")


def tplan_app(node: DOMNode) -> TplanApp:
    """The ``TplanApp`` that ``node`` (a screen or a widget) runs in."""
    return cast("TplanApp", node.app)


@runtime_checkable
class Reloadable(Protocol):
    """A screen that re-reads the store when a tool on one of its plans closes (the caseload)."""

    def reload(self) -> None: ...


@runtime_checkable
class MovesFocus(Protocol):
    """A screen with its own Tab order (the plan screen: goals shown one at a time)."""

    async def move_focus(self, forward: bool) -> None: ...


class TplanScreen(Screen[ResultT]):
    """A full screen of tplan."""

    @property
    def tplan(self) -> TplanApp:
        return tplan_app(self)


class TplanModal(ModalScreen[ResultT]):
    """A dialog of tplan."""

    @property
    def tplan(self) -> TplanApp:
        return tplan_app(self)
