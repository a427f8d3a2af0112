"""The store has one owner in the app: every store call is made on one thread, and the event loop
never waits for the disk (a slow save leaves the keyboard and the screen alive)."""

from __future__ import annotations

import threading
from datetime import date
from typing import Any

from textual.widgets import OptionList

from tests.samples import CHRIS_YAML
from tests.tui_helpers import TEST_PIN, Keyboard, Notes, settled, with_pin
from tplan_tui.core.model import Plan
from tplan_tui.store import Store, audit, open_store
from tplan_tui.tui.app import make_app
from tplan_tui.tui.screens.caseload import CaseloadScreen
from tplan_tui.tui.screens.modals import AskPath, Choose, Confirm
from tplan_tui.tui.screens.plan import PlanScreen
from tplan_tui.tui.screens.safety import AttentionScreen, RiskScreen, SafetyPlanScreen
from tplan_tui.tui.screens.summary_view import SummaryScreen

TODAY = date(2016, 10, 3)


async def until(pilot, condition, what: str, tries: int = 600) -> None:
    """Wait (letting the app run) until ``condition()`` holds; fail naming ``what``."""
    for _ in range(tries):
        if condition():
            return
        await pilot.pause(0.02)
    raise AssertionError(f"never happened: {what}")


def indicator(app) -> str:
    return str(app.screen.query_one("#step-indicator").render())


async def test_an_edit_never_waits_for_a_slow_disk_and_the_save_lands_after(tmp_path):
    store = open_store(tmp_path / "db")
    plan = Plan()
    plan.client.name = "Casey"
    plan_id = store.create(plan).plan_id
    writing = threading.Event()  # a save has reached the disk and is stuck there
    disk_free = threading.Event()  # the test lets it finish
    real_save = store.save

    def stuck_save(*args: Any, **kwargs: Any):
        writing.set()
        assert disk_free.wait(30), "the test never freed the disk"
        return real_save(*args, **kwargs)

    store.save = stuck_save  # type: ignore[method-assign]
    app = make_app(store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        await pilot.press("enter")
        screen = app.screen
        assert isinstance(screen, PlanScreen)
        kb = Keyboard(pilot)
        await kb.press("end")
        await kb.type(" B")
        await until(pilot, writing.is_set, "the autosave reached the (stuck) disk")
        # The save cannot finish; the keyboard and the screen still answer at once.
        await kb.type("rown")
        assert screen.query_one("#f-client-name Input").value == "Casey Brown"
        await kb.press("pagedown")
        assert "Step 2 of 9" in indicator(app) and "Casey Brown" in indicator(app)
        assert "all changes saved" not in indicator(app)  # it says the truth: not yet
        assert open_store(tmp_path / "db").load(plan_id).plan.client.name == "Casey"
        disk_free.set()
        await until(
            pilot,
            lambda: open_store(tmp_path / "db").load(plan_id).plan.client.name == "Casey Brown",
            "the newest copy saved once the disk is free",
        )
        await until(pilot, lambda: "all changes saved" in indicator(app), "'all changes saved'")
    assert open_store(tmp_path / "db").load(plan_id).meta["step"] == "history"


class RecordingStore:
    """A store that notes which thread touches it, for every attribute and call."""

    def __init__(self, store: Store):
        self._store = store
        self.recording = False
        self.touches: list[tuple[str, str]] = []

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._store, name)
        if self.recording:
            self.touches.append((name, threading.current_thread().name))
        return value


