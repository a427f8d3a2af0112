"""The settings screen (F9 on the caseload): the clinician's name, credentials and contact (the
defaults of new plans and the audit log's actor), crisis lines, theme, idle lock and review days,
and the sign profile. Saved to settings.yaml through ``settings.update_settings`` (0600), checked
first, with each problem naming its field; nothing is written while one is left."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, Static

from tplan_tui.settings import (
    CRISIS_LINE_KEYS,
    IDLE_LOCK_RANGE,
    REVIEW_DAYS_RANGE,
    Settings,
    SettingsError,
    settings_from_data,
    settings_to_data,
    update_settings,
)
from tplan_tui.tui.safe import SafeInput, SafeTextArea, safe_text
from tplan_tui.tui.screens.appscreen import TplanModal

# (field id, label, placeholder); the id is the settings.yaml path a problem names.
FIELDS = (
    ("clinician.name", "Your name", "e.g. Dana Reyes"),
    ("clinician.credentials", "Credentials", "e.g. LCSW"),
    ("clinician.contact", "Contact", "how clients reach you"),
    ("theme", "Theme", ""),
    ("idle_lock_minutes", "Idle lock, minutes", f"{IDLE_LOCK_RANGE[0]}-{IDLE_LOCK_RANGE[1]}"),
    ("default_review_days", "Review every, days", f"{REVIEW_DAYS_RANGE[0]}-{REVIEW_DAYS_RANGE[1]}"),
    ("profile", "Sign profile", "basic"),
)


def field_dom_id(key: str) -> str:
    return "settings-" + key.replace(".", "-").replace("_", "-")


def crisis_text(settings: Settings) -> str:
    return "\n".join(f"{name} | {contact}" for name, contact in settings.crisis_lines)


def crisis_data(text: str) -> list[Any]:
    """'name | contact' lines to settings data; a line without '|' keeps its text as the name
    so that the check names it (crisis_lines[i].contact: must be text)."""
    lines: list[Any] = []
    for line in text.splitlines():
        if not line.strip():
            continue
        name, _, contact = line.partition("|")
        lines.append(dict(zip(CRISIS_LINE_KEYS, (name.strip(), contact.strip()), strict=True)))
    return lines


class SettingsScreen(TplanModal[bool]):
    """Edit the settings; Ctrl+S saves, Esc leaves (asking first when something changed)."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="settings.save", tooltip="Check and save."),
        Binding(
            "escape",
            "leave",
            "Close",
            id="settings.close",
            tooltip="Close; asks first when something changed.",
        ),
    ]

    def compose(self) -> ComposeResult:
        settings = self.tplan.settings
        data = settings_to_data(settings)
        themes = ", ".join(sorted(self.app.available_themes))
        with Vertical(classes="dialog settings"):
            yield Label("Settings · for new plans and this computer", classes="dialog-title")
            for key, label, placeholder in FIELDS:
                top, _, sub = key.partition(".")
                value = data[top][sub] if sub else data[top]
                with Horizontal(classes="settings-row"):
                    yield Label(label, classes="settings-label")
                    yield SafeInput(
                        "" if value is None else str(value),
                        placeholder=placeholder or (themes if key == "theme" else ""),
                        id=field_dom_id(key),
                        compact=True,
                    )
            yield Label("Crisis lines, one a line: name | contact")
            yield SafeTextArea(crisis_text(settings), id="settings-crisis", compact=True)
            yield Static(id="settings-error", classes="unlock-error")
            yield Static("Ctrl+S save · Esc close · Tab next field", classes="hint")

    def on_mount(self) -> None:
        self.start = self.values()
        self.query_one(f"#{field_dom_id('clinician.name')}").focus()

    def values(self) -> tuple[str, ...]:
        fields = [self.query_one(f"#{field_dom_id(k)}", Input).value for k, _, _ in FIELDS]
        return (*fields, self.query_one("#settings-crisis", SafeTextArea).text)

    def checked(self) -> tuple[Settings | None, list[str]]:
        """The settings the fields hold, or None and the problems, each naming its field."""
        data = settings_to_data(self.tplan.settings)
        for key, _, _ in FIELDS:
            raw = self.query_one(f"#{field_dom_id(key)}", Input).value.strip()
            top, _, sub = key.partition(".")
            if sub:
                data[top][sub] = raw or None
            elif key in ("idle_lock_minutes", "default_review_days"):
                data[key] = int(raw) if raw.isdigit() else raw
            else:
                data[key] = raw
        data["crisis_lines"] = crisis_data(self.query_one("#settings-crisis", SafeTextArea).text)
        problems = []
        if data["theme"] not in self.app.available_themes:
            names = ", ".join(sorted(self.app.available_themes))
            problems.append(f"theme: no theme named {data['theme']!r}; one of {names}")
        new, more = settings_from_data(data)
        problems += more
        if problems:
            return None, problems
        # The unlock hashes are not on this screen: they are kept as they are.
        return replace(new, unlock_secrets=dict(self.tplan.settings.unlock_secrets)), []

    async def action_save(self) -> None:
        new, problems = self.checked()
        error = self.query_one("#settings-error", Static)
        if new is None:
            error.update(safe_text("Not saved: " + "; ".join(problems)))
            return
        try:
            # The unlock hashes are not on this screen: those on disk now are kept (another
            # terminal may have set one since this session started).
            checked = new
            saved = await asyncio.to_thread(
                update_settings, lambda s: replace(checked, unlock_secrets=dict(s.unlock_secrets))
            )
        except SettingsError as exc:
            error.update(safe_text(" ".join(exc.problems)))
            return
        except OSError as exc:
            error.update(safe_text(f"Not saved: {exc.strerror or exc}"))
            return
        # The app's settings first, so that the theme change is not saved a second time.
        self.tplan.settings = saved
        self.app.theme = saved.theme
        self.notify("Settings saved: new plans take the clinician's name from them.", timeout=4)
        self.dismiss(True)

    async def action_leave(self) -> None:
        if self.values() == self.start:
            self.dismiss(False)
            return
        from tplan_tui.tui.screens.modals import Confirm

        def answered(yes: bool | None) -> None:
            if yes:
                self.dismiss(False)

        await self.app.push_screen(Confirm("Leave the settings without saving?"), answered)
