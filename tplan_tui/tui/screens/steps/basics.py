"""Steps 1 and 2: who the plan is for, and the history and assessment (clinician-only)."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.css.query import NoMatches
from textual.suggester import SuggestFromList
from textual.widgets import Input, Select

from tplan_tui.core.editing import Path
from tplan_tui.tui.screens.steps.base import (
    ItemCard,
    ListSection,
    StepForm,
    add_button,
    field_id,
    hint,
)
from tplan_tui.tui.teardown import taken_down
from tplan_tui.tui.widgets.concerns import ConcernsField, redraw_concerns
from tplan_tui.tui.widgets.fields import (
    AreaField,
    Field,
    FlagField,
    PlanInput,
    PlanSelect,
    TextField,
    focus_now,
)

LEVELS_OF_CARE = [
    "outpatient",
    "intensive outpatient",
    "partial hospitalization",
    "residential",
    "inpatient",
    "community-based",
]
CADENCE_PRESETS = [
    ("30 days (intensive services)", 30),
    ("90 days (outpatient)", 90),
    ("Other…", 0),
]


def text(label: str, path: Path, value: Any, **kw: Any) -> TextField:
    return TextField(label, path, value, id=field_id(path), **kw)


def area(label: str, path: Path, value: Any, **kw: Any) -> AreaField:
    return AreaField(label, path, value, id=field_id(path), **kw)


class CadenceField(Field):
    """Review cadence: a preset (30 or 90 days) or any number of days from 1 to 365."""

    def __init__(self, value: int | None):
        super().__init__(
            "Review every",
            ("plan", "review_every_days"),
            value,
            kind="whole",
            limits={"lo": 1, "hi": 365},
            id=field_id(("plan", "review_every_days")),
        )

    def make_editor(self):
        presets = [v for _, v in CADENCE_PRESETS if v]
        chosen = self.value if self.value in presets else 0
        days = PlanInput(
            "" if self.value is None else str(self.value),
            placeholder="days (1-365)",
            compact=True,
            select_on_focus=False,
            restrict=r"\d{0,3}",
            id="cadence-days",
        )
        days.display = chosen == 0
        self._preset_value = chosen  # Select may announce its first value: not a user's choice
        preset = PlanSelect(
            CADENCE_PRESETS, value=chosen, allow_blank=False, compact=True, id="cadence-preset"
        )
        return Horizontal(preset, days, classes="field-editor cadence")

    def focus_editor(self) -> None:
        focus_now(self.query_one("#cadence-preset", Select))

    @on(Select.Changed, "#cadence-preset")
    def _preset(self, event: Select.Changed) -> None:
        event.stop()
        if event.value == self._preset_value:
            return
        self._preset_value = event.value
        days = self.query_one("#cadence-days", Input)
        if event.value == 0:
            days.display = True
            days.focus()
        else:
            days.display = False
            days.value = str(event.value)  # posts Input.Changed, which saves it

    @on(Input.Changed, "#cadence-days")
    def _days(self, event: Input.Changed) -> None:
        event.stop()
        self.edited(event.value)


class ClientStep(StepForm):
    key = "client"
    title = "Client"

    def compose(self) -> ComposeResult:
        p = self.plan
        c = p.client
        yield hint("Who the plan is for, who leads it, and how often it is reviewed.")
        yield text("Name", ("client", "name"), c.name, kind="text", hint="the name they go by")
        yield text("Full name", ("client", "full_name"), c.full_name, hint="optional")
        yield text("Pronouns", ("client", "pronouns"), c.pronouns, hint="e.g. she/her")
        yield text("Date of birth", ("client", "date_of_birth"), c.date_of_birth, kind="date")
        g = c.guardian
        with Vertical(id="guardian-box", classes="sub-section") as box:
            box.border_title = "Guardian (the client is a minor)"
            yield text("Guardian", ("client", "guardian", "name"), g.name if g else "", kind="text")
            yield text(
                "Relationship",
                ("client", "guardian", "relationship"),
                g.relationship if g else "",
                kind="text",
                hint="e.g. mother",
            )
        yield text("Clinician", ("clinician", "name"), p.clinician.name, kind="text")
        yield text(
            "Credentials", ("clinician", "credentials"), p.clinician.credentials, hint="e.g. LPC"
        )
        yield text("Start date", ("plan", "started"), p.plan.started, kind="date")
        level = text(
            "Level of care", ("plan", "level_of_care"), p.plan.level_of_care, hint="e.g. outpatient"
        )
        yield level
        yield CadenceField(p.plan.review_every_days)

    def on_mount(self) -> None:
        try:
            level = self.query_one(f"#{field_id(('plan', 'level_of_care'))} Input", Input)
            level.suggester = SuggestFromList(LEVELS_OF_CARE, case_sensitive=False)
            self.on_plan_changed(("client", "date_of_birth"))
        except NoMatches:
            if not taken_down(self):
                raise

    def on_plan_changed(self, path: Path) -> None:
        if path[:2] == ("client", "date_of_birth"):
            minor = (
                self.plan.client.is_minor_on(self.today) or self.plan.client.guardian is not None
            )
            self.query_one("#guardian-box").display = minor


def _as_typed(value: Any) -> str:
    """A value kept under extra as a field shows it: text as it is, anything else a file put
    there as its JSON (shown to be fixed; kept unchanged until it is edited)."""
    import json

    if value is None or isinstance(value, str):
        return value or ""
    return json.dumps(value, ensure_ascii=False, default=str)


class HistoryStep(StepForm):
    key = "history"
    title = "History and assessment"
    default_list = ("history", "diagnoses")
    default_what = "diagnosis"
    shows = ("history", "presenting_concerns")  # "Relates to" ticks the concerns by number
    BINDINGS = [
        Binding("f4", "screen.pick_code", "Pick code", id="plan.pickcode", show=False),
        Binding("alt+up", "screen.move_item(-1)", "Move up", id="plan.moveup", show=False),
        Binding("alt+down", "screen.move_item(1)", "Move down", id="plan.movedown", show=False),
    ]

    def compose(self) -> ComposeResult:
        h = self.plan.history
        yield hint("Clinician-only: none of this appears on the client's side or in their summary.")
        yield area("Demographics", ("history", "demographics"), h.demographics, lines=2)
        yield area("Psychosocial", ("history", "psychosocial"), h.psychosocial, lines=2)
        yield area("Symptom onset", ("history", "symptom_onset"), h.symptom_onset, lines=1)
        yield area("Past treatment", ("history", "treatment_history"), h.treatment_history, lines=2)
        yield area(
            "Referral", ("history", "referral"), h.referral, lines=1, hint="who referred, and why"
        )
        with ListSection("Diagnoses", ("history", "diagnoses"), "diagnosis"):
            yield hint("F4 picks a code by its start or words; Alt+↑/↓ moves (primary first).")
            for i, dx in enumerate(h.diagnoses):
                base = ("history", "diagnoses", i)
                # The format has no keys for these yet: kept under the diagnosis's extra.
                extra = (*base, "extra")
                yield ItemCard(
                    f"Diagnosis {i + 1}" + (" (primary)" if i == 0 else ""),
                    ("history", "diagnoses"),
                    i,
                    text(
                        "Code", (*base, "code"), dx.code, kind="text", hint="F4: pick, e.g. F41.1"
                    ),
                    text("Label", (*base, "label"), dx.label, kind="text"),
                    FlagField(
                        "Current", (*base, "current"), dx.current, id=field_id((*base, "current"))
                    ),
                    text(
                        "Diagnosed on",
                        (*extra, "diagnosed_on"),
                        _as_typed(dx.extra.get("diagnosed_on")),
                        kind="date",
                        hint="YYYY-MM-DD (F4 sets today)",
                    ),
                    text(
                        "Diagnosed by",
                        (*extra, "diagnosed_by"),
                        _as_typed(dx.extra.get("diagnosed_by")),
                        hint="name, credentials",
                    ),
                    # Why the diagnosis is in the plan: digits tick the concerns it relates to.
                    ConcernsField(
                        "Relates to",
                        (*extra, "concerns"),
                        dx.concerns,
                        self.concern_words,
                        id=field_id((*extra, "concerns")),
                    ),
                )
            yield add_button("diagnosis")
        yield area(
            "Clinician notes",
            ("clinician_notes",),
            self.plan.clinician_notes,
            lines=3,
            hint="never shown to the client",
        )

    def on_mount(self) -> None:
        from tplan_tui.core import codes

        if self.plan.history.diagnoses and not codes.is_loaded():
            # Codes typed here are checked once the code set is loaded (3 s, in a thread).
            self.run_worker(self._load_codes, thread=True, group="codes", exclusive=True)
        else:
            self._check_codes()

    async def ready(self, focus: Path | None = None) -> None:
        await super().ready(focus)
        # A malformed value a file brought under a diagnosis's extra is said under its field.
        for i, dx in enumerate(self.plan.history.diagnoses):
            for key in dx.extra:
                path = ("history", "diagnoses", i, "extra", key)
                warning = self.field_warning(path)
                for field in self.query(f"#{field_id(path)}").results(Field):
                    if warning and not field.has_class("-invalid"):
                        field.show_error(warning)

    def on_shown(self) -> None:
        redraw_concerns(self)  # reworded on step 3 meanwhile

    def _load_codes(self) -> None:
        from tplan_tui.core import codes

        codes.index()
        self.app.call_from_thread(self._check_codes)

    def _check_codes(self) -> None:
        for i in range(len(self.plan.history.diagnoses)):
            self._check_code(i)

    def field_warning(self, path: Path) -> str | None:
        """A diagnosis code that is not a billable ICD-10-CM code, said under it (kept as typed:
        the checklist lists it until it is fixed). Only once the code set is loaded."""
        from tplan_tui.core import codes

        if path[:2] == ("history", "diagnoses") and len(path) == 5 and path[3] == "extra":
            return self._extra_warning(int(path[2]), str(path[4]))
        if not (path[:2] == ("history", "diagnoses") and len(path) == 4 and path[3] == "code"):
            return None
        i = int(path[2])
        if not codes.is_loaded() or i >= len(self.plan.history.diagnoses):
            return None
        dx = self.plan.history.diagnoses[i]
        if not (codes.checked(dx) and dx.code.strip()):
            return None
        problem = codes.code_problem(dx.code, dx.label)
        return problem.split(" ", 1)[1] if problem else None  # "Code is not an ICD-10-CM…"

    def _extra_warning(self, i: int, key: str) -> str | None:
        from tplan_tui.core.diagnosis_extra import KEYS, key_problem

        diagnoses = self.plan.history.diagnoses
        if key not in KEYS or i >= len(diagnoses) or key not in diagnoses[i].extra:
            return None
        value = diagnoses[i].extra[key]
        return key_problem(key, value, len(self.plan.presenting_concerns), self.today)

    def _check_code(self, i: int) -> None:
        if taken_down(self):  # the code set loaded (a thread) as the plan closed: parts are gone
            return
        path = ("history", "diagnoses", i, "code")
        for field in self.query(f"#{field_id(path)}").results(Field):
            if not field.has_class("-invalid"):
                field.show_error(self.field_warning(path))

    def on_plan_changed(self, path: Path) -> None:
        if path[:2] == ("history", "diagnoses") and len(path) >= 4 and path[3] == "label":
            self._check_code(int(path[2]))  # the label finds the nearest codes
