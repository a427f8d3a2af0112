"""The client's summary: the plan in plain words, spoken to the person ("you").

What is never here: diagnoses and codes, history, clinician notes, progress notes and review notes
(the clinician's observations), and anything else clinician-only. The client's right to the whole
record is served by the clinical record (``record.py``), not by this.

The template's own words are short and everyday; it never uses a word from ``words.GLOSSARY``.
When the plan's text does, that text is kept as written and the word is explained once.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from tplan_tui.core import model as m
from tplan_tui.core.client_words import flagged_texts
from tplan_tui.core.measurable import criteria
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
    SignatureLines,
    nonempty_sections,
)
from tplan_tui.summary.measures_text import client_section
from tplan_tui.summary.safety import CrisisLines, help_section, safety_short_section
from tplan_tui.summary.words import (
    ACHIEVEMENT_WORDS,
    GOAL_STATUS_SENTENCES,
    OBJECTIVE_STATUS_WORDS,
    PLAN_STATUS_SENTENCES,
    Explainer,
    clean,
    date_in_words,
    first_upper,
    one_line,
    status_words,
)

TITLE = "Your treatment plan"

SHARES_WORDS = {
    "summary": "may get a short summary of your plan, like this one.",
    "full plan": "may get your whole plan, with all of its notes.",
}

SIGNER_ROLE_WORDS = {
    "client": "you",
    "guardian": "parent or guardian",
    "family member": "family member",
}


def released_notice(released_under: tuple[int, m.Consent] | None) -> list[Block]:
    """The line that says who a copy was released to, under which consent; nothing when not shared."""
    if released_under is None:
        return []
    number, consent = released_under
    signed = f"signed by {one_line(consent.signed_by) or 'no one'}"
    if consent.signed_on is not None:
        signed += f" on {date_in_words(consent.signed_on)}"
    return [
        Notice(
            f"This copy was released to {one_line(consent.to)}, under consent {number}, {signed}."
        )
    ]


class _ClientWriter:
    def __init__(
        self, plan: m.Plan, today: date, crisis_lines: CrisisLines = None, released: bool = False
    ):
        self.plan = plan
        self.released = released
        self.today = today
        self.crisis_lines = crisis_lines
        self.explain = Explainer()
        # Lines shown in clinician wording about the client (quick checks: no reading grade).
        self.flagged = flagged_texts(plan)
        self.name = one_line(plan.client.name)
        # In sentences the clinician is named; "your counselor" only stands in for a missing name.
        self.clinician = one_line(plan.clinician.name) or "your counselor"

    # -- pieces

    def item(self, text: str | None, lead: str = "", notes: tuple[str, ...] = ()) -> Item:
        text = clean(text)
        flagged = bool(self.flagged) and " ".join(text.split()) in self.flagged
        return Item(
            text=text,
            lead=lead,
            notes=notes + self.explain.notes_for(lead, text),
            flagged=flagged,
        )

    def explained(self, text: str | None, emphasis: bool = False) -> list[Block]:
        """A paragraph of the plan's text, followed by a plain explanation of any clinical word."""
        text = clean(text)
        if not text:
            return []
        flagged = " ".join(text.split()) in self.flagged
        blocks: list[Block] = [Paragraph(text, emphasis=emphasis, flagged=flagged)]
        return blocks + [Paragraph(note) for note in self.explain.notes_for(text)]

    # -- the document: who and when, why, strengths, goals, agreements, meetings, review, sharing,
    #    signatures (the order a client reads it in, set by issue 4)

    def document(self, released_under: tuple[int, m.Consent] | None) -> Document:
        plan = self.plan
        doc = Document(title=TITLE, subject=self.name)
        doc.opening.append(Facts(self.who_and_when()))
        if plan.plan.status in PLAN_STATUS_SENTENCES:
            doc.opening.append(Paragraph(PLAN_STATUS_SENTENCES[plan.plan.status]))
        doc.opening.append(
            Paragraph(
                f"This is your plan. You made it with {self.clinician}. It says what you want to "
                "change, and how you will get there. You can ask about any part of it at any time."
            )
        )
        doc.opening.extend(released_notice(released_under))
        # The safety plan, when there is one, comes first: the easiest part to find. How to reach
        # help comes last, in every summary, so it is where a reader ends.
        short = safety_short_section(plan)
        doc.sections = nonempty_sections(
            [
                *([short] if short is not None else []),
                self.concerns(),
                self.strengths(),
                self.goals(),
                client_section(plan),  # the questionnaires' scores (summary/measures_text.py)
                self.agreements(),
                self.meetings(),
                self.review(),
                self.consents(),
                self.signatures(),
                help_section(plan, self.crisis_lines, self.today),
            ]
        )
        doc.closing.extend(released_notice(released_under))
        return doc

    def who_and_when(self) -> tuple[tuple[str, str], ...]:
        plan = self.plan
        rows = [("For", self.name)]
        clinician = one_line(plan.clinician.name)
        if clinician:
            credentials = one_line(plan.clinician.credentials)
            rows.append(("With", f"{clinician}, {credentials}" if credentials else clinician))
        guardian = plan.client.guardian
        if guardian is not None and one_line(guardian.name):
            relationship = one_line(guardian.relationship)
            who = one_line(guardian.name)
            rows.append(("Parent or guardian", f"{who} ({relationship})" if relationship else who))
        rows.append(("Date", date_in_words(self.today)))
        return tuple((label, value) for label, value in rows if value)

    def concerns(self) -> Section:
        items = tuple(
            self.item(c.for_client) for c in self.plan.presenting_concerns if c.for_client
        )
        return Section("What brought you here", [ItemList(items)] if items else [])

    def strengths(self) -> Section:
        items = tuple(self.item(s.for_client) for s in self.plan.strengths if s.for_client)
        if not items:
            return Section("Your strengths")
        return Section(
            "Your strengths",
            [Paragraph("These are things you bring that will help you."), ItemList(items)],
        )

    # -- goals

    def goals(self) -> Section:
        goals = [g for g in self.plan.goals if clean(g.for_client)]
        section = Section("Your goals")
        if not goals:
            return section
        section.blocks.append(
            Paragraph(
                "Each goal has a number from 0 to 10. You pick the number. "
                "It shows how things are going for you."
            )
        )
        for n, goal in enumerate(goals, 1):
            heading = f"Goal {n} of {len(goals)}" if len(goals) > 1 else "Your goal"
            section.sections.append(Section(heading, self.goal(goal), keep_together=True))
        return section

    def goal(self, goal: m.Goal) -> list[Block]:
        blocks: list[Block] = self.explained(goal.for_client, emphasis=True)
        if goal.status in GOAL_STATUS_SENTENCES:
            blocks.append(
                Paragraph(GOAL_STATUS_SENTENCES[goal.status].format(clinician=self.clinician))
            )
        blocks.extend(self.measure(goal))
        steps = tuple(
            self.item(
                o.for_client,
                lead=first_upper(status_words(OBJECTIVE_STATUS_WORDS, o.status)),
                notes=(f"Aim to do this by {date_in_words(o.target_date)}.",)
                if o.target_date
                else (),
            )
            for o in goal.objectives
            if clean(o.for_client)
        )
        if steps:
            blocks += [Label("Your steps"), ItemList(steps, numbered=True)]
        blocks += self.actions(goal)
        return blocks

    def measure(self, goal: m.Goal) -> list[Block]:
        r = goal.rating
        label = one_line(r.label)
        low, high = one_line(r.low) or "the worst", one_line(r.high) or "the best"
        what = f'"{label}"' if label else "this goal"
        lower = r.better == "lower"
        blocks: list[Block] = [
            Paragraph(
                f"You rate {what} from 0 to 10: 0 means {low}, 10 means {high}. "
                + ("Here a lower number is better." if lower else "A higher number is better.")
            )
        ]
        # The countable part of the goal, when the client's own words leave it out.
        said = clean(goal.for_client).casefold()
        missing = [c for c in criteria(goal.text) if c.casefold() not in said]
        if missing:
            blocks.append(Paragraph(f"How you will know you got there: {', '.join(missing)}."))
        rows: list[tuple[str, str]] = []
        if r.baseline is not None:
            rows.append(("Where you started", f"{r.baseline} out of 10"))
        ratings = goal.client_ratings()
        if ratings:
            day, value = ratings[-1]
            rows.append(("Your latest rating", f"{value} out of 10, on {date_in_words(day)}"))
        if r.target is not None:
            by = f", by {date_in_words(goal.target_date)}" if goal.target_date else ""
            side = "or lower" if lower else "or higher"
            rows.append(("Your target", f"{r.target} out of 10 {side}{by}"))
        elif goal.target_date is not None:
            rows.append(("Target date", date_in_words(goal.target_date)))
        if goal.achievement:
            rows.append(("How it is going", status_words(ACHIEVEMENT_WORDS, goal.achievement)))
        if rows:
            blocks.append(Facts(tuple(rows)))
        if ratings:
            chart = [ChartRow("Start", r.baseline)] if r.baseline is not None else []
            chart += [ChartRow(date_in_words(day), value) for day, value in ratings]
            if r.target is not None:
                chart.append(ChartRow("Target", r.target))
            blocks.append(Chart("Your ratings over time, out of 10:", tuple(chart)))
        return blocks

    def actions(self, goal: m.Goal) -> list[Block]:
        """What each person will do for this goal: one short list per person, in plan order."""
        by_whom: dict[str, list[Item]] = {}
        for i in goal.interventions:
            if clean(i.for_client):
                often = one_line(i.frequency)
                notes = (f"How often: {often}.",) if often else ()
                by_whom.setdefault(self.who_does(i.by), []).append(
                    self.item(i.for_client, notes=notes)
                )
        blocks: list[Block] = []
        for who, items in by_whom.items():
            blocks += [Label(who), ItemList(tuple(items))]
        return blocks

    def who_does(self, by: str | None) -> str:
        by = one_line(by)
        return {
            "": "What will be done",
            "clinician": f"What {self.clinician} will do",
            "client": "What you will do",
            "family": "What your family will do",
        }.get(by, f"What {by}, will do" if "," in by else f"What {by} will do")

    # -- who does what, how often, when

    def agreements(self) -> Section:
        c = self.plan.contract
        blocks: list[Block] = []
        yours = tuple(self.item(t) for t in c.client_agrees_to if clean(t))
        theirs = tuple(self.item(t) for t in c.clinician_agrees_to if clean(t))
        if yours:
            blocks += [Label("You agree to"), ItemList(yours)]
        if theirs:
            blocks += [Label(f"{first_upper(self.clinician)} agrees to"), ItemList(theirs)]
        return Section("What you each agree to", blocks)

    def meetings(self) -> Section:
        c = self.plan.contract
        rows = []
        if one_line(c.frequency):
            rows.append(("How often", one_line(c.frequency)))
        if c.session_minutes:
            rows.append(("How long", f"{c.session_minutes} minutes each time"))
        if one_line(c.modality):
            rows.append(("Kind of help", one_line(c.modality)))
        if not rows:
            return Section("How often you meet")
        notes = self.explain.notes_for(c.modality)
        return Section("How often you meet", [Facts(tuple(rows)), *map(Paragraph, notes)])

    def review(self) -> Section:
        plan = self.plan
        section = Section("When you look at the plan again")
        if plan.plan.status == "completed":
            return section
        due = plan.next_review
        if due is not None and due >= self.today:
            section.blocks.append(
                Paragraph(
                    f"You and {self.clinician} will look at this plan again "
                    f"by {date_in_words(due)}."
                )
            )
        elif due is not None:
            section.blocks.append(
                Paragraph(
                    f"This plan was due to be looked at again on {date_in_words(due)}. "
                    f"{first_upper(self.clinician)} will set a time to do it with you soon."
                )
            )
        rows = []
        latest = plan.latest_review
        if latest is not None:
            rows.append(("Last looked at", date_in_words(latest.date)))
        if plan.plan.expected_end is not None:
            rows.append(("Planned end", date_in_words(plan.plan.expected_end)))
        if rows:
            section.blocks.append(Facts(tuple(rows)))
        words = plan.plan.discharge_in_client_words or plan.plan.discharge_criteria
        if clean(words):
            finish = self.item(words)
            section.blocks += [Label("You will be ready to finish when"), ItemList((finish,))]
        return section

    # -- sharing and signing

    def consents(self) -> Section:
        blocks: list[Block] = [Paragraph(p) for p in self.privacy()]
        items = tuple(self.consent(c) for c in self.plan.consents if one_line(c.to))
        if items:
            blocks.append(ItemList(items))
        blocks.append(Paragraph(f"Ask {self.clinician} if you want to change this."))
        return Section("Who may get information about you", blocks)

    def privacy(self) -> list[str]:
        """What is private, who may see it, and the limits, in plain words (true for every plan:
        a release is not the only way information leaves)."""
        who = self.clinician
        if self.released:
            shared = "This copy shows only the release it was shared under."
        elif any(one_line(c.to) for c in self.plan.consents):
            shared = "You said yes to sharing with the people below, and only what each may get."
        else:
            shared = "You have not said yes to sharing it with anyone."
        out = [
            f"What you tell {who} is private. {shared}",
            f"There are limits. {who} may have to share some things without your OK: "
            "if you or someone else may be badly hurt, if a child or an older adult may be "
            "harmed, in an emergency, or when a judge or the law says so. "
            "Your health plan may get what it needs to pay for your care.",
        ]
        if self.plan.client.is_minor_on(self.today):
            out.append(
                "You are under 18, so your parent or guardian may see parts of your plan. "
                f"{who} will talk with you about what they see."
            )
        return out

    def consent(self, c: m.Consent) -> Item:
        notes = []
        purpose = one_line(c.purpose)
        if purpose:
            notes.append(f"Why: {purpose}.")
        if one_line(c.signed_by) and c.signed_on is not None:
            notes.append(f"Signed by {one_line(c.signed_by)} on {date_in_words(c.signed_on)}.")
        problem = self.plan.consent_problem(c, self.today)
        ends = one_line(c.expires_when)
        if c.revoked_on is not None and c.revoked_on <= self.today:
            notes.append(f"This ended on {date_in_words(c.revoked_on)}. Nothing more is shared.")
        elif c.expires_on is not None and c.expires_on < self.today:
            notes.append(f"This ended on {date_in_words(c.expires_on)}. Nothing more is shared.")
        elif not one_line(c.signed_by) or c.signed_on is None:
            notes.append("This is not signed yet, so nothing is shared.")
        elif c.signed_on > self.today:
            notes.append(f"This starts on {date_in_words(c.signed_on)}.")
        elif problem is not None and c.expires_on is None and not ends:
            notes.append("It does not say when it ends, so nothing is shared.")
        elif problem is not None:
            # Signed by someone who may not sign it (a minor alone, someone else).
            signer = (
                "your parent or guardian" if self.plan.client.is_minor_on(self.today) else "you"
            )
            notes.append(f"It needs to be signed by {signer}, so nothing is shared.")
        elif c.expires_on is not None:
            notes.append(f"This ends on {date_in_words(c.expires_on)}.")
        elif ends:
            notes.append(f"This ends at: {ends}.")
        if c.revoked_on is not None and c.revoked_on > self.today:
            notes.append(f"It will stop on {date_in_words(c.revoked_on)}.")
        shares = SHARES_WORDS.get(c.shares, f"may get: {c.shares}.")
        return Item(text=shares, lead=one_line(c.to), notes=tuple(notes))

    def signatures(self) -> Section:
        section = Section("Signatures")
        current = [s for s in self.plan.current_signatures() if one_line(s.name)]
        if current:
            items = []
            for s in current:
                role = SIGNER_ROLE_WORDS.get(s.role)
                who = f"{one_line(s.name)} ({role})" if role else one_line(s.name)
                when = f" on {date_in_words(s.signed_on)}" if s.signed_on else ""
                items.append(Item(f"{who} signed{when}."))
            section.blocks.append(ItemList(tuple(items)))
        elif self.plan.signatures:
            section.blocks.append(Paragraph("No one has signed this version of the plan yet."))
        # On paper: a line for each person who still has to sign this version.
        signed = {s.role for s in current}
        roles = [("client", "You"), ("clinician", first_upper(self.clinician))]
        if self.plan.client.is_minor_on(self.today):
            roles.insert(1, ("guardian", "Parent or guardian"))
        missing = tuple(label for role, label in roles if role not in signed)
        if missing and self.plan.plan.status != "completed":
            section.blocks.append(SignatureLines(missing))
        return section


def client_summary(
    plan: m.Plan,
    *,
    today: date,
    released_under: tuple[int, m.Consent] | None = None,
    crisis_lines: CrisisLines = None,
) -> Document:
    """The client's plain-language summary of ``plan`` as a document, ready for any format.
    ``crisis_lines`` are the settings' (name, contact) pairs, named when the plan has none."""
    if released_under is not None:
        # A shared copy names only its own recipient (minimum necessary).
        plan = replace(plan, consents=[released_under[1]])
    writer = _ClientWriter(plan, today, crisis_lines, released=released_under is not None)
    return writer.document(released_under)
