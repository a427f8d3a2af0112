"""The standard questionnaires a plan can hold scores of (format v2, ``measures``), as data.

Each instrument is a small YAML file: the ones tplan ships are in ``tplan_tui/instruments/``, and a
practice may add its own in ``<config>/instruments/`` (``TPLAN_CONFIG`` moves the config folder),
read as strictly as the themes: an unknown key, a wrong type, or bands that leave a gap in the
total range or overlap are each refused with the field's path, and the file is skipped whole.

A practice file may not change a shipped instrument's facts (items, ranges, risk item): plans
already hold scores checked against them. It may replace its words, e.g. to add the item wording
it is licensed to show. tplan never prints the questionnaires itself.

Facts carry over from the published instruments (item counts, ranges, bands, the reliable change
figure with its source in the file); every word is tplan's own. Core module: no Textual.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from tplan_tui.core.fielderrors import unknown_key_message
from tplan_tui.paths import config_dir

FILE_SUFFIXES = (".yaml", ".yml")
KEYS = (
    "id", "name", "about", "items", "item_range", "total_range", "lower_is_better",
    "risk_item", "reliable_change", "source", "bands", "topics", "wording",
)  # fmt: skip
REQUIRED = tuple(k for k in KEYS if k not in ("risk_item", "wording"))
BAND_KEYS = ("from", "to", "label", "meaning")


@dataclass(frozen=True)
class Band:
    """A range of totals and what it means: ``label`` is the usual short name, ``meaning``
    says it in plain words (a client never sees the label alone)."""

    low: int
    high: int
    label: str
    meaning: str


@dataclass(frozen=True)
class Instrument:
    id: str
    items: int
    item_min: int
    item_max: int
    total_min: int = 0
    total_max: int = 0
    name: str = ""
    about: str = ""  # what the answers are about, in a client's words ("low mood")
    lower_is_better: bool = True
    risk_item: int | None = None  # 1-based: an answer above 0 here raises the safety alert
    reliable_change: int = 0  # a change of at least this many points is more than chance
    source: str = ""  # where the reliable change figure comes from
    bands: tuple[Band, ...] = ()
    topics: tuple[str, ...] = ()  # a short topic per item, tplan's words
    wording: tuple[str, ...] = ()  # a practice's licensed item wording, if it added it
    origin: str = field(default="", compare=False)  # the file it came from

    def band(self, total: int) -> Band | None:
        return next((b for b in self.bands if b.low <= total <= b.high), None)

    def topic(self, item: int) -> str:
        """The topic of item ``item`` (1-based)."""
        return self.topics[item - 1] if 0 < item <= len(self.topics) else f"item {item}"

    def facts(self) -> tuple[int, int, int, int, int, int | None]:
        return (
            self.items, self.item_min, self.item_max, self.total_min, self.total_max,
            self.risk_item,
        )  # fmt: skip


class InstrumentFileError(ValueError):
    """A file that is no instrument: every problem, each with its field's path."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


def _describe(value: Any) -> str:
    from tplan_tui.settings import describe

    return describe(value)


def _whole(problems: list[str], path: str, value: Any, low: int = 0) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        problems.append(f"{path}: must be a whole number from {low} up, got {_describe(value)}")
        return None
    return value


def _text(problems: list[str], path: str, value: Any) -> str | None:
    from tplan_tui.core.bounds import control_problem

    if not isinstance(value, str) or not value.strip():
        problems.append(f"{path}: must be text, got {_describe(value)}")
        return None
    problem = control_problem(value)
    if problem:
        problems.append(f"{path}: {problem}")
        return None
    return " ".join(value.split())


def _range(problems: list[str], path: str, value: Any) -> tuple[int, int] | None:
    ok = (
        isinstance(value, list)
        and len(value) == 2
        and all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in value)
        and value[0] <= value[1]
    )
    if not ok:
        problems.append(f"{path}: must be [lowest, highest], two whole numbers, got {value!r}")
        return None
    return value[0], value[1]