async def test_every_store_call_of_a_session_is_made_on_the_one_owner_thread(tmp_path, chris):
    store = open_store(tmp_path / "db")
    [plan_id] = store.import_plans([chris])
    recording = RecordingStore(store)
    app = make_app(recording, with_pin(store), today=TODAY)  # type: ignore[arg-type]
    recording.recording = True  # from the moment the app runs
    summary_file = tmp_path / "out" / "summary.txt"
    async with app.run_test(size=(80, 24)) as pilot:
        kb = Keyboard(pilot)
        await settled(pilot)  # list
        await kb.press("enter")  # open
        assert isinstance(app.screen, PlanScreen)
        await kb.press("tab", "tab", "end", "ctrl+u")
        await kb.type("they/them")  # edit
        await kb.press("escape")
        await settled(pilot)
        assert isinstance(app.screen, CaseloadScreen)
        await kb.press("ctrl+k", "6")  # check-in
        await kb.press("ctrl+s")
        await settled(pilot)
        await until(pilot, lambda: isinstance(app.screen, CaseloadScreen), "check-in saved")
        await kb.press("ctrl+r", "i", "enter")  # review: the one goal improving, then the note
        assert app.screen.focused.id == "walk-note"
        await kb.type("Going steadily.")
        await kb.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, Choose), "the review recorded")
        await kb.press("3")
        await until(pilot, lambda: isinstance(app.screen, CaseloadScreen), "back from review")
        await app.screen.action_tool("versions")  # earlier versions (the review kept version 1)
        listed = app.screen.query_one(OptionList)
        prompts = [str(listed.get_option_at_index(i).prompt) for i in range(listed.option_count)]
        assert any(p.startswith("Version 1 · replaced") for p in prompts), prompts
        await kb.press("escape")
        await kb.press("ctrl+t", "ctrl+s")  # export the client summary
        assert isinstance(app.screen, AskPath)
        await kb.press("ctrl+u")
        await kb.type(str(summary_file))
        await kb.press("enter")
        await until(pilot, summary_file.exists, "the summary written")
        assert isinstance(app.screen, SummaryScreen)
        await kb.press("escape", "ctrl+o")  # import a plan file
        await kb.type(str(CHRIS_YAML))
        await kb.press("enter")
        await until(pilot, lambda: isinstance(app.screen, Confirm), "Chris is there: asked")
        await kb.press("y")  # a second copy, yes
        await settled(pilot)
        await until(pilot, lambda: len(app.screen.rows) == 2, "the imported plan listed")
        # Safety (Ctrl+A): the safety plan step, a risk assessment, the alert addressed.
        safety_id = app.screen.highlighted()
        await kb.press("ctrl+a")
        await until(pilot, lambda: isinstance(app.screen, AttentionScreen), "the attention dialog")
        await kb.press("s")
        await until(pilot, lambda: isinstance(app.screen, SafetyPlanScreen), "the safety plan")
        await kb.type("Pacing at night")
        await kb.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, CaseloadScreen), "safety plan saved")
        await kb.press("ctrl+a")
        await until(pilot, lambda: isinstance(app.screen, AttentionScreen), "the attention dialog")
        await kb.press("r")
        await until(pilot, lambda: isinstance(app.screen, RiskScreen), "the risk assessment")
        await kb.press("h", "enter")  # high risk: it raises an alert, said at once
        await kb.type("Asked and answered.")
        await kb.press("enter")
        await until(pilot, lambda: isinstance(app.screen, AttentionScreen), "the alert said")
        await kb.press("a")
        await until(pilot, lambda: bool(app.screen.query("#answer")), "the addressed note")
        await kb.type("Went over the safety plan")
        await kb.press("enter")
        await until(pilot, lambda: isinstance(app.screen, CaseloadScreen), "back from safety")
        await settled(pilot)
        await kb.press("f12")  # lock, unlock with the PIN
        await kb.press(*TEST_PIN, "enter")
        await settled(pilot)
        await pilot.press("ctrl+q")
    touched = {name for name, _thread in recording.touches}
    assert {"list_plans", "load", "save", "versions", "import_plans"} <= touched
    assert {"addressed", "mark_addressed"} <= touched
    assert {thread for _name, thread in recording.touches} == {"store-owner"}, sorted(
        set(recording.touches)
    )
    stored = open_store(tmp_path / "db").load(plan_id).plan
    assert stored.client.pronouns == "they/them"
    assert stored.goals[0].progress[-1].client_rating == 6
    assert stored.reviews[-1].note == "Going steadily."
    safety = open_store(tmp_path / "db").load(safety_id).plan.safety
    assert safety.plan is not None and safety.plan.warning_signs == ["Pacing at night"]
    assert safety.assessments[-1].risk == "high"
    assert open_store(tmp_path / "db").addressed(safety_id)[-1].note == "Went over the safety plan"
    actions = [e.action for e in audit.read(store)]
    for wanted in ("open", "edit", "export", "import", "lock", "unlock", "attention addressed"):
        assert wanted in actions


