"""Step 9: the whole plan on one screen, what is missing or vague, and the signatures.

The checklist is the practice's profile (``core/completeness.py``, the ``profile`` setting), in
words, one line per item; Enter or the item's digit opens the field it names. Diagnosis codes
join the list once the code set is loaded, in a worker thread, so the step never freezes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.css.query import NoMatches
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tplan_tui.core import model as m
from tplan_tui.core.editing import Path
from tplan_tui.core.model import Plan
from tplan_tui.tui.safe import safe_text
from tplan_tui.tui.screens.steps.base import (
    ItemCard,
    ListSection,
    StepForm,
    add_button,
    field_id,
    hint,
)
from tplan_tui.tui.screens.steps.basics import text
from tplan_tui.tui.screens.steps.client_words_block import ClientWordsBlock
from tplan_tui.tui.screens.steps.goals import choice
from tplan_tui.tui.teardown import taken_down
from tplan_tui.tui.widgets.fields import FlagField

ROLES = [(r, r) for r in m.SIGNATURE_ROLES]
PLAN_STATUS = [(s, s) for s in m.PLAN_STATUSES]
SHOWN_ITEMS = 40  # the list scrolls; a plan missing more than this is listed in part


@dataclass(frozen=True)
class CheckItem:
    """One line of the checklist: the field it names (a path as the plan file writes it), and
    what is missing there in words. ``needed``: required by the profile (else advice)."""

    path: str
    words: str
    needed: bool = True


def plan_checklist(
    plan: Plan, today: date, profile: str = "basic", *, codes: bool = False
) -> list[CheckItem]:
    """What is missing (the profile's elements) and then what may be vague, in words."""
    from tplan_tui.core.completeness import missing
    from tplan_tui.core.measurable import vagueness
    from tplan_tui.core.safety import safety_plan_before_risk

    items = [CheckItem(f.path, f.words) for f in missing(plan, today, profile, codes=codes)]
    if not plan.strengths and not any(i.path == "strengths" for i in items):
        items.append(
            CheckItem("strengths", "No strengths yet: every plan builds on what the person brings.")
        )
    stale = safety_plan_before_risk(plan)
    if stale is not None:
        # Advice, not a missing element: a safety plan gone over with the client and still
        # right keeps its date, and signing must not then ask for a reason.
        risk, made = stale
        items.append(
            CheckItem(
                "safety.plan",
                f"The safety plan is from {made.isoformat()}, before the latest risk "
                f"assessment ({risk.date.isoformat()}, {risk.risk} risk): go over it again "
                "with the client (step 5: S).",
                False,
            )
        )
    for gi, goal in enumerate(plan.goals):
        if goal.text.strip():
            why = vagueness(goal.text)
            if why:
                items.append(
                    CheckItem(f"goals[{gi}].text", f"Goal {gi + 1} may be vague: {why}.", False)
                )
        for oi, obj in enumerate(goal.objectives):
            if obj.text.strip():
                why = vagueness(obj.text)
                if why:
                    items.append(
                        CheckItem(
                            f"goals[{gi}].objectives[{oi}].text",
                            f"Objective {gi + 1}.{oi + 1} may be vague: {why}.",
                            False,
                        )
                    )
    return items


def incomplete_items(plan: Plan, today: date, profile: str, *, codes: bool) -> list[CheckItem]:
    """What is still missing apart from the signatures themselves: signing now needs a reason."""
    return [
        i
        for i in plan_checklist(plan, today, profile, codes=codes)
        if i.needed and i.path != "signatures"
    ]


class Checklist(OptionList):
    """The checklist: Enter on an item, or its digit (1-9), opens the field it names."""

    BINDINGS = [
        Binding("enter", "open_highlighted", "Open", show=False),
        *[Binding(str(n), f"open_number({n})", f"Open item {n}", show=False) for n in range(1, 10)],
    ]

    @dataclass
    class Open(Message):
        path: str

    def __init__(self) -> None:
        super().__init__(id="checklist", compact=True, classes="checklist")
        self.items: list[CheckItem] = []

    def show(self, items: list[CheckItem]) -> None:
        self.items = items[:SHOWN_ITEMS]
        highlighted = self.highlighted
        self.clear_options()
        for n, item in enumerate(self.items, 1):
            key = f"{n}" if n <= 9 else " "
            line = Text(f"{key} {'•' if item.needed else '?'} ")
            line.append(item.words)
            self.add_option(Option(safe_text(line), id=str(n)))
        if self.items:
            self.highlighted = min(highlighted or 0, len(self.items) - 1)
        self.display = bool(self.items)

    def action_open_highlighted(self) -> None:
        if self.highlighted is not None and self.highlighted < len(self.items):
            self.post_message(self.Open(self.items[self.highlighted].path))

    def action_open_number(self, n: int) -> None:
        if n <= len(self.items):
            self.highlighted = n - 1
            self.post_message(self.Open(self.items[n - 1].path))


def signature_title(plan: Plan, i: int) -> str:
    s = plan.signatures[i]
    if s.version == plan.plan.version:
        return f"Signature {i + 1}"
    return f"Signature {i + 1} (signed an earlier version: {s.version})"


def status_options(plan: Plan) -> list[tuple[str, str]]:
    # A plan is completed by a closing review (it records why), not by this choice.
    return [(s, s) for s in m.PLAN_STATUSES if s != "completed" or plan.plan.status == "completed"]


def changes_text(previous: tuple[int, Plan] | None, plan: Plan) -> Text:
    """What changed since the previous version, for the people about to sign again."""
    from tplan_tui.core.changes import changes_in_words

    out = Text()
    if previous is None:
        return out
    number, old = previous
    signers = ", ".join(
        f"{s.name or s.role} ({s.role})" for s in old.signatures if s.version == number
    )
    out.append(
        f"Changed since version {number}" + (f", signed by {signers}" if signers else "") + ":\n",
        style="bold",
    )
    for line in changes_in_words(old, plan):
        out.append(f"  • {line}\n")
    return out


def plan_overview(plan: Plan) -> Text:
    out = Text()
    out.append(f"{plan.client.name or '(no name)'}", style="bold")
    out.append(
        f" · {plan.clinician.name or '(no clinician)'} · status {plan.plan.status} · version {plan.plan.version}\n"
    )
    out.append(
        f"{len(plan.presenting_concerns)} concern(s), {len(plan.strengths)} strength(s), {len(plan.goals)} goal(s)\n"
    )
    for gi, g in enumerate(plan.goals, 1):
        r = g.rating
        measure = f"{r.label} {r.baseline if r.baseline is not None else '?'}→{r.target if r.target is not None else '?'}"
        text = " ".join(g.text.split()) or "(no text)"
        out.append(f"  Goal {gi}: {text if len(text) <= 60 else text[:59] + '…'}\n")
        out.append(
            f"    {measure}; {len(g.objectives)} objective(s), {len(g.interventions)} intervention(s)\n"
        )
    return out


class ReviewStep(StepForm):
    key = "review"
    title = "Review and sign"
    default_list = ("signatures",)
    default_what = "signature"
    shows = ("signatures",)

    @property
    def profile(self) -> str:
        settings = getattr(self.app, "settings", None)
        return getattr(settings, "profile", "basic")

    def compose(self) -> ComposeResult:
        yield Static(safe_text(plan_overview(self.plan)), id="overview", classes="overview")
        yield Static(id="checklist-title", classes="checklist-title")
        yield Checklist()
        # Other checks add their own short lists here (e.g. client lines in the third person).
        yield Vertical(id="sign-extras", classes="sign-extras")
        yield choice(
            "Plan status", ("plan", "status"), self.plan.plan.status, status_options(self.plan)
        )
        if self.plan.plan.status != "completed":
            yield hint("To complete the plan, record a closing review (Ctrl+R on the caseload).")
        yield ClientWordsBlock()  # lines written about the client (issue 13)
        changes = Static(id="changes", classes="checklist")  # read just before signing again
        changes.display = False  # until the plan screen says what changed (show_changes)
        yield changes
        with ListSection("Signatures", ("signatures",), "signature"):
            for i, s in enumerate(self.plan.signatures):
                base = ("signatures", i)
                extra = (*base, "extra")
                yield ItemCard(
                    signature_title(self.plan, i),
                    ("signatures",),
                    i,
                    choice("Role", (*base, "role"), s.role, ROLES),
                    text("Name", (*base, "name"), s.name, kind="text"),
                    # The format has no keys for these: kept under the signature's extra.
                    text(
                        "Credentials",
                        (*extra, "credentials"),
                        s.credentials or None,
                        hint="on the signature line, e.g. LCSW",
                    ),
                    text("Signed on", (*base, "signed_on"), s.signed_on, kind="date"),
                    FlagField(
                        "Declined",
                        (*extra, "declined"),
                        s.declined,
                        id=field_id((*extra, "declined")),
                    ),
                    FlagField(
                        "Offered copy",
                        (*extra, "offered_copy"),
                        s.offered_copy,
                        id=field_id((*extra, "offered_copy")),
                    ),
                )
            yield add_button("signature (dated today)")

    def on_mount(self) -> None:
        try:
            self.refresh_checklist()
        except NoMatches:
            if not taken_down(self):
                raise
            return
        # The checklist takes the focus (its digits open items); keep its title in view.
        self.call_after_refresh(self.scroll_home, animate=False)
        from tplan_tui.core import codes

        if not codes.is_loaded() and self.plan.history.diagnoses:
            # 3 s the first time: in a thread, then the list is drawn again with the codes.
            self.run_worker(self._load_codes, thread=True, group="codes", exclusive=True)

    def _load_codes(self) -> None:
        from tplan_tui.core import codes

        codes.index()
        self.app.call_from_thread(self._codes_loaded)

    def _codes_loaded(self) -> None:
        if not taken_down(self):  # not while the step is dropped (its parts go first)
            at_top = self.scroll_y <= 1
            self.refresh_checklist()
            if at_top:
                self.call_after_refresh(self.scroll_home, animate=False)

    def on_shown(self) -> None:
        self.refresh_checklist()  # everything on the other steps may have changed

    def show_changes(self, previous: tuple[int, Plan] | None) -> None:
        """Show what changed since ``previous`` (number, plan), the version signed before."""
        changes = self.query_one("#changes", Static)
        changes.update(safe_text(changes_text(previous, self.plan)))
        changes.display = previous is not None

    def refresh_checklist(self) -> None:
        from tplan_tui.core import codes
        from tplan_tui.core.completeness import load_profile

        items = plan_checklist(self.plan, self.today, self.profile, codes=codes.is_loaded())
        title = Text()
        needed = sum(1 for i in items if i.needed)
        profile = load_profile(self.profile).title
        if items:
            title.append(f"To look at before signing ({needed} missing", style="bold")
            title.append(f", {len(items) - needed} advice" if len(items) > needed else "")
            title.append(f"; profile: {profile}):", style="bold")
            title.append("\n1-9 or Enter opens the field · • missing · ? advice")
        else:
            title.append(
                f"✓ Nothing missing for the {profile} profile: the plan is complete and signed.",
                style="bold",
            )
        if self.plan.history.diagnoses and not codes.is_loaded():
            title.append("\n(checking the diagnosis codes…)")
        self.query_one("#checklist-title", Static).update(safe_text(title))
        self.query_one(Checklist).show(items)
        self.query_one(ClientWordsBlock).check(self.plan)
        self.query_one("#overview", Static).update(safe_text(plan_overview(self.plan)))
        for card in self.walk_children(ItemCard):
            if card.list_path == ("signatures",) and card.index < len(self.plan.signatures):
                card.border_title = safe_text(signature_title(self.plan, card.index))

    def on_plan_changed(self, path: Path) -> None:
        self.refresh_checklist()
