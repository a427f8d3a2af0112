"""The sign step's list of client lines written about the client, not to them (issue 13).

A separate block so the sign step's own checklist stays its own: each line says where and why
("Goal 2, step 1 is written about Maria, not to her: add her words"); Enter on a line goes to the
field where the client's words belong. The check runs on a copy of the plan in a thread: its
reading grade loads a dictionary the first time, which must not freeze the screen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tplan_tui.core import editing
from tplan_tui.core.client_words import WordingProblem, wording_problems
from tplan_tui.core.model import Plan
from tplan_tui.tui.safe import safe_text
from tplan_tui.tui.teardown import taken_down

if TYPE_CHECKING:
    from tplan_tui.tui.screens.plan import PlanScreen

# The step that holds each kind of field, by the first parts of its path.
_STEP_OF = (
    (("presenting_concerns",), "concerns"),
    (("strengths",), "strengths"),
    (("contract",), "interventions"),
    (("plan",), "interventions"),
)


def step_of(fix: tuple[str | int, ...]) -> str:
    """The guided step where the field ``fix`` is edited."""
    if fix[0] == "goals":
        return {"objectives": "objectives", "interventions": "interventions"}.get(
            str(fix[2]), "goals"
        )
    for prefix, key in _STEP_OF:
        if fix[: len(prefix)] == prefix:
            return key
    return "goals"


class ClientWordsBlock(Vertical):
    """Lines the client would read in clinician wording about them; Enter goes to the field."""

    DEFAULT_CSS = """
    ClientWordsBlock { height: auto; }
    ClientWordsBlock OptionList { height: auto; max-height: 8; }
    """

    def __init__(self) -> None:
        super().__init__(id="client-words-block")
        self.problems: list[WordingProblem] = []

    def compose(self) -> ComposeResult:
        yield Static("", id="client-words-title", classes="checklist")
        yield OptionList(id="client-words")

    def check(self, plan: Plan) -> None:
        self._check(editing.snapshot(plan))

    @work(thread=True, exclusive=True, group="client-words")
    def _check(self, plan: Plan) -> None:
        problems = wording_problems(plan)
        self.app.call_from_thread(self._show, problems)

    def _show(self, problems: list[WordingProblem]) -> None:
        if taken_down(self):  # the step was left (or the app closed) while the check ran
            return
        self.problems = problems
        title = self.query_one("#client-words-title", Static)
        options = self.query_one("#client-words", OptionList)
        options.clear_options()
        if not problems:
            title.update("✓ Every line the client reads speaks to them.")
            options.display = False
            return
        title.update(
            safe_text(f"Written about the client, not to them ({len(problems)}): Enter goes there")
        )
        options.display = True
        for n, p in enumerate(problems):
            options.add_option(Option(safe_text(p.sentence), id=str(n)))

    @on(OptionList.OptionSelected, "#client-words")
    def _go(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        problem = self.problems[int(event.option.id or 0)]
        screen: PlanScreen = self.screen  # type: ignore[assignment]
        # Run by the screen, not here: going to another step removes this block, and a handler
        # cannot wait for its own widget's removal.
        screen.call_later(screen.go_to_field, step_of(problem.fix), problem.fix)