async def test_quit_during_a_stuck_save_says_so_and_loses_nothing(tmp_path, monkeypatch):
    from tplan_tui.tui import app as app_module

    monkeypatch.setattr(app_module, "QUIT_WAIT_S", 0.3)  # instead of 10 s
    store = open_store(tmp_path / "db")
    plan = Plan()
    plan.client.name = "Sam"
    plan_id = store.create(plan).plan_id
    writing, disk_free = threading.Event(), threading.Event()
    real_save = store.save

    def stuck_save(*args: Any, **kwargs: Any):
        writing.set()
        assert disk_free.wait(30), "the test never freed the disk"
        return real_save(*args, **kwargs)

    store.save = stuck_save  # type: ignore[method-assign]
    app = make_app(store, today=TODAY)
    notes = Notes(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        await pilot.press("enter")
        kb = Keyboard(pilot)
        await kb.press("end")
        await kb.type("my")
        await pilot.press("ctrl+q")  # the save is handed over now, and sticks
        await until(pilot, writing.is_set, "the save reached the (stuck) disk")
        assert app.is_running
        assert notes.said("Still saving")
        disk_free.set()
        await pilot.press("ctrl+q")
    assert not app.is_running
    assert open_store(tmp_path / "db").load(plan_id).plan.client.name == "Sammy"


async def test_a_list_that_arrives_after_the_caseload_closed_is_dropped_quietly(tmp_path, chris):
    # Seen on a busy machine: Ctrl+Q right at start, the list read on the owner thread arrives
    # after the app removed the caseload's widgets, and filling them failed the worker on exit.
    store = open_store(tmp_path / "db")
    store.import_plans([chris])
    app = make_app(store, today=date(2026, 12, 5))
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        screen = app.screen
        assert isinstance(screen, CaseloadScreen)
        rows, problems = store.list_plans()
        await screen.query_one("#caseload").remove()
        screen._loaded(rows, problems)  # must neither raise nor draw
        assert not screen.query("#plans")


async def test_a_list_read_while_the_app_closes_is_dropped_not_a_crash(tmp_path):
    """Seen in CI: the caseload's list came back from the owner thread while the app was closing,
    after Textual had taken down the "no plans" line but before the table's box. Filling the list
    then failed its worker, and the app stopped on an error on the way out."""
    import asyncio

    from textual import events

    store = open_store(tmp_path / "db")
    app = make_app(store, today=TODAY)
    worker = app.store_worker
    hold = asyncio.Event()
    held = []
    real_run = worker.run

    async def run_held(job):
        # Only the caseload's list is held: every other job of the app goes through as before.
        result = await real_run(job)
        if getattr(job, "__qualname__", "").startswith("CaseloadScreen.reload"):
            held.append(job)
            await hold.wait()
        return result

    def hook(message) -> None:
        # The moment Textual takes down the caseload's "no plans" line at shutdown, the list
        # arrives: the caseload's own box and table are still there.
        if isinstance(message, events.Unmount) and getattr(message._sender, "id", None) == "empty":
            hold.set()

    worker.run = run_held  # type: ignore[method-assign]
    async with app.run_test(size=(80, 24), message_hook=hook) as pilot:
        await until(pilot, lambda: held, "the caseload's list read and held")
        assert not hold.is_set()
    assert hold.is_set(), "the list was never handed back during shutdown"
    assert app.return_code in (None, 0) and not app._exception
