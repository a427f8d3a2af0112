"""Full garbage collections wait for a rest of the keyboard (tui/idle_gc.py): Python's own are put
off while the app runs and come back when it ends."""

from __future__ import annotations

import gc

import pytest

from tplan_tui.tui import idle_gc
from tplan_tui.tui.idle_gc import IdleCollector


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def thresholds():
    saved = gc.get_threshold()
    yield saved
    gc.set_threshold(*saved)


def test_python_full_collections_are_put_off_while_running_and_come_back(thresholds):
    collector = IdleCollector(Clock())
    collector.start()
    assert gc.get_threshold()[:2] == thresholds[:2]
    assert gc.get_threshold()[2] == idle_gc.PUT_OFF
    collector.stop()
    assert gc.get_threshold() == thresholds


@pytest.fixture
def calls(monkeypatch) -> list[str]:
    """What the collector asked of Python's collector, in order (recorded, not run)."""
    done: list[str] = []
    for name in ("collect", "freeze", "unfreeze"):
        monkeypatch.setattr(idle_gc.gc, name, lambda *a, name=name: done.append(name) or 0)
    return done


@pytest.fixture
def runs(calls) -> list[str]:
    """The collections run (a short one or a whole one: one "collect" each)."""

    class Runs(list):
        def __len__(self) -> int:
            return calls.count("collect")

    return Runs()


def test_a_collection_runs_once_the_keyboard_rests_and_not_while_typing(thresholds, runs):
    clock = Clock()
    collector = IdleCollector(clock)
    collector.start()
    for _ in range(10):  # a key every half second: never rested
        clock.now += 0.5
        collector.key()
        assert not collector.check()
    clock.now += idle_gc.REST_S  # rested
    assert collector.check()
    clock.now += 5
    assert not collector.check()  # nothing done since: no second collection
    assert len(runs) == 1
    collector.stop()


def test_a_session_that_never_rests_is_still_collected(thresholds, runs):
    clock = Clock()
    collector = IdleCollector(clock)
    collector.start()
    typed = 0.0
    while typed < idle_gc.LATEST_S * 2 + 1:
        clock.now += 0.25
        typed += 0.25
        collector.key()
        collector.check()
    assert len(runs) == 2
    collector.stop()


async def test_the_app_puts_them_off_while_it_runs(tmp_path, thresholds):
    from tests.tui_helpers import settled
    from tplan_tui.store import open_store
    from tplan_tui.tui.app import make_app

    app = make_app(open_store(tmp_path / "db"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot)
        assert gc.get_threshold()[2] == idle_gc.PUT_OFF
        during = gc.get_threshold()
    assert gc.get_threshold() != during
    assert gc.get_threshold()[2] != idle_gc.PUT_OFF


def test_what_a_short_collection_keeps_is_frozen_and_a_long_rest_walks_it_all_again(
    thresholds, calls
):
    clock = Clock()
    collector = IdleCollector(clock)
    collector.start()
    clock.now += 0.5
    collector.key()
    clock.now += idle_gc.REST_S
    assert collector.check() == "short"
    assert calls == ["collect", "freeze"]  # the next one walks only what is made after it
    clock.now += idle_gc.THAW_REST_S  # no key since: nothing to walk again
    assert collector.check() is None
    collector.key()
    clock.now += idle_gc.REST_S
    assert collector.check() == "short"
    calls.clear()
    clock.now += idle_gc.THAW_REST_S - idle_gc.REST_S  # a talk with the client
    assert collector.check() == "whole"
    assert calls == ["unfreeze", "collect", "freeze"]  # widgets let go meanwhile are freed
    clock.now += 60
    assert collector.check() is None
    collector.stop()
    assert calls[-1] == "unfreeze"  # the process goes on without what this app froze


def test_a_session_without_a_long_rest_still_walks_it_all_now_and_then(thresholds, calls):
    clock = Clock()
    collector = IdleCollector(clock)
    collector.start()
    while clock.now < 1000.0 + idle_gc.THAW_LATEST_S + idle_gc.LATEST_S + 1:
        clock.now += 0.25
        collector.key()
        collector.check()
    assert calls.count("unfreeze") == 1
    collector.stop()


def test_an_app_that_froze_nothing_thaws_nothing(thresholds, calls):
    collector = IdleCollector(Clock())
    collector.start()
    collector.stop()
    assert calls == []
