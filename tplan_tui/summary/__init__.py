"""The plan in words for people: the client's plain-language summary and the clinical record.

Core: no Textual here. A writer turns a plan into a small :class:`Document` (sections of headings,
paragraphs, lists, labelled values and rating charts); one renderer per format turns any document
into text, so the three formats always say the same thing::

    render(plan, audience="client", fmt="html", today=date.today(), accent="#2F6690")

``audience`` is ``"client"`` (the summary: plain words, nothing clinician-only) or ``"clinician"``
(the whole plan, titled as the clinical record). ``fmt`` is ``"txt"``, ``"md"`` or ``"html"``.
``released_under=(n, consent)`` marks a copy shared under consent number ``n``; checking that the
consent allows it is the caller's job. ``document="safety-plan"`` (client audience only) gives the
client's one-page safety plan instead of the summary; ``crisis_lines`` are the settings' lines,
named at the end of every client document when the plan has none of its own.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from tplan_tui.core import model as m
from tplan_tui.summary.client import client_summary, released_notice
from tplan_tui.summary.document import Document, prose
from tplan_tui.summary.html import check_accent, to_html
from tplan_tui.summary.md import to_md
from tplan_tui.summary.record import clinical_record
from tplan_tui.summary.safety import safety_plan_document
from tplan_tui.summary.txt import WIDTH, to_txt
from tplan_tui.summary.words import GLOSSARY, date_in_words

AUDIENCES = ("client", "clinician")
FORMATS = ("txt", "md", "html")
DOCUMENTS = ("summary", "safety-plan")

__all__ = [
    "AUDIENCES",
    "DOCUMENTS",
    "FORMATS",
    "GLOSSARY",
    "WIDTH",
    "Document",
    "client_summary",
    "client_summary_html",
    "client_summary_md",
    "client_summary_txt",
    "clinical_record",
    "date_in_words",
    "reading_grade",
    "render",
    "render_document",
    "summary_prose",
    "to_html",
    "to_md",
    "to_txt",
]

Released = tuple[int, m.Consent] | None


def _check_released(released_under: Released) -> None:
    if released_under is None:
        return
    if (
        not isinstance(released_under, tuple)
        or len(released_under) != 2
        or isinstance(released_under[0], bool)
        or not isinstance(released_under[0], int)
        or released_under[0] < 1
        or not isinstance(released_under[1], m.Consent)
    ):
        raise ValueError(
            "released_under must be (the consent's 1-based number, the Consent), "
            f"got {released_under!r}"
        )


def render_document(
    doc: Document, fmt: str = "txt", *, accent: str | None = None, width: int = 80
) -> str:
    """Any document in one format: ``txt`` (wrapped at ``width``), ``md`` or ``html``."""
    if fmt == "txt":
        return to_txt(doc, width)
    if fmt == "md":
        return to_md(doc)
    if fmt == "html":
        return to_html(doc, accent=accent)
    raise ValueError(f"fmt must be one of {', '.join(FORMATS)}, got {fmt!r}")


def render(
    plan: m.Plan,
    *,
    audience: str = "client",
    fmt: str = "txt",
    today: date,
    accent: str | None = None,
    released_under: Released = None,
    width: int = 80,
    document: str = "summary",
    crisis_lines: tuple[tuple[str, str], ...] | None = None,
    profile: str = "basic",
    check_codes: bool | None = None,
) -> str:
    """The plan for ``audience`` ("client" or "clinician") in ``fmt`` ("txt", "md", "html").

    ``today`` dates the copy and decides what is due; ``accent`` (``#RRGGBB``) colours the html
    page's rules only; ``released_under`` names the consent a shared copy goes out under;
    ``document`` is "summary" or (for the client) "safety-plan"; ``crisis_lines`` are the
    settings' (name, contact) lines for a plan that has none. ``profile`` and
    ``check_codes``: the record's list of missing elements (see ``clinical_record``).
    """
    if audience not in AUDIENCES:
        raise ValueError(f"audience must be one of {', '.join(AUDIENCES)}, got {audience!r}")
    if fmt not in FORMATS:
        raise ValueError(f"fmt must be one of {', '.join(FORMATS)}, got {fmt!r}")
    if document not in DOCUMENTS:
        raise ValueError(f"document must be one of {', '.join(DOCUMENTS)}, got {document!r}")
    if document == "safety-plan" and audience != "client":
        raise ValueError("the safety plan is the client's document: audience must be 'client'")
    check_accent(accent)
    _check_released(released_under)
    if released_under is not None:
        # A shared copy names only its own recipient (minimum necessary): the other consents,
        # such as one to a substance-use counselor, are no business of this reader.
        plan = replace(plan, consents=[released_under[1]])
    if document == "safety-plan":
        doc = safety_plan_document(plan, today=today, lines=crisis_lines)
        doc.opening.extend(released_notice(released_under))
    elif audience == "client":
        doc = client_summary(
            plan, today=today, released_under=released_under, crisis_lines=crisis_lines
        )
    else:
        doc = clinical_record(
            plan,
            today=today,
            released_under=released_under,
            profile=profile,
            check_codes=check_codes,
        )
    return render_document(doc, fmt, accent=accent, width=width)


def client_summary_txt(plan: m.Plan, *, today: date, released_under: Released = None) -> str:
    """The client's summary as plain text wrapped at 80 columns."""
    return render(plan, fmt="txt", today=today, released_under=released_under)


def client_summary_md(plan: m.Plan, *, today: date, released_under: Released = None) -> str:
    """The client's summary as Markdown."""
    return render(plan, fmt="md", today=today, released_under=released_under)


def client_summary_html(
    plan: m.Plan, *, today: date, accent: str | None = None, released_under: Released = None
) -> str:
    """The client's summary as one self-contained HTML page."""
    return render(plan, fmt="html", today=today, accent=accent, released_under=released_under)


def summary_prose(plan: m.Plan, *, today: date) -> str:
    """The running text of the client's summary (no headings or charts), for measuring it."""
    return prose(client_summary(plan, today=today))


def reading_grade(plan: m.Plan, *, today: date) -> float:
    """The Flesch-Kincaid grade of the client's summary (``core/readability.py``)."""
    from tplan_tui.core.readability import grade

    return grade(summary_prose(plan, today=today))