def _texts(problems: list[str], path: str, value: Any, count: int | None) -> tuple[str, ...]:
    if not isinstance(value, list):
        problems.append(f"{path}: must be a list of text, got {_describe(value)}")
        return ()
    out = [_text(problems, f"{path}[{i}]", v) for i, v in enumerate(value)]
    if count is not None and len(value) != count:
        problems.append(f"{path}: must have one entry per item ({count}), got {len(value)}")
    return tuple(t or "" for t in out)


def _bands(problems: list[str], value: Any, total: tuple[int, int] | None) -> tuple[Band, ...]:
    if not isinstance(value, list) or not value:
        problems.append(f"bands: must be a list of bands, got {_describe(value)}")
        return ()
    bands: list[Band] = []
    for i, raw in enumerate(value):
        path = f"bands[{i}]"
        if not isinstance(raw, dict):
            problems.append(f"{path}: must be from, to, label and meaning, got {_describe(raw)}")
            continue
        problems += [
            f"{path}.{k}: {unknown_key_message(k, BAND_KEYS)}" for k in raw if k not in BAND_KEYS
        ]
        missing = [k for k in BAND_KEYS if k not in raw]
        if missing:
            problems.append(f"{path}: missing {', '.join(missing)}")
            continue
        low = _whole(problems, f"{path}.from", raw["from"])
        high = _whole(problems, f"{path}.to", raw["to"])
        label = _text(problems, f"{path}.label", raw["label"])
        meaning = _text(problems, f"{path}.meaning", raw["meaning"])
        if low is None or high is None or label is None or meaning is None:
            continue
        if high < low:
            problems.append(f"{path}: 'to' ({high}) is below 'from' ({low})")
            continue
        bands.append(Band(low, high, label, meaning))
    if total is None or len(bands) != len(value):
        return tuple(bands)
    # Sorted by where they start, each band must begin right after the one before ends: no gap,
    # no overlap, from the lowest total to the highest.
    ordered = sorted(range(len(bands)), key=lambda i: bands[i].low)
    expected = total[0]
    for i in ordered:
        b = bands[i]
        if b.low > expected:
            problems.append(f"bands[{i}]: totals {expected} to {b.low - 1} are in no band")
        elif b.low < expected:
            problems.append(f"bands[{i}]: overlaps the band before it (from {b.low})")
        expected = max(expected, b.high + 1)
    if expected <= total[1]:
        problems.append(f"bands: totals {expected} to {total[1]} are in no band")
    elif expected > total[1] + 1:
        problems.append(f"bands: go past the highest total ({total[1]})")
    return tuple(bands)


def check_instrument(data: Any, origin: str = "") -> Instrument:
    """An instrument from one file's parsed YAML; InstrumentFileError naming every problem."""
    if not isinstance(data, dict):
        raise InstrumentFileError(
            [f"the file must be a set of 'field: value' lines, not {_describe(data)}"]
        )
    problems = [f"{k}: {unknown_key_message(str(k), KEYS)}" for k in data if k not in KEYS]
    missing = [k for k in REQUIRED if k not in data]
    if missing:
        problems.append(f"missing {', '.join(missing)}")
    get = data.get
    ident = _text(problems, "id", get("id")) if "id" in data else None
    name = _text(problems, "name", get("name")) if "name" in data else None
    about = _text(problems, "about", get("about")) if "about" in data else None
    source = _text(problems, "source", get("source")) if "source" in data else None
    count = _whole(problems, "items", get("items"), 1) if "items" in data else None
    item_range = _range(problems, "item_range", get("item_range")) if "item_range" in data else None
    total = _range(problems, "total_range", get("total_range")) if "total_range" in data else None
    if count and item_range and total and total != (count * item_range[0], count * item_range[1]):
        problems.append(
            f"total_range: must be [{count * item_range[0]}, {count * item_range[1]}] "
            f"({count} items of {item_range[0]} to {item_range[1]}), got {list(total)}"
        )
    better = get("lower_is_better")
    if "lower_is_better" in data and not isinstance(better, bool):
        problems.append(f"lower_is_better: must be true or false, got {_describe(better)}")
    change = (
        _whole(problems, "reliable_change", get("reliable_change"), 1)
        if ("reliable_change" in data)
        else None
    )
    risk = None
    if get("risk_item") is not None:
        risk = _whole(problems, "risk_item", get("risk_item"), 1)
        if risk is not None and count is not None and risk > count:
            problems.append(f"risk_item: must be an item from 1 to {count}, got {risk}")
    bands = _bands(problems, get("bands"), total) if "bands" in data else ()
    topics = _texts(problems, "topics", get("topics"), count) if "topics" in data else ()
    wording = _texts(problems, "wording", get("wording"), count) if "wording" in data else ()
    if problems:
        raise InstrumentFileError(problems)
    assert ident and name and about and source and count and item_range and total and change
    return Instrument(
        id=ident, items=count, item_min=item_range[0], item_max=item_range[1],
        total_min=total[0], total_max=total[1], name=name, about=about,
        lower_is_better=bool(better), risk_item=risk, reliable_change=change, source=source,
        bands=bands, topics=topics, wording=wording, origin=origin,
    )  # fmt: skip


