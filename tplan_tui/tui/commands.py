"""The command palette (Ctrl+P): every key of the screen and the app, and the actions that have
no key (each step of a plan, earlier versions, consents…), by name.

The keyed commands are read from the bindings, so a key, its name and its sentence have one
source: the ``Binding`` (the footer and the help screen read the same one).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider

from tplan_tui.tui.screens.appscreen import tplan_app

Command = tuple[str, str, Callable[[], Any]]

# Keys that only move the focus or the highlight: in the palette they would do nothing useful.
NOT_IN_PALETTE = {
    "app.tab",
    "app.shift_tab",
    "plan.enter",
    "caseload.down",
    "caseload.up",
    "risk.enter",  # the risk dialog's Enter: the next field, or Save (which has its own command)
}


def keyed_commands(holder: Any, key_display: Callable[[Binding], str]) -> list[Command]:
    """One command per binding of ``holder`` (a screen or the app): its description, its
    sentence with the key, and the action it runs."""
    out: list[Command] = []
    for binding in holder.BINDINGS:
        if not isinstance(binding, Binding) or binding.id in NOT_IN_PALETTE:
            continue
        keys = ", ".join(key_display(Binding(k.strip(), "")) for k in binding.key.split(","))
        sentence = binding.tooltip or binding.description
        out.append(
            (
                binding.description,
                f"{sentence} ({keys})",
                partial(holder.run_action, binding.action),
            )
        )
    return out


async def plan_view(screen: Any, view: Callable[[str], Awaitable[None]]) -> None:
    """A read-only view of the plan being edited. Its save is queued first, and the store's
    owner runs jobs in order, so the view shows what is typed."""
    screen.save_if_dirty()
    await view(screen.plan_id)


class TplanCommands(Provider):
    def _commands(self) -> list[Command]:
        from tplan_tui.tui.screens.caseload import CaseloadScreen
        from tplan_tui.tui.screens.plan import PlanScreen

        app = tplan_app(self.screen)
        screen = self.screen
        out: list[Command] = []
        seen: set[str] = set()
        for holder in (screen, app):
            for command in keyed_commands(holder, app.get_key_display):
                if command[0] not in seen:  # a screen's key hides the app's of the same name
                    seen.add(command[0])
                    out.append(command)
        if isinstance(screen, CaseloadScreen):
            out += [
                (
                    "Versions and what changed",
                    "Earlier versions of the highlighted plan, read-only.",
                    partial(screen.action_tool, "versions"),
                ),
                (
                    "Consents (releases of information)",
                    "Add, expire, revoke; share under one.",
                    partial(screen.action_tool, "consents"),
                ),
            ]
        if isinstance(screen, PlanScreen):
            from tplan_tui.tui.screens.steps import STEPS

            for n, step in enumerate(STEPS, 1):
                out.append(
                    (
                        f"Go to step {n}: {step.title}",
                        "Jump to this step.",
                        partial(screen.go_to, n - 1),
                    )
                )
            tools = app.tools
            out += [
                (
                    "Safety plan: go over it with the client",
                    "One part at a time, the client's side growing; saved with the plan.",
                    screen.action_safety_plan,
                ),
                (
                    "Risk assessment: record one",
                    "The level by one key, a note, today's date (clinician-only).",
                    screen.action_risk,
                ),
                (
                    "Safety plan page (the client's, to print)",
                    "The client's safety plan on one page, to read together or save.",
                    screen.action_safety_page,
                ),
                (
                    "Save this goal to my library",
                    "Keep the goal you are in for other plans.",
                    screen.action_save_goal_to_library,
                ),
                (
                    "Progress (trends)",
                    "Each goal's ratings over time, read-only.",
                    partial(plan_view, screen, tools.progress),
                ),
                (
                    "Versions and what changed",
                    "Earlier versions of this plan, read-only.",
                    partial(plan_view, screen, tools.versions),
                ),
                ("Save now", "Autosave does this within a second anyway.", screen.save_now),
            ]
        return out

    def _places(self) -> list[Command]:
        """Each goal, objective, intervention and rating field of the open plan, to jump to.
        Offered when searching ("goal 3", "objective 2.1", "baseline"), not in the list shown
        before typing, which a 12-goal plan would fill."""
        from tplan_tui.core.places import places
        from tplan_tui.tui.screens.plan import PlanScreen

        screen = self.screen
        if not isinstance(screen, PlanScreen):
            return []
        return [
            (place.name, place.help, partial(screen.go_to_field, place.step, place.path))
            for place in places(screen.plan)
        ]

    async def discover(self) -> Hits:
        for name, help_text, action in self._commands():
            yield DiscoveryHit(name, action, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, action in self._commands() + self._places():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), action, help=help_text)
