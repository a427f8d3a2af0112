"""Small dialogs: confirm, go to step, import a file, a save conflict, and keyboard help."""

from __future__ import annotations

from pathlib import Path
from typing import Generic, TypeVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from tplan_tui.tui.safe import SafeInput, safe_text


class Confirm(ModalScreen[bool]):
    """A yes/no question: Y or Enter says yes, N or Esc says no."""

    BINDINGS = [
        Binding("y,enter", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no"),
    ]

    def __init__(self, question: str):
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(safe_text(self.question))
            yield Static("Y  yes      N or Esc  no", classes="hint")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class Choose(ModalScreen[str | None]):
    """Pick one of a few labelled choices by arrow keys and Enter, or by its number."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="choose.cancel")]

    def __init__(self, title: str, choices: list[tuple[str, str]], *, text: str = ""):
        super().__init__()
        self.title_text = title
        self.text = text
        self.choices = choices

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(safe_text(self.title_text), classes="dialog-title")
            if self.text:
                yield Static(safe_text(self.text))
            yield OptionList(
                *[
                    Option(safe_text(f"{i}. {label}"), id=key)
                    for i, (key, label) in enumerate(self.choices, 1)
                ],
                id="choices",
            )
            yield Static("↑↓ and Enter, or the number · Esc cancels", classes="hint")

    def on_key(self, event: events.Key) -> None:
        if event.character and event.character.isdigit():
            n = int(event.character)
            if 1 <= n <= len(self.choices):
                event.stop()
                self.dismiss(self.choices[n - 1][0])

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


class GoToStep(Choose):
    """The go-to-step dialog (Ctrl+G); Ctrl+G again, or O, answers ``OUTLINE``: the plan
    screen then lists every goal, objective and intervention to jump to."""

    OUTLINE = "\x00outline"  # no step key looks like this

    BINDINGS = [
        Binding(
            "ctrl+g,o",
            "outline",
            "Outline",
            id="goto.outline",
            priority=True,
            tooltip="Every goal, objective and intervention, to jump to.",
        )
    ]

    def action_outline(self) -> None:
        self.dismiss(self.OUTLINE)


AnswerT = TypeVar("AnswerT")


class Ask(ModalScreen[AnswerT | None], Generic[AnswerT]):
    """Ask for one line, dismissed with it made an answer by ``convert`` (None on Esc). Errors
    are shown here until fixed or Esc."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="ask.cancel", tooltip="Close; nothing is done.")
    ]

    def __init__(self, title: str, value: str = "", placeholder: str = ""):
        super().__init__()
        self.title_text = title
        self.value = value
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(safe_text(self.title_text), classes="dialog-title")
            yield SafeInput(
                self.value, placeholder=self.placeholder, id="answer", select_on_focus=False
            )
            yield Static("", id="answer-error", classes="field-error")
            yield Static("Enter to go on · Esc cancels", classes="hint")

    @on(Input.Submitted)
    def _submit(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if not text:
            self.show_error("type something first")
            return
        self.dismiss(self.convert(text))

    def convert(self, text: str) -> AnswerT:  # pragma: no cover - every dialog overrides it
        raise NotImplementedError

    def show_error(self, message: str) -> None:
        error = self.query_one("#answer-error", Static)
        error.update(safe_text(f"⚠ {message}"))  # a plan file's errors quote what it holds
        error.display = True

    def action_cancel(self) -> None:
        self.dismiss(None)


class AskText(Ask[str]):
    """Ask for one line of text."""

    def convert(self, text: str) -> str:
        return text


class AskPath(Ask[Path]):
    """Ask for a file path (import, save a summary)."""

    def __init__(self, title: str, value: str = "", placeholder: str = "path/to/file.yaml"):
        super().__init__(title, value, placeholder)

    def convert(self, text: str) -> Path:
        return Path(text).expanduser()


class HelpScreen(ModalScreen[None]):
    """Every key of the screen underneath, with a sentence each (F1)."""

    BINDINGS = [Binding("escape,f1,q", "close", "Close", id="help.close")]

    def __init__(self, rows: list[tuple[str, str, str]]):
        super().__init__()
        self.rows = rows

    def compose(self) -> ComposeResult:
        from rich.table import Table

        body = Table.grid(padding=(0, 2))
        body.add_column(style="bold", no_wrap=True)
        body.add_column()
        for key, name, sentence in self.rows:
            body.add_row(safe_text(key), safe_text(f"{name} — {sentence}" if sentence else name))
        with Vertical(classes="dialog help"):
            yield Label("Keys (Esc closes)", classes="dialog-title")
            with VerticalScroll(id="help-body"):
                yield Static(body)

    def on_mount(self) -> None:
        self.query_one("#help-body").focus()

    def action_close(self) -> None:
        self.dismiss(None)
