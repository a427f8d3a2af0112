"""The client's safety plan on paper, and how to reach help at the end of every client document.

Only the client's own safety plan (``safety.plan``) is read here; the risk assessments
(``safety.assessments``) are clinician-only and never reach a client document (canary-tested).
"""

from __future__ import annotations

from datetime import date

from tplan_tui.core import model as m
from tplan_tui.core.safety import PART_BY_KEY, PARTS, crisis_lines, entries, has_safety_plan
from tplan_tui.summary.document import (
    Block,
    Document,
    Facts,
    Item,
    ItemList,
    Label,
    Paragraph,
    Section,
)
from tplan_tui.summary.words import date_in_words, one_line

HELP_HEADING = "How to reach help"
SAFETY_TITLE = "My safety plan"
# The short version at the top of a summary: what to notice, then whom to reach.
SHORT_PARTS = ("warning_signs", "coping_on_my_own", "people_to_ask", "crisis_lines")

CrisisLines = tuple[tuple[str, str], ...] | None


def _clinician(plan: m.Plan) -> str:
    return one_line(plan.clinician.name) or "your counselor"


def practical_facts(plan: m.Plan, today: date | None) -> list[Block]:
    """When the client next meets their clinician and when the plan is looked at together again
    (dates still to come on ``today``)."""
    rows = []
    nxt = plan.plan.next_session
    if nxt is not None and (today is None or nxt >= today):
        rows.append(("Your next meeting", date_in_words(nxt)))
    due = plan.next_review
    if plan.plan.status != "completed" and due is not None and (today is None or due >= today):
        rows.append(("Plan looked at again by", date_in_words(due)))
    return [Facts(tuple(rows))] if rows else []


def help_blocks(plan: m.Plan, lines: CrisisLines = None, today: date | None = None) -> list[Block]:
    """The practical part of every client document: the next meeting and the next look at the
    plan (``today`` given), how to reach the clinician (``clinician.contact``), and the crisis
    lines: the plan's own, else ``lines`` from the settings, else the shipped default."""
    who = _clinician(plan)
    contact = one_line(plan.clinician.contact)
    if contact:
        reach = f"To reach {who}: {contact}."
    else:
        reach = f"Ask {who} how to reach them between meetings."
    return [
        *(practical_facts(plan, today) if today is not None else []),
        Paragraph(reach),
        Paragraph("If you feel you might hurt yourself, or you are not safe, reach out now:"),
        ItemList(tuple(Item(contact, lead=name) for name, contact in crisis_lines(plan, lines))),
        Paragraph("If you are in danger right now, call your local emergency number."),
    ]


def help_section(plan: m.Plan, lines: CrisisLines = None, today: date | None = None) -> Section:
    return Section(HELP_HEADING, help_blocks(plan, lines, today))


def _part_items(sp: m.SafetyPlan, key: str) -> tuple[Item, ...]:
    part = PART_BY_KEY[key]
    if part.contacts:
        return tuple(
            Item(contact, lead=name) if name and contact else Item(name or contact)
            for name, contact in entries(sp, part)
        )
    return tuple(Item(text) for text, _ in entries(sp, part))


def safety_short_section(plan: m.Plan) -> Section | None:
    """The short version at the top of a client summary; None when the plan has no safety plan."""
    if not has_safety_plan(plan):
        return None
    sp = plan.safety.plan
    assert sp is not None
    blocks: list[Block] = [
        Paragraph("Your own plan for hard moments. The whole plan is on its own page.")
    ]
    for key in SHORT_PARTS:
        items = _part_items(sp, key)
        if items:
            blocks += [Label(PART_BY_KEY[key].heading), ItemList(items)]
    return Section("Your safety plan, in short", blocks)


def safety_plan_document(plan: m.Plan, *, today: date, lines: CrisisLines = None) -> Document:
    """The client's safety plan, one page: every part in their words, in the plan's order, then
    how to reach help."""
    name = one_line(plan.client.name)
    doc = Document(title=SAFETY_TITLE, subject=name, one_page=True)
    rows = [("For", name)] if name else []
    sp = plan.safety.plan
    if sp is not None and sp.made_on is not None:
        rows.append(("Made on", date_in_words(sp.made_on)))
    rows.append(("Date", date_in_words(today)))
    doc.opening.append(Facts(tuple(rows)))
    if not has_safety_plan(plan):
        doc.opening.append(
            Paragraph(
                f"There is nothing in this plan yet. You can make it with {_clinician(plan)}."
            )
        )
    else:
        assert sp is not None
        doc.opening.append(
            Paragraph(
                "Keep this where you can find it. Start at step 1 and go on until you are safe."
            )
        )
        step = 0
        for part in PARTS:
            items = _part_items(sp, part.key)
            if items:
                step += 1
                doc.sections.append(Section(f"{step}. {part.heading}", [ItemList(items)]))
    doc.sections.append(help_section(plan, lines, today))
    return doc
