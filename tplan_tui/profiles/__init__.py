"""Checklist profiles: which elements a complete plan must hold (see ``core/completeness.py``)."""
