"""Hypothesis strategies for plans: any valid plan, and text that is hard to round-trip
(YAML look-alikes, markup, line breaks of every kind, scripts, emoji), within the bounds every
value keeps (``core.bounds``): no control characters but line feed and tab, dates from 1900 to
2100 (a date of birth not after today), numbers that fit 64 bits."""

from __future__ import annotations

from datetime import date

from hypothesis import strategies as st

from tplan_tui.core import bounds
from tplan_tui.core import model as m

# Text a plan may not hold: each one is refused with its field path (tests/core/test_hostile.py).
CONTROL_TEXT = [
    "a\x00b",
    "bell\x07",
    "del\x7f",
    "esc\x1b[31m",
    "crlf\r\nline",
    "cr\ronly",
    "x\r",
    "nel\x85x",
    "x\x85",
    "a\n\x85b",
    "csi\x9b2J",
    "\x1b]0;title\x07",
    "\x1b]52;c;SGVsbG8=\x07",
    "\r\x1b[K",
    "\x1b[2J\x1b[H",
]

SPECIAL_TEXT = [
    "null",
    "Null",
    "NULL",
    "~",
    "yes",
    "No",
    "on",
    "OFF",
    "y",
    "n",
    "true",
    "False",
    "2016-07-01",
    "2026-13-45",
    "2016-07-01 10:00:00",
    "2016-07-01T10:00:00Z",
    "12:30",
    "12:30:45",
    "1_000",
    "0x1F",
    "0o17",
    "017",
    "0b101",
    "+1",
    "-0",
    "1e3",
    "1.5e+3",
    "1.5",
    ".5",
    "5.",
    ".inf",
    "-.INF",
    ".nan",
    "3",
    "1,000",
    "<b>bold</b>",
    "*emphasis*",
    "**strong**",
    "# heading",
    "- item",
    "> quote",
    "| pipe",
    "[link](http://example.org)",
    "{a: b}",
    "[1, 2]",
    "&anchor",
    "*alias",
    "!tag",
    "!!str",
    "%YAML 1.2",
    "@at",
    "`tick`",
    "'single'",
    '"double"',
    "a: b",
    "a #b",
    "key:",
    "?",
    ":",
    "-",
    "---",
    "...",
    "--- x",
    "<<",
    "=",
    " leading",
    "trailing ",
    "  both  ",
    "tab\there",
    "\ttab first",
    "tab last\t",
    "line\nbreak",
    "ends with newline\n",
    "two\n\n",
    "\nstarts with newline",
    "  \n indented\n",
    "ls\u2028x",
    "ps\u2029x",
    "x\u2028",
    "a\n\u2028\nb",
    "bom\ufeffx",
    "\ufeffbom first",
    "zero\u200bwidth",
    "nbsp\xa0x",
    "emoji 😀🏳️‍🌈",
    "עברית",
    "العربية",
    "中文",
    "日本語",
    "한국어",
    "हिन्दी",
    "Ελληνικά",
    "кириллица",
    "\U0010ffff",
    "\U0001f600\n\U0001f600",
    "x" * 300,
    "word " * 50,
    ("a long line of words " * 8 + "\n") * 3,
    "\\",
    "\\n",
    "%",
    "'",
    '"',
]

_line_breaks = st.sampled_from(["\n", "\u2028", "\u2029", "\n\n", "\t"])
# Any character but surrogates and control characters, and line feed and tab.
_chars = st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from("\n\t")


def texts(**kwargs):
    return st.text(_chars, **kwargs)


@st.composite
def _multiline(draw) -> str:
    parts = draw(st.lists(texts(max_size=12), min_size=2, max_size=4))
    out = parts[0]
    for part in parts[1:]:
        out += draw(_line_breaks) + part
    return out


# any text the format allows: not blank (blank text is how a file says "absent")
any_text = st.one_of(
    st.sampled_from(SPECIAL_TEXT), texts(min_size=1, max_size=30), _multiline()
).filter(lambda s: s.strip() != "")
dates = st.dates(bounds.DATE_MIN, bounds.DATE_MAX)
births = st.dates(bounds.DATE_MIN, date.today())
ratings = st.integers(m.RATING_MIN, m.RATING_MAX)


