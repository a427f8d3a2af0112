"""Entering a standard measure (PHQ-9, GAD-7, a practice's own) by keys, in a dialog.

One key picks the questionnaire (its number), then one digit per item, moving on by itself;
Backspace goes back an item (before the first: back to the choice). The total and its band show
as you type, beside each item's topic. Enter saves, Esc closes with nothing kept. Tab reaches the
date (today unless changed) and a note. A PHQ-9 in 11 keys: number, 9 digits, Enter.

tplan never shows the questions themselves (unless a practice's own file holds wording it may
show): the clinician gives the standard form and types the answers.

Where the measure goes is the caller's ``save``: from the caseload, a job on the store's owner
thread; inside a plan, the plan screen's own copy and autosaver (so the two never conflict). An
answer above 0 on a risk item (PHQ-9 item 9) is said here while typing; once saved, what the save
raised is shown at once with the safety plan and risk assessment keys, before this dialog closes.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from typing import TYPE_CHECKING

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Input, Label, Static

from tplan_tui.core import model as m
from tplan_tui.core.instruments import Instrument
from tplan_tui.tui.safe import SafeInput, safe_text
from tplan_tui.tui.screens.appscreen import TplanModal

if TYPE_CHECKING:
    from tplan_tui.core.attention import Reason

SaveMeasure = Callable[[m.Measure], Awaitable["list[Reason]"]]
TOPIC_WIDTH = 34


class ItemGrid(Static, can_focus=True):
    """The questionnaire picked and the answers so far; digits and Backspace change them."""

    DEFAULT_CSS = """
    ItemGrid { height: auto; }
    ItemGrid:focus { background: $boost; }
    """

    class Changed(Message):
        pass

    def __init__(self, instruments: list[Instrument], *, id: str | None = None):
        super().__init__(id=id)
        self.instruments = instruments
        self.chosen: Instrument | None = instruments[0] if len(instruments) == 1 else None
        self.answers: list[int] = []
        self.slip = ""  # a key that did nothing, said in words

    @property
    def complete(self) -> bool:
        return self.chosen is not None and len(self.answers) == self.chosen.items

    def on_key(self, event: events.Key) -> None:
        if event.key == "backspace":
            event.stop()
            self.slip = ""
            if self.answers:
                self.answers.pop()
            elif len(self.instruments) > 1:
                self.chosen = None
            self._changed()
            return
        if not (event.character and event.character.isdigit()):
            return
        event.stop()
        digit = int(event.character)
        self.slip = ""
        if self.chosen is None:
            if 1 <= digit <= len(self.instruments):
                self.chosen = self.instruments[digit - 1]
            else:
                self.slip = f"{digit} is no questionnaire: pick 1 to {len(self.instruments)}"
        elif self.complete:
            self.slip = f"all {self.chosen.items} items are in: Enter saves, Backspace corrects"
        elif self.chosen.item_min <= digit <= self.chosen.item_max:
            self.answers.append(digit)
        else:
            self.slip = f"an item is scored {self.chosen.item_min} to {self.chosen.item_max}"
        self._changed()

    def on_mount(self) -> None:
        self.update(safe_text(self.lines()))

    def _changed(self) -> None:
        self.update(safe_text(self.lines()))  # a practice file's words: never markup
        self.post_message(self.Changed())

    def lines(self) -> Text:
        out = Text()
        if self.chosen is None:
            out.append("Which questionnaire? Press its number:", style="bold")
            for n, x in enumerate(self.instruments, 1):
                out.append(f"\n  {n}  {x.id} ({x.about})")
            return out
        x = self.chosen
        out.append(
            f"{x.id} ({x.about}): type each item's score, {x.item_min} to {x.item_max}\n",
            style="bold",
        )
        for i in range(x.items):
            topic = x.wording[i] if x.wording else x.topic(i + 1)
            if len(topic) > TOPIC_WIDTH:
                topic = topic[: TOPIC_WIDTH - 1] + "…"
            here = i == len(self.answers)
            answer = str(self.answers[i]) if i < len(self.answers) else ("_" if here else "·")
            line = f"{'▸' if here else ' '} {i + 1:>2} {topic:<{TOPIC_WIDTH}} {answer}"
            risk = x.risk_item == i + 1
            style = "bold reverse" if here else ""
            if risk and i < len(self.answers) and self.answers[i] > 0:
                style = "bold"
                line += "  ⚠ raises the safety alert"
            out.append(("\n" if i else "") + line, style=style)
        return out


class MeasureEntry(TplanModal[m.Measure | None]):
    """Dismissed with the measure once saved; None when closed with nothing kept."""

    BINDINGS = [
        Binding(
            "escape", "cancel", "Cancel", id="measure.cancel", tooltip="Close; nothing is kept."
        ),
        # Priority: Enter saves from any field of the dialog, even the date or the note.
        Binding(
            "enter",
            "save",
            "Save",
            id="measure.save",
            priority=True,
            tooltip="Keep the measure in the plan (once every item has its score).",
        ),
    ]
    DEFAULT_CSS = """
    MeasureEntry #measure-date { width: 14; }
    MeasureEntry #measure-note { width: 1fr; }
    MeasureEntry #measure-total { height: auto; }
    MeasureEntry #measure-problem { display: none; height: auto; color: $text-error; }
    """
    AUTO_FOCUS = "#measure-grid"

    def __init__(
        self,
        client: str,
        today: date,
        instruments: list[Instrument],
        save: SaveMeasure,
        *,
        plan_id: str | None = None,
        leave: Callable[[], Awaitable[None]] | None = None,
    ):
        super().__init__()
        self.leave = leave  # inside a plan: leave it (saved) before a safety screen opens
        self.client = client
        self.today = today
        self.instruments = instruments
        self.save = save
        self.plan_id = plan_id
        self.saving = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="measure-dialog"):
            yield Label(
                safe_text(f"Standard measure · {self.client or '(no name)'}"),
                classes="dialog-title",
            )
            yield ItemGrid(self.instruments, id="measure-grid")
            yield Static("", id="measure-total")
            yield Static("", id="measure-problem")
            with Horizontal(classes="field-row"):
                yield Label("Date ", classes="field-label")
                yield SafeInput(self.today.isoformat(), id="measure-date", compact=True)
                yield Label(" Note ")
                yield SafeInput(placeholder="optional", id="measure-note", compact=True)
            yield Static(
                "Digits · Backspace back · Tab date, note · Enter saves · Esc cancels",
                classes="hint",
            )

    def on_mount(self) -> None:
        from tplan_tui.core.instruments import instrument_problems

        self._show_total()
        # A practice's instrument file that could not be used is said here, where it is missed.
        for problem in instrument_problems():
            self.notify(problem, severity="warning", timeout=12)

    @property
    def grid(self) -> ItemGrid:
        return self.query_one("#measure-grid", ItemGrid)

    @on(ItemGrid.Changed)
    def _show_total(self) -> None:
        grid = self.grid
        total = self.query_one("#measure-total", Static)
        x = grid.chosen
        if x is None:
            total.update("")
        else:
            so_far = sum(grid.answers)
            band = x.band(so_far)
            words = f"Total {so_far}"
            if not grid.complete:
                words += f" so far ({len(grid.answers)} of {x.items} items)"
            if band is not None:
                words += f" · {band.label}: {band.meaning}"
            total.update(safe_text(words))
        self._problem(grid.slip)

    def _problem(self, text: str) -> None:
        problem = self.query_one("#measure-problem", Static)
        problem.update(safe_text(f"⚠ {text}" if text else ""))
        problem.display = bool(text)

    def action_cancel(self) -> None:
        if not self.saving:
            self.dismiss(None)

    @on(Input.Submitted)
    async def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        await self.action_save()

    def measure(self) -> m.Measure | None:
        """The measure on screen, or None with the problem shown."""
        from tplan_tui.core.editing import parse_value

        grid = self.grid
        x = grid.chosen
        if x is None:
            self._problem("pick the questionnaire by its number first")
            return None
        if not grid.complete:
            self._problem(
                f"{x.id} needs a score for each of its {x.items} items "
                f"({len(grid.answers)} entered)"
            )
            self.set_focus(grid)
            return None
        day, problem = parse_value("date", self.query_one("#measure-date", SafeInput).value)
        if problem or not isinstance(day, date):
            self._problem(f"date: {problem or 'give the date (YYYY-MM-DD)'}")
            return None
        if day > self.today:
            self._problem(f"date: {day.isoformat()} is after today")
            return None
        note = " ".join(self.query_one("#measure-note", SafeInput).value.split()) or None
        return m.Measure(
            instrument=x.id, date=day, items=list(grid.answers), total=sum(grid.answers), note=note
        )

    async def action_save(self) -> None:
        if self.saving:
            return
        measure = self.measure()
        if measure is None:
            return
        self.saving = True
        try:
            fresh = await self.save(measure)
        except (OSError, ValueError) as exc:  # StoreError is a ValueError or OSError
            self.saving = False
            self._problem(f"Not saved: {exc}")
            return
        if self.plan_id is not None:
            self.tplan.audit("edit", self.plan_id)
        x = self.grid.chosen
        band = x.band(measure.total or 0) if x else None
        self.notify(
            f"{measure.instrument} saved: {measure.total}"
            + (f" ({band.label})" if band else "")
            + f" on {measure.date.isoformat()}.",
            timeout=6,
        )
        if not fresh:
            self.dismiss(measure)
            return
        self._raised(measure, fresh)

    def _raised(self, measure: m.Measure, fresh: list[Reason]) -> None:
        """Say what the save raised, in words, with the safety keys; then close."""
        from tplan_tui.tui.screens.safety import AttentionScreen, answer

        app, plan_id = self.tplan, self.plan_id

        leave = self.leave

        async def go(what: str) -> None:
            if leave is not None:
                await leave()
            await answer(app, plan_id or "", what)

        def picked(what: str | None) -> None:
            self.dismiss(measure)
            if what and plan_id is not None:
                app.call_later(go, what)

        self.tplan.push_screen(AttentionScreen(self.client, fresh, just_now=True), picked)