def read_instrument_file(path: Path) -> Instrument:
    """One instrument file; InstrumentFileError (problems with paths) or OSError."""
    from tplan_tui.settings import parse_config_yaml, read_config_text

    try:
        data = parse_config_yaml(read_config_text(path))
    except ValueError as exc:  # too big, not UTF-8, not YAML
        raise InstrumentFileError([str(exc)]) from None
    return check_instrument(data, origin=str(path))


def user_instruments_dir() -> Path:
    """Where a practice puts its own instrument files: ``<config>/instruments``."""
    return config_dir() / "instruments"


def _shipped() -> dict[str, Instrument]:
    folder = resources.files("tplan_tui.instruments")
    found: dict[str, Instrument] = {}
    # PHQ-9 first: the one most asked for, so it is 1 in the entry dialog.
    order = ("phq-9.yaml", "gad-7.yaml")
    files = sorted(
        folder.iterdir(), key=lambda f: (order.index(f.name) if f.name in order else 9, f.name)
    )
    for f in files:
        if f.name.endswith(FILE_SUFFIXES):
            from tplan_tui.settings import parse_config_yaml

            # A broken shipped file is a bug: it raises, and the tests catch it.
            x = check_instrument(parse_config_yaml(f.read_text("utf-8")), origin=f.name)
            found[x.id] = x
    return found


@lru_cache(maxsize=8)
def load_instruments(user_dir: Path | None = None) -> tuple[dict[str, Instrument], list[str]]:
    """Every instrument, shipped and the practice's, and a sentence per file skipped.

    Cached per folder: a file added while tplan runs is read at the next start."""
    known = _shipped()
    problems: list[str] = []
    folder = user_dir if user_dir is not None else user_instruments_dir()
    try:
        paths = sorted(
            p for p in folder.iterdir() if p.suffix in FILE_SUFFIXES and not p.name.startswith(".")
        )
    except OSError:  # no folder (the usual case), or not readable
        paths = []
    for path in paths:
        try:
            x = read_instrument_file(path)
        except InstrumentFileError as exc:
            lines = exc.problems
        except OSError as exc:
            lines = [f"cannot read the file: {exc.strerror or exc}"]
        else:
            shipped = known.get(x.id)
            if shipped is None or shipped.facts() == x.facts():
                known[x.id] = x
                continue
            lines = [
                f"id: {x.id} is shipped with tplan; a practice file may change its words, not "
                "its items, ranges or risk item"
            ]
        problems.append(f"Instrument file {path} was skipped:" + "".join(f"\n- {p}" for p in lines))
    return known, problems


@lru_cache(maxsize=1)
def shipped_ids() -> frozenset[str]:
    """The ids of the instruments tplan ships: their facts never change."""
    return frozenset(_shipped())


def all_instruments() -> dict[str, Instrument]:
    return load_instruments(user_instruments_dir())[0]


def instrument_problems() -> list[str]:
    return load_instruments(user_instruments_dir())[1]


def instrument(name: str) -> Instrument | None:
    """The instrument with this id, or None when tplan does not know it."""
    return all_instruments().get(name)


def known_ids() -> list[str]:
    return list(all_instruments())