def opt(strategy):
    return st.none() | strategy


plain_data = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(bounds.INT_MIN, bounds.INT_MAX)
    | st.floats(allow_nan=False, allow_infinity=False)
    | texts(max_size=15)
    | st.sampled_from(SPECIAL_TEXT),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(texts(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)
extras = st.one_of(
    st.just({}),
    st.dictionaries(texts(max_size=10) | st.sampled_from(SPECIAL_TEXT), plain_data, max_size=3),
)

guardians = st.builds(m.Guardian, name=any_text, relationship=any_text, extra=extras)
clients = st.builds(
    m.Client,
    name=any_text,
    full_name=opt(any_text),
    date_of_birth=opt(births),
    pronouns=opt(any_text),
    guardian=opt(guardians),
    extra=extras,
)
clinicians = st.builds(
    m.Clinician, name=any_text, credentials=opt(any_text), contact=opt(any_text), extra=extras
)
diagnoses = st.builds(
    m.Diagnosis,
    code=any_text,
    label=any_text,
    current=st.booleans(),
    system=opt(st.sampled_from(m.DIAGNOSIS_SYSTEMS)),
    extra=extras,
)
histories = st.builds(
    m.History,
    demographics=opt(any_text),
    psychosocial=opt(any_text),
    symptom_onset=opt(any_text),
    treatment_history=opt(any_text),
    diagnoses=st.lists(diagnoses, max_size=2),
    extra=extras,
)
concerns = st.builds(m.Concern, text=any_text, in_client_words=opt(any_text), extra=extras)
strengths = st.builds(m.Strength, text=any_text, in_client_words=opt(any_text), extra=extras)
contracts = st.builds(
    m.Contract,
    modality=opt(any_text),
    frequency=opt(any_text),
    session_minutes=opt(st.integers(1, 24 * 60)),
    client_agrees_to=st.lists(any_text, max_size=2),
    clinician_agrees_to=st.lists(any_text, max_size=2),
    extra=extras,
)


@st.composite
def scales(draw) -> m.Rating:
    """A 0-10 scale whose target is never on the worse side of its baseline (format v2)."""
    better = draw(st.sampled_from(m.SCALE_DIRECTIONS))
    baseline = draw(opt(ratings))
    if baseline is None:
        target = draw(ratings)
    elif better == "higher":
        target = draw(st.integers(baseline, m.RATING_MAX))
    else:
        target = draw(st.integers(m.RATING_MIN, baseline))
    return m.Rating(
        label=draw(any_text), low=draw(any_text), high=draw(any_text), baseline=baseline,
        target=target, better=better, extra=draw(extras),
    )  # fmt: skip


objectives = st.builds(
    m.Objective,
    text=any_text,
    target_date=opt(dates),
    status=st.sampled_from(m.OBJECTIVE_STATUSES),
    in_client_words=opt(any_text),
    extra=extras,
)
interventions = st.builds(
    m.Intervention,
    text=any_text,
    modality=opt(any_text),
    frequency=opt(any_text),
    by=opt(st.sampled_from(m.INTERVENTION_BY) | any_text),
    in_client_words=opt(any_text),
    extra=extras,
)
reviews = st.builds(m.Review, date=dates, note=opt(any_text), extra=extras)
consents = st.builds(
    m.Consent,
    to=any_text,
    shares=st.sampled_from(m.CONSENT_SHARES),
    signed_by=any_text,
    signed_on=dates,
    expires_on=opt(dates),
    revoked_on=opt(dates),
    purpose=opt(any_text),
    expires_when=opt(any_text),
    minor_may_consent=st.booleans(),
    extra=extras,
)
plan_infos = st.builds(
    m.PlanInfo,
    started=dates,
    review_every_days=st.integers(m.REVIEW_DAYS_MIN, m.REVIEW_DAYS_MAX),
    level_of_care=opt(any_text),
    status=st.sampled_from(m.PLAN_STATUSES),
    version=st.integers(1, 4),
    discharge_criteria=opt(any_text),
    expected_end=opt(dates),
    discharge_in_client_words=opt(any_text),
    next_session=opt(dates),
    extra=extras,
)


@st.composite
def progress_entries(draw, n_objectives: int) -> m.ProgressEntry:
    client = draw(opt(ratings))
    clinician = draw(ratings if client is None else opt(ratings))  # at least one rating
    return m.ProgressEntry(
        date=draw(dates),
        client_rating=client,
        clinician_rating=clinician,
        objectives_achieved=draw(st.lists(st.integers(1, n_objectives), max_size=3)),
        note=draw(opt(any_text)),
        extra=draw(extras),
    )


@st.composite
def goals(draw, n_concerns: int = 0) -> m.Goal:
    objs = draw(st.lists(objectives, min_size=1, max_size=3))
    return m.Goal(
        text=draw(any_text),
        in_client_words=draw(opt(any_text)),
        rating=draw(scales()),
        target_date=draw(opt(dates)),
        status=draw(st.sampled_from(m.GOAL_STATUSES)),
        achievement=draw(opt(st.sampled_from(m.ACHIEVEMENTS))),
        objectives=objs,
        interventions=draw(st.lists(interventions, max_size=2)),
        progress=draw(st.lists(progress_entries(len(objs)), max_size=2)),
        addresses=draw(st.lists(st.integers(1, n_concerns), max_size=2)) if n_concerns else [],
        extra=draw(extras),
    )


contacts = st.builds(m.Contact, name=any_text, contact=any_text, extra=extras)
safety_plans = st.builds(
    m.SafetyPlan,
    made_on=opt(dates),
    warning_signs=st.lists(any_text, max_size=2),
    coping_on_my_own=st.lists(any_text, max_size=2),
    people_and_places=st.lists(any_text, max_size=2),
    people_to_ask=st.lists(contacts, max_size=2),
    professionals=st.lists(contacts, max_size=2),
    crisis_lines=st.lists(contacts, max_size=2),
    safer_surroundings=st.lists(any_text, max_size=2),
    reasons_for_living=st.lists(any_text, max_size=2),
    extra=extras,
)
safeties = st.builds(
    m.Safety,
    assessments=st.lists(
        st.builds(
            m.RiskAssessment,
            date=dates,
            risk=st.sampled_from(m.RISK_LEVELS),
            note=opt(any_text),
            extra=extras,
        ),
        max_size=2,
    ),
    plan=opt(safety_plans),
    extra=extras,
)


@st.composite
def measures(draw) -> m.Measure:
    from tplan_tui.core.instruments import all_instruments

    shipped = all_instruments()
    tool = shipped[draw(st.sampled_from(sorted(shipped)))]
    scores = st.lists(
        st.integers(tool.item_min, tool.item_max), min_size=tool.items, max_size=tool.items
    )
    items = draw(opt(scores))
    if items is None:
        total = draw(st.integers(tool.total_min, tool.total_max))
    else:
        total = draw(st.sampled_from([None, sum(items)]))
    return m.Measure(
        instrument=tool.id, date=draw(dates), items=items, total=total, note=draw(opt(any_text)),
        extra=draw(extras),
    )  # fmt: skip


@st.composite
def plans(draw) -> m.Plan:
    info = draw(plan_infos)
    concern_list = draw(st.lists(concerns, min_size=1, max_size=2))
    signatures = st.builds(
        m.Signature,
        role=st.sampled_from(m.SIGNATURE_ROLES),
        name=any_text,
        signed_on=dates,
        version=st.integers(1, info.version),
        extra=extras,
    )
    return m.Plan(
        client=draw(clients),
        clinician=draw(clinicians),
        plan=info,
        history=draw(histories),
        presenting_concerns=concern_list,
        strengths=draw(st.lists(strengths, min_size=1, max_size=2)),
        contract=draw(contracts),
        goals=draw(st.lists(goals(len(concern_list)), min_size=1, max_size=2)),
        reviews=draw(st.lists(reviews, max_size=2)),
        consents=draw(st.lists(consents, max_size=2)),
        signatures=draw(st.lists(signatures, max_size=2)),
        clinician_notes=draw(opt(any_text)),
        safety=draw(safeties),
        measures=draw(st.lists(measures(), max_size=2)),
        extra=draw(extras),
    )
