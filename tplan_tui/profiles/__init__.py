"""Checklist profiles: which elements a complete plan must hold (see ``core/completeness.py``)."""

from importlib import resources


def profile_names() -> list[str]:
    """The profiles shipped with tplan, by file name (cheap: no file is parsed). Here, not in
    ``core.completeness``, so that the settings can check a name without importing the plan
    reader (which imports the settings for a practice's instruments: a cycle)."""
    folder = resources.files(__name__)
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".yaml"))
