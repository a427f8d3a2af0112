"""Themes in the app: each checked theme spec (``tplan_tui.themes``) made a Textual theme."""

from __future__ import annotations

from typing import Any

from textual.app import App
from textual.theme import Theme

from tplan_tui.themes import ThemeSpec, load_theme_specs, start_theme
from tplan_tui.tui.safe import clean


def to_textual_theme(spec: ThemeSpec) -> Theme:
    """A Textual ``Theme`` from a checked spec."""
    return Theme(**spec.theme_fields())


def register_start_theme(app: App[Any], wanted: str | None) -> bool:
    """Register only the theme ``wanted`` if it can be read alone (``themes.start_theme``);
    False when every theme must be read now (``register_themes``)."""
    spec = start_theme(wanted)
    if spec is None:
        return False
    return not register_specs(app, [spec])


def register_themes(app: App[Any]) -> list[str]:
    """Register every valid theme with ``app``; return the problems for the app to show."""
    specs, problems = load_theme_specs()
    return problems + register_specs(app, specs)


def register_specs(app: App[Any], specs: list[ThemeSpec]) -> list[str]:
    """Register each spec that Textual can use; the problems of the others."""
    from textual.color import ColorParseError

    problems: list[str] = []
    for spec in specs:
        if "[" in spec.name or clean(spec.name) != spec.name:
            # Textual's theme picker reads names as markup: "[/]" there stops the app.
            problems.append(
                f"Theme {spec.name!r} from {spec.source} was skipped: name: may not contain "
                "'[' or control characters."
            )
            continue
        try:
            theme = to_textual_theme(spec)
            theme.to_color_system()  # a colour Textual cannot use fails here, not mid-render
            app.register_theme(theme)
        except (TypeError, ValueError, ColorParseError) as exc:
            problems.append(f"Theme {spec.name!r} from {spec.source} was skipped: {exc}.")
    return problems
