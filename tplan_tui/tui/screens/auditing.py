"""Recording what a screen did in the store's audit log, through the app."""

from __future__ import annotations

from typing import Any


def audit(app: Any, action: str, plan_id: str) -> None:
    """Record an action in the store's audit log (the app does it off the event loop)."""
    record = getattr(app, "audit", None)
    if record is not None:
        record(action, plan_id)
