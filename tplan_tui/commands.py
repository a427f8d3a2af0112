"""The command palette (Ctrl+P): every action of the app and every step of a plan, by name."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider


class TplanCommands(Provider):
    def _commands(self) -> list[tuple[str, str, object]]:
        app = self.app
        screen = self.screen
        out: list[tuple[str, str, object]] = [
            ("Keys: show every key", "What each key does (F1).", app.action_help),
            ("Quit", "Save everything and quit (Ctrl+Q).", app.action_quit),
        ]
        from .screens.caseload import CaseloadScreen
        from .screens.plan import PlanScreen

        if isinstance(screen, CaseloadScreen):
            out += [
                ("New plan", "Start a new plan (Ctrl+N).", app.new_plan),
                ("Import a plan file", "Import a YAML plan file (Ctrl+O).", app.import_file),
                ("Open the highlighted plan", "Open it where it was left (Enter).", screen.action_open_plan),
                ("Client summary of the highlighted plan", "Full screen, to read or save (Ctrl+T).",
                 screen.action_summary),
            ]
        if isinstance(screen, PlanScreen):
            from .screens.steps import STEPS

            for n, step in enumerate(STEPS, 1):
                out.append((f"Go to step {n}: {step.title}", "Jump to this step.", partial(screen.go_to, n - 1)))
            out += [
                ("Next step", "PageDown.", screen.action_next_step),
                ("Previous step", "PageUp.", screen.action_previous_step),
                ("Add an item", "Add to the list you are in (Ctrl+N).", screen.action_add_item),
                ("Remove this item", "Remove the item you are in (Ctrl+R).", screen.action_remove_item),
                ("Client side: show or hide", "Switch to the client's side (Ctrl+O).", screen.action_toggle_pane),
                ("Goal library", "Add a goal or steps from the library (Ctrl+L).", screen.action_library),
                ("Save this goal to my library", "Keep the goal you are in for other plans.",
                 screen.action_save_goal_to_library),
                ("Client summary", "The client's plain-language summary, full screen (Ctrl+T).",
                 screen.action_summary),
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
