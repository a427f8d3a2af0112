"""Checklist profiles: which elements a complete plan must hold (see ``core/completeness.py``)."""

from pathlib import Path


def profile_names() -> list[str]:
    """The profiles shipped with tplan, by file name (cheap: no file is parsed). Here, not in
    ``core.completeness``, so that the settings can check a name without importing the plan
    reader (which imports the settings for a practice's instruments: a cycle).

    The folder is this package's own (the files are installed beside it, as the themes are):
    ``tplan --help`` lists these names, and importlib.resources would cost every start of tplan
    a few milliseconds."""
    folder = Path(__file__).resolve().parent
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".yaml"))
