"""The command palette (Ctrl+P): every action of the app and every step of a plan, by name."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider


async def plan_view(screen, tool: str) -> None:
    """A read-only view of the plan being edited: saved first, so the view shows what is typed."""
    from tplan_tui.tui.screens.plan_tools import open_tool

    screen.flush()
    await open_tool(screen.app, tool, screen.plan_id)


class TplanCommands(Provider):
    def _commands(self) -> list[tuple[str, str, object]]:
        app = self.app
        screen = self.screen
        out: list[tuple[str, str, object]] = [
            ("Keys: show every key", "What each key does (F1).", app.action_help),
            ("Quit", "Save everything and quit (Ctrl+Q).", app.action_quit),
            ("Lock now", "Hide every plan until unlocked (F12).", app.action_lock),
        ]
        from tplan_tui.tui.screens.caseload import CaseloadScreen
        from tplan_tui.tui.screens.plan import PlanScreen

        if isinstance(screen, CaseloadScreen):
            out += [
                ("New plan", "Start a new plan (Ctrl+N).", app.new_plan),
                ("Import a plan file", "Import a YAML plan file (Ctrl+O).", app.import_file),
                (
                    "Open the highlighted plan",
                    "Open it where it was left (Enter).",
                    screen.action_open_plan,
                ),
                (
                    "Client summary of the highlighted plan",
                    "Full screen, to read or save (Ctrl+T).",
                    screen.action_summary,
                ),
                (
                    "Check-in on the highlighted plan",
                    "Rate each goal, client and clinician (Ctrl+K).",
                    partial(screen.action_tool, "checkin"),
                ),
                (
                    "Review plan",
                    "Review the highlighted plan; starts a new version (Ctrl+R).",
                    partial(screen.action_tool, "review"),
                ),
                (
                    "Progress of the highlighted plan",
                    "Each goal's ratings over time (Ctrl+G).",
                    partial(screen.action_tool, "progress"),
                ),
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
                (
                    "Share… under a consent",
                    "A copy for someone else, only under a current consent (Ctrl+E).",
                    partial(screen.action_tool, "share"),
                ),
                (
                    "Reviews due soon or overdue: show only these",
                    "Filter the caseload (Ctrl+F; again: all).",
                    screen.action_toggle_due,
                ),
                (
                    "Completed plans: show or hide",
                    "Completed plans leave the list (Ctrl+L).",
                    screen.action_toggle_completed,
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
            out += [
                ("Next step", "PageDown.", screen.action_next_step),
                ("Previous step", "PageUp.", screen.action_previous_step),
                ("Add an item", "Add to the list you are in (Ctrl+N).", screen.action_add_item),
                (
                    "Remove this item",
                    "Remove the item you are in (Ctrl+R).",
                    screen.action_remove_item,
                ),
                (
                    "Client side: show or hide",
                    "Switch to the client's side (Ctrl+O).",
                    screen.action_toggle_pane,
                ),
                (
                    "Goal library",
                    "Add a goal or steps from the library (Ctrl+L).",
                    screen.action_library,
                ),
                (
                    "Save this goal to my library",
                    "Keep the goal you are in for other plans.",
                    screen.action_save_goal_to_library,
                ),
                (
                    "Client summary",
                    "The client's plain-language summary, full screen (Ctrl+T).",
                    screen.action_summary,
                ),
                (
                    "Progress (trends)",
                    "Each goal's ratings over time, read-only.",
                    partial(plan_view, screen, "progress"),
                ),
                (
                    "Versions and what changed",
                    "Earlier versions of this plan, read-only.",
                    partial(plan_view, screen, "versions"),
                ),
                (
                    "Client view: hand the keyboard to the client",
                    "They read their own plan and nothing else (F2).",
                    screen.action_client_view,
                ),
                ("Save now", "Autosave does this within a second anyway.", screen.save_now),
                ("Back to the caseload", "Save and leave the plan (Esc).", screen.action_back),
            ]
        return out

    async def discover(self) -> Hits:
        for name, help_text, action in self._commands():
            yield DiscoveryHit(name, action, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, action in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), action, help=help_text)
