"""The clinical record: the whole plan, clinician-only parts included, for the clinician's files and
for a release under a consent that shares the full plan. Nothing is left out, not even ``extra``.
"""

from __future__ import annotations

import dataclasses
import json
import re
from dataclasses import replace
from datetime import date
from typing import Any

from tplan_tui.core import model as m
from tplan_tui.core.diagnosis_extra import KEYS as DIAGNOSIS_EXTRAS
from tplan_tui.core.diagnosis_extra import Details, details, key_problem
from tplan_tui.summary.client import released_notice
from tplan_tui.summary.document import (
    Block,
    Chart,
    ChartRow,
    Document,
    Facts,
    Item,
    ItemList,
    Label,
    Notice,
    Paragraph,
    Section,
    nonempty_sections,
)
from tplan_tui.summary.measures_text import record_blocks
from tplan_tui.summary.words import clean, date_in_words, one_line

_ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")

TITLE = "Treatment plan \N{EM DASH} clinical record"
# Signature data tplan keeps under ``extra`` (the format has no keys for it): shown on the
# signature line, not again under "Other recorded data".
SIGNATURE_EXTRAS = ("credentials", "declined", "offered_copy", "incomplete_reason")


def _when(day: date | None) -> str:
    return date_in_words(day) if day is not None else ""


def _facts(*rows: tuple[str, Any]) -> list[Block]:
    """A Facts block of the rows that have a value; nothing when none has."""
    kept = tuple((label, one_line(str(value))) for label, value in rows if value not in (None, ""))
    kept = tuple(row for row in kept if row[1])
    return [Facts(kept)] if kept else []


def _text_parts(*parts: tuple[str, str | None]) -> list[Block]:
    """Longer free text under small headings, each left out when empty."""
    blocks: list[Block] = []
    for label, text in parts:
        if clean(text):
            blocks += [Label(label), Paragraph(clean(text))]
    return blocks


def _items(label: str, items: list[Item], numbered: bool = False) -> list[Block]:
    return [Label(label), ItemList(tuple(items), numbered=numbered)] if items else []


def _extras(value: Any, path: str, plan: m.Plan, today: date) -> list[tuple[str, str]]:
    """Every ``extra`` in the plan, with its field path: the record keeps what the format keeps."""
    found: list[tuple[str, str]] = []
    if dataclasses.is_dataclass(value):
        for f in dataclasses.fields(value):
            child = getattr(value, f.name)
            here = f"{path}.{f.name}" if path else f.name
            if f.name == "extra":
                for key, data in child.items():
                    if isinstance(value, m.Signature) and key in SIGNATURE_EXTRAS:
                        continue  # on the signature line
                    if (
                        isinstance(value, m.Diagnosis)
                        and key in DIAGNOSIS_EXTRAS
                        and key_problem(key, data, len(plan.presenting_concerns), today) is None
                    ):
                        continue  # with the diagnosis (a malformed value stays listed here)
                    text = json.dumps(data, ensure_ascii=False, sort_keys=True, default=str)
                    found.append((f"{here}.{key}", text))
            else:
                found += _extras(child, here, plan, today)
    elif isinstance(value, list):
        for i, child in enumerate(value):
            found += _extras(child, f"{path}[{i}]", plan, today)
    return found


def _numbers(numbers: tuple[int, ...] | list[int]) -> str:
    """1 -> "1"; 1, 2 -> "1 and 2"; 1, 2, 3 -> "1, 2 and 3"."""
    words = [str(n) for n in numbers]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


