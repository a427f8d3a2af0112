"""The standard questionnaires tplan ships, one YAML file each (read by
``tplan_tui.core.instruments``; a practice adds its own in ``<config>/instruments``)."""
