"""Plans about to be imported whose client is already in the store: the same name (case and
spacing aside) and the same date of birth. Importing one file twice made a second, identical
client silently; the import now names the plan already there and asks (or, on the command line,
needs --allow-duplicate)."""

from __future__ import annotations

from tplan_tui.core.model import Plan
from tplan_tui.store import Store


def _name(text: str | None) -> str:
    return " ".join((text or "").split()).casefold()


def find_duplicates(store: Store, plans: list[Plan]) -> list[tuple[int, str]]:
    """(index into ``plans``, id of the stored plan with the same client) for each match."""
    summaries, _damaged = store.list_plans()
    wanted = {_name(p.client.name) for p in plans}
    found: list[tuple[int, str]] = []
    for summary in summaries:
        if _name(summary.client) not in wanted:
            continue
        stored = store.load(summary.plan_id).plan.client
        for i, plan in enumerate(plans):
            if (
                _name(plan.client.name) == _name(stored.name)
                and plan.client.date_of_birth == stored.date_of_birth
            ):
                found.append((i, summary.plan_id))
    return found


def duplicate_message(plan: Plan, plan_id: str) -> str:
    born = plan.client.date_of_birth
    said = f", born {born.isoformat()}," if born else " (no date of birth)"
    return f"{plan.client.name}{said} is already in the store as plan {plan_id}"
