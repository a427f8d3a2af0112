"""The plan in the language of health records: a FHIR R4 Bundle out (``export``) and back in
(``import_``). Core: no Textual, and no FHIR library either: the bundle is plain JSON data that
tplan writes and checks itself (the tests validate it against ``fhir.resources``' R4B models).
"""

from tplan_tui.fhir.common import BundleError
from tplan_tui.fhir.export import as_transaction, bundle_json, plan_to_bundle, shared_view
from tplan_tui.fhir.import_ import bundle_to_plan, load_bundle_file

__all__ = [
    "BundleError", "as_transaction", "bundle_json", "bundle_to_plan", "load_bundle_file", "plan_to_bundle",
    "shared_view",
]  # fmt: skip
