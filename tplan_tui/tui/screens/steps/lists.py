"""Steps 3 and 4: presenting concerns and strengths, each in the clinician's and the client's words."""

from __future__ import annotations

from textual.app import ComposeResult

from tplan_tui.tui.screens.steps.base import ItemCard, ListSection, StepForm, add_button, hint
from tplan_tui.tui.screens.steps.basics import area


class _WordedList(StepForm):
    list_name = ""
    item_title = ""
    intro = ""

    @property
    def default_list(self):  # type: ignore[override]
        return (self.list_name,)

    @property
    def shows(self):  # type: ignore[override]
        return (self.list_name,)

    def compose(self) -> ComposeResult:
        yield hint(self.intro)
        items = getattr(self.plan, self.list_name)
        with ListSection(self.title, (self.list_name,), self.default_what):
            for i, item in enumerate(items):
                base = (self.list_name, i)
                yield ItemCard(
                    f"{self.item_title} {i + 1}",
                    (self.list_name,),
                    i,
                    area("Clinician's words", (*base, "text"), item.text, kind="text", lines=2),
                    area(
                        "Client's words",
                        (*base, "in_client_words"),
                        item.in_client_words,
                        lines=2,
                        hint="in their own words, if they want",
                    ),
                )
            yield add_button(self.default_what)


class ConcernsStep(_WordedList):
    key = "concerns"
    title = "Presenting concerns"
    list_name = "presenting_concerns"
    item_title = "Concern"
    default_what = "concern"
    intro = "What brought the person in. The client's words are what their side shows."


class StrengthsStep(_WordedList):
    key = "strengths"
    title = "Strengths"
    list_name = "strengths"
    item_title = "Strength"
    default_what = "strength"
    intro = "What the person brings: skills, supports, values, what has worked before."