class _RecordWriter:
    def __init__(self, plan: m.Plan, today: date, profile: str, check_codes: bool | None):
        from tplan_tui.core import codes
        from tplan_tui.core.completeness import missing
        from tplan_tui.library.cautions import plan_cautions

        self.plan = plan
        self.today = today
        # The code set takes seconds to load: checked when asked (exports), else only when the
        # app has it loaded already, so drawing a record never freezes the screen.
        self.missing = missing(
            plan, today, profile, codes=codes.is_loaded() if check_codes is None else check_codes
        )
        # The library's caution beside each intervention drawn from it (sleep restriction with
        # bipolar disorder...): the plan file has no place for it, so it is looked up here.
        self.cautions = plan_cautions(plan)

    def safety(self) -> list[Block]:
        """Risk assessments (clinician-only) and the client's safety plan, every part."""
        from tplan_tui.core.safety import PARTS, entries

        safety = self.plan.safety
        blocks = _items(
            "Risk assessments",
            [
                Item(clean(a.note), lead=f"{_when(a.date)}: {a.risk} risk")
                if clean(a.note)
                else Item(f"{_when(a.date)}: {a.risk} risk")
                for a in safety.assessments
            ],
        )
        sp = safety.plan
        if sp is not None and not sp.is_empty():
            blocks += _facts(("Safety plan made on", _when(sp.made_on)))
            for part in PARTS:
                found = [
                    Item(contact, lead=text) if contact and text else Item(text or contact)
                    for text, contact in entries(sp, part)
                ]
                blocks += _items(part.heading, found)
        return blocks

    def document(self, released_under: tuple[int, m.Consent] | None) -> Document:
        plan = self.plan
        doc = Document(title=TITLE, subject=one_line(plan.client.name))
        clinician = one_line(plan.clinician.name)
        if one_line(plan.clinician.credentials):
            clinician += f", {one_line(plan.clinician.credentials)}"
        signing = plan.signing_problems(self.today)
        if signing:
            # First thing on the page: an auditor must not take an unsigned plan for a signed one.
            doc.opening.append(
                Notice(
                    f"NOT SIGNED: version {plan.plan.version} of this plan is not signed. "
                    + " ".join(signing)
                )
            )
        doc.opening += _facts(
            ("Client", plan.client.name),
            ("Clinician", clinician),
            ("Date of this copy", _when(self.today)),
            ("Plan version", plan.plan.version),
            ("Plan status", plan.plan.status),
            ("Signed", "no" if signing else "yes, by everyone who must sign this version"),
            ("Diagnoses", self.diagnoses_line()),
        )
        doc.opening.append(
            Paragraph(
                "Confidential health information. This is the whole plan, including the parts "
                "for the clinician only: history, diagnoses, progress notes and clinician notes."
            )
        )
        doc.opening += released_notice(released_under)
        doc.sections = nonempty_sections(
            [
                Section("Missing elements", self.missing_items()),
                self.client(),
                Section("Plan", self.plan_info()),
                Section("History and assessment", self.history()),
                Section("Presenting concerns", self.worded(plan.presenting_concerns)),
                Section("Strengths", self.worded(plan.strengths)),
                Section("Treatment contract", self.contract()),
                self.goals(),
                Section("Reviews", self.reviews()),
                Section("Standard measures", record_blocks(plan)),
                Section("Safety", self.safety()),
                Section("Consents", self.consents()),
                Section("Signatures", self.signatures()),
                Section("Clinician notes", self.notes()),
                Section("Other recorded data", _facts(*_extras(plan, "", plan, self.today))),
            ]
        )
        doc.closing += released_notice(released_under)
        return doc

    def missing_items(self) -> list[Block]:
        """What the plan still lacks for the practice's profile, each with its field path."""
        if not self.missing:
            return []
        items = [Item(clean(f.words), notes=(f"Field: {f.path}",)) for f in self.missing]
        return [ItemList(tuple(items))]

    def details(self, dx: m.Diagnosis) -> Details:
        """A diagnosis's date, who made it and its concerns (kept under its extra), each only
        when well-formed: a malformed one is under "Other recorded data" and missing elements."""
        return details(dx, len(self.plan.presenting_concerns), self.today)

    def diagnosis_words(self, n: int, dx: m.Diagnosis) -> str:
        """A diagnosis named where it is used: "F32.1 Major depressive disorder (primary)"."""
        text = " ".join(p for p in (one_line(dx.code), one_line(dx.label)) if p)
        if n == 0:
            text += " (primary)"
        if not dx.current:
            text += " (not current)"
        return text

    def diagnoses_line(self) -> str:
        """The diagnoses in order, the first (primary) marked, at the top of the record."""
        return "; ".join(
            self.diagnosis_words(n, d) for n, d in enumerate(self.plan.history.diagnoses)
        )

    def notes(self) -> list[Block]:
        notes = clean(self.plan.clinician_notes)
        return [Paragraph(notes)] if notes else []

    def client(self) -> Section:
        c = self.plan.client
        age = c.age_on(self.today)
        born = (
            f"{_when(c.date_of_birth)} (age {age})" if age is not None else _when(c.date_of_birth)
        )
        guardian = ""
        if c.guardian is not None and one_line(c.guardian.name):
            guardian = one_line(c.guardian.name)
            if one_line(c.guardian.relationship):
                guardian += f" ({one_line(c.guardian.relationship)})"
        return Section(
            "Client",
            _facts(
                ("Name", c.name),
                ("Full name", c.full_name),
                ("Date of birth", born),
                ("Pronouns", c.pronouns),
                ("Guardian", guardian),
            ),
        )

    def plan_info(self) -> list[Block]:
        plan, info = self.plan, self.plan.plan
        due = plan.next_review
        latest = plan.latest_review
        every = f"{info.review_every_days} days" if info.review_every_days else ""
        return _facts(
            ("Started", _when(info.started)),
            ("Level of care", info.level_of_care),
            ("Review every", every),
            ("Latest review", _when(latest.date) if latest else ""),
            ("Next review", f"{_when(due)} ({plan.review_state(self.today)})" if due else ""),
            ("Expected end", _when(info.expected_end)),
        ) + _text_parts(("Discharge criteria", info.discharge_criteria))

    def history(self) -> list[Block]:
        h = self.plan.history
        blocks = _text_parts(
            ("Referral", h.referral),
            ("Demographics", h.demographics),
            ("Psychosocial", h.psychosocial),
            ("Symptom onset", h.symptom_onset),
            ("Treatment history", h.treatment_history),
        )
        diagnoses = [
            Item(
                one_line(d.label),
                lead=one_line(d.code),
                notes=(("Primary.",) if n == 0 else ())
                + (() if d.current else ("Not current.",))
                + self.diagnosis_notes(d)
                + ((f"Coding system: {one_line(d.system)}.",) if d.system else ()),
            )
            for n, d in enumerate(h.diagnoses)
        ]
        return blocks + _items("Diagnoses", diagnoses, numbered=True)

    def diagnosis_notes(self, dx: m.Diagnosis) -> tuple[str, ...]:
        """When and by whom the diagnosis was made, and the concerns it relates to, if known."""
        known = self.details(dx)
        made = ""
        if known.on is not None and known.by:
            made = f"Diagnosed on {_when(known.on)} by {known.by}."
        elif known.on is not None:
            made = f"Diagnosed on {_when(known.on)}."
        elif known.by:
            made = f"Diagnosed by {known.by}."
        notes: tuple[str, ...] = (made,) if made else ()
        if known.concerns:
            word = "concern" if len(known.concerns) == 1 else "concerns"
            notes += (f"Relates to {word} {_numbers(known.concerns)}.",)
        return notes

    def worded(self, things: list[m.Concern] | list[m.Strength]) -> list[Block]:
        items = [
            Item(
                clean(t.text),
                notes=(f"In the client's words: {clean(t.in_client_words)}",)
                if clean(t.in_client_words)
                else (),
            )
            for t in things
        ]
        return [ItemList(tuple(items))] if items else []

    def contract(self) -> list[Block]:
        c = self.plan.contract
        minutes = f"{c.session_minutes} minutes" if c.session_minutes else ""
        return (
            _facts(
                ("Modality", c.modality), ("Frequency", c.frequency), ("Session length", minutes)
            )
            + _items("Client agrees to", [Item(clean(t)) for t in c.client_agrees_to])
            + _items("Clinician agrees to", [Item(clean(t)) for t in c.clinician_agrees_to])
        )

    def goals(self) -> Section:
        """Concern -> goal -> objectives -> interventions: each concern with the diagnoses that
        relate to it, each goal under the first concern it works on (``addresses``), so the
        record shows why each goal is there."""
        plan = self.plan
        section = Section("Problems and goals")
        total = len(plan.goals)
        under: dict[int, list[int]] = {}
        for n, goal in enumerate(plan.goals, 1):
            known = [c for c in goal.addresses if 1 <= c <= len(plan.presenting_concerns)]
            under.setdefault(known[0] if known else 0, []).append(n)
        related: dict[int, list[str]] = {}
        for n, dx in enumerate(plan.history.diagnoses):
            for c in self.details(dx).concerns:
                related.setdefault(c, []).append(self.diagnosis_words(n, dx))
        for c, concern in enumerate(plan.presenting_concerns, 1):
            part = Section(f"Concern {c}: {one_line(concern.text)}")
            if related.get(c):
                word = "Diagnosis" if len(related[c]) == 1 else "Diagnoses"
                part.blocks.append(Paragraph(f"{word}: {'; '.join(related[c])}."))
            for n in under.get(c, []):
                part.sections.append(self.goal_section(n, total))
            if not part.sections:
                part.blocks.append(Paragraph("No goal works on this concern yet."))
            section.sections.append(part)
        if under.get(0):
            loose = Section("Goals not yet tied to a concern")
            loose.sections = [self.goal_section(n, total) for n in under[0]]
            section.sections.append(loose)
        return section

    def goal_section(self, n: int, total: int) -> Section:
        goal = self.plan.goals[n - 1]
        blocks = self.goal(goal, n - 1)
        if len(goal.addresses) > 1:
            also = ", ".join(str(c) for c in goal.addresses)
            blocks = [Paragraph(f"Works on concerns {also}."), *blocks]
        return Section(f"Goal {n} of {total}", blocks, keep_together=True)

    def goal(self, g: m.Goal, gi: int) -> list[Block]:
        r = g.rating
        blocks: list[Block] = [Paragraph(clean(g.text), emphasis=True)] if clean(g.text) else []
        if clean(g.in_client_words):
            blocks.append(Paragraph(f"In the client's words: {clean(g.in_client_words)}"))
        blocks += _facts(
            ("Rating", r.label),
            ("0 means", r.low),
            ("10 means", r.high),
            ("Baseline", r.baseline),
            ("Target", r.target),
            ("Target date", _when(g.target_date)),
            ("Status", g.status),
            ("Achievement", g.achievement),
            ("Latest client rating", g.latest_client_rating),
            ("Latest clinician rating", g.latest_clinician_rating),
        )
        rows = [ChartRow("Baseline", r.baseline)] if r.baseline is not None else []
        for e in g.progress:
            if e.client_rating is not None:
                rows.append(ChartRow(f"{_when(e.date)}, client", e.client_rating))
            if e.clinician_rating is not None:
                rows.append(ChartRow(f"{_when(e.date)}, clinician", e.clinician_rating))
        if r.target is not None and len(rows) > 1:
            rows.append(ChartRow("Target", r.target))
        if len(rows) > 1:
            blocks.append(Chart("Ratings over time, out of 10:", tuple(rows)))
        objectives = [
            Item(
                clean(o.text),
                lead=o.status,
                notes=(f"Target date: {_when(o.target_date)}.",) if o.target_date else (),
            )
            for o in g.objectives
        ]
        interventions = [
            Item(
                clean(i.text),
                lead=one_line(i.by),
                notes=tuple(
                    f"{label}: {one_line(value)}."
                    for label, value in (("Modality", i.modality), ("Frequency", i.frequency))
                    if one_line(value)
                )
                + self.caution(gi, ii),
            )
            for ii, i in enumerate(g.interventions)
        ]
        progress = [self.progress_item(e) for e in g.progress]
        return (
            blocks
            + _items("Objectives", objectives, numbered=True)
            + _items("Interventions", interventions)
            + _items("Progress", progress)
        )

    def caution(self, gi: int, ii: int) -> tuple[str, ...]:
        caution = self.cautions.get((gi, ii))
        return (
            (f"\N{WARNING SIGN} Caution (from the goal library): {one_line(caution)}",)
            if caution
            else ()
        )

    def progress_item(self, e: m.ProgressEntry) -> Item:
        parts = []
        if e.client_rating is not None:
            parts.append(f"client rating {e.client_rating}")
        if e.clinician_rating is not None:
            parts.append(f"clinician rating {e.clinician_rating}")
        text = ", ".join(parts).capitalize() + "."
        if e.objectives_achieved:
            text += " Objectives achieved: " + ", ".join(map(str, e.objectives_achieved)) + "."
        return Item(text, lead=_when(e.date), notes=(clean(e.note),) if clean(e.note) else ())

    def reviews(self) -> list[Block]:
        items = [Item(clean(r.note) or "No note.", lead=_when(r.date)) for r in self.plan.reviews]
        return [ItemList(tuple(items))] if items else []

    def consents(self) -> list[Block]:
        items = []
        for c in self.plan.consents:
            notes = [f"Signed by {one_line(c.signed_by)} on {_when(c.signed_on)}."]
            if c.expires_on:
                notes.append(f"Expires on {_when(c.expires_on)}.")
            if c.expires_when:
                notes.append(f"Ends when: {one_line(c.expires_when)}.")
            if c.purpose:
                notes.append(f"Purpose: {one_line(c.purpose)}.")
            if c.minor_may_consent:
                notes.append("The law lets the client consent alone (as the clinician recorded).")
            if c.revoked_on:
                notes.append(f"Revoked on {_when(c.revoked_on)}.")
            problem = self.plan.consent_problem(c, self.today)
            if problem:
                # The model words its reasons with ISO dates; the record writes dates out.
                problem = _ISO_DATE.sub(lambda d: _when(date.fromisoformat(d[0])), problem)
            notes.append(f"Not valid today: {problem}." if problem else "Valid today.")
            items.append(Item(f"Shares: {c.shares}.", lead=one_line(c.to), notes=tuple(notes)))
        return [ItemList(tuple(items), numbered=True)] if items else []

    def signatures(self) -> list[Block]:
        items = []
        for s in self.plan.signatures:
            earlier = "" if s.version == self.plan.plan.version else " (an earlier version)"
            who = one_line(s.name)
            if s.credentials:
                who += f", {one_line(s.credentials)}"
            verb = "declined to sign" if s.declined else "signed"
            notes = []
            if s.offered_copy:
                notes.append("Was offered a copy of the plan.")
            if s.incomplete_reason:
                notes.append(f"Signed although incomplete, because: {clean(s.incomplete_reason)}")
            items.append(
                Item(
                    f"{who} ({s.role}) {verb} version {s.version}{earlier} "
                    f"on {_when(s.signed_on)}.",
                    notes=tuple(notes),
                )
            )
        return [ItemList(tuple(items))] if items else []


def clinical_record(
    plan: m.Plan,
    *,
    today: date,
    released_under: tuple[int, m.Consent] | None = None,
    profile: str = "basic",
    check_codes: bool | None = None,
) -> Document:
    """The whole plan as a document titled as the clinical record, ready for any format.

    ``profile`` names what a complete plan holds (its missing elements are listed);
    ``check_codes`` checks diagnosis codes (None: only if the code set is loaded already)."""
    if released_under is not None:
        # A shared copy names only its own recipient (minimum necessary).
        plan = replace(plan, consents=[released_under[1]])
    return _RecordWriter(plan, today, profile, check_codes).document(released_under)
