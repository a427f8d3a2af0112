"""The ``tplan`` command. Subcommands that do not open the TUI never import Textual, so they
start fast; the TUI (``tplan`` alone) is imported only when it is asked for.

Exit codes: 0 done, 2 bad input, 3 access refused, 1 anything else, each with a one-line message
on stderr; a traceback only with ``--debug``.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:  # each command imports what it needs when it runs, so `tplan list` starts fast
    import argparse  # with gettext, 2-7 ms: `tplan` alone builds no parser

    from tplan_tui.core.model import Consent, Plan
    from tplan_tui.store import Store

# Every line printed from a plan, a file, a store or a log goes through this: a value with an
# ESC in it must show as `\x1b`, never steer the terminal (tplan_tui.core is cheap to import).
from tplan_tui.core.terminal_text import for_terminal, json_for_terminal

MESSAGE_MAX = 600  # characters of one error line: tplan's words around values already cut

EXIT_OK, EXIT_ERROR, EXIT_BAD_INPUT, EXIT_REFUSED = 0, 1, 2, 3


class UsageError(Exception):
    """Bad input from the user: exit 2 with this message."""


def today() -> date:
    """Today's date; ``TPLAN_TODAY`` (YYYY-MM-DD) fixes it for tests and demonstrations."""
    fixed = os.environ.get("TPLAN_TODAY")
    if fixed:
        try:
            return date.fromisoformat(fixed)
        except ValueError:
            raise UsageError(
                f"TPLAN_TODAY must be a date written YYYY-MM-DD, got {fixed!r}"
            ) from None
    return date.today()


def store_path(args: argparse.Namespace) -> Path:
    from tplan_tui.paths import default_store_path

    return Path(args.db).expanduser() if args.db else default_store_path()


def open_store_for(args: argparse.Namespace, *, create: bool = True) -> Store:
    """The store ``--db`` names; asks for the passphrase only if the store is encrypted."""
    from tplan_tui.store import open_store

    return open_store(store_path(args), create=create, passphrase=passphrase_source())


# --------------------------------------------------------------------------- passphrases


def _stdin_is_tty() -> bool:
    return sys.stdin is not None and sys.stdin.isatty()


def _ask(prompt: str) -> str:
    import getpass

    return getpass.getpass(prompt)  # reads from the terminal, echo off


def passphrase_source(
    env: str = "TPLAN_PASSPHRASE", prompt: str = "Passphrase: "
) -> Callable[[], str | None]:
    """A function giving the passphrase: ``$TPLAN_PASSPHRASE``, else a prompt when stdin is a
    terminal, else None (the store then refuses). Called only if the store is encrypted."""

    def source() -> str | None:
        given = os.environ.get(env)
        if given:
            return given
        if _stdin_is_tty():
            return _ask(prompt)
        return None

    return source


def new_passphrase(env: str, what: str) -> str:
    """A new passphrase: ``$env``, else asked twice at the terminal; UsageError if it will not do."""
    from tplan_tui.store.crypto import passphrase_problem

    given = os.environ.get(env)
    if not given:
        if not _stdin_is_tty():
            raise UsageError(
                f"give the {what} in {env} (stdin is not a terminal, so tplan cannot ask)"
            )
        given = _ask(f"{what.capitalize()}: ")
        if _ask(f"The {what} again: ") != given:
            raise UsageError("the two passphrases differ; nothing was changed")
    problem = passphrase_problem(given)
    if problem:
        raise UsageError(f"{problem}; nothing was changed")
    return given


def _audit(store: Store, err: TextIO, action: str, plan_id: str | None = None) -> None:
    from tplan_tui.store import audit

    problem = audit.record(store, action, plan_id)
    if problem:
        err.write(f"tplan: warning: {for_terminal(problem, MESSAGE_MAX)}\n")


# --------------------------------------------------------------------------- commands


def cmd_import(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from tplan_tui.planfile import PlanFileError

    plans = []
    failed = False
    for name in args.files:
        try:
            plans.append(_load_checked_plan(name))
        except PlanFileError as exc:
            failed = True
            for error in exc.errors:
                err.write(f"{for_terminal(name)}: {for_terminal(error, MESSAGE_MAX)}\n")
    if failed:
        err.write("tplan: nothing was imported; fix the errors above and run the import again\n")
        return EXIT_BAD_INPUT
    store = open_store_for(args)
    from tplan_tui.store.duplicates import duplicate_message, find_duplicates

    duplicates = [] if args.allow_duplicate else find_duplicates(store, plans)
    if duplicates:
        for i, plan_id in duplicates:
            message = duplicate_message(plans[i], plan_id)
            err.write(f"{for_terminal(args.files[i])}: {for_terminal(message, MESSAGE_MAX)}\n")
        err.write(
            "tplan: nothing was imported; add --allow-duplicate to import a second copy anyway\n"
        )
        return EXIT_BAD_INPUT
    ids = store.import_plans(plans)
    for plan_id in ids:
        _audit(store, err, "import", plan_id)
    for name, plan_id, plan in zip(args.files, ids, plans, strict=True):
        out.write(f"{plan_id}\t{for_terminal(plan.client.name, 80)}\t{for_terminal(name)}\n")
    return EXIT_OK


def _load_any_plan(name: str) -> Plan:
    """A FHIR R4 Bundle (.json) read back into a plan; its errors name paths in the bundle."""
    from tplan_tui.fhir import load_bundle_file

    return load_bundle_file(name)


def _load_checked_plan(name: str) -> Plan:
    """A plan file or FHIR bundle, its diagnosis codes checked where a plan enters the store:
    an ICD-10-CM code that does not exist, or is not billable, is an error with its path and
    the nearest real codes (the code set is loaded only when there is a code to check)."""
    from tplan_tui.core.codes import diagnosis_problems
    from tplan_tui.planfile import FieldError, PlanFileError, load_plan_file_and_version

    if name.lower().endswith(".json"):
        plan, version = _load_any_plan(name), 1  # only codes that name ICD-10-CM are checked
    else:
        plan, version = load_plan_file_and_version(name)
    problems = diagnosis_problems(plan, version)
    if problems:
        raise PlanFileError([FieldError(path, problem) for path, problem in problems])
    return plan


def cmd_check(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """The sign step's checklist on the command line: exit 0 when the plan holds everything its
    profile requires, 2 with one line per missing element otherwise."""
    from tplan_tui.core.completeness import ProfileError, load_profile, missing

    profile_name = args.profile
    if profile_name is None:
        from tplan_tui.settings import load_settings

        profile_name = load_settings()[0].profile
    try:
        profile = load_profile(profile_name)
    except ProfileError as exc:
        raise UsageError(f"--profile: {exc}") from None
    target = args.plan
    if Path(target).is_file() or target.lower().endswith((".yaml", ".yml", ".json")):
        plan = (
            _load_any_plan(target) if target.lower().endswith(".json") else _load_as_draft(target)
        )
        source = target
    else:
        plan = open_store_for(args, create=False).load(target).plan
        source = f"plan {target}"
    found = missing(plan, today(), profile)
    if args.json:
        report = {
            "plan": source,
            "profile": profile.name,
            "complete": not found,
            "missing": [f.to_json() for f in found],
        }
        out.write(json_for_terminal(json.dumps(report, ensure_ascii=False, indent=2)) + "\n")
    elif found:
        for f in found:
            out.write(f"{for_terminal(f.path, 120)}: {for_terminal(f.words, MESSAGE_MAX)}\n")
    else:
        out.write(f"{for_terminal(source)}: complete for the {profile.title} profile.\n")
    return EXIT_BAD_INPUT if found else EXIT_OK


def _load_as_draft(name: str) -> Plan:
    """A plan file read as a draft: what a complete file lacks is the checklist's to list, one
    line per element, not a reason to refuse the file (a wrong value still is)."""
    from tplan_tui.planfile import parse_yaml, plan_from_data, read_plan_file_text

    return plan_from_data(parse_yaml(read_plan_file_text(name)), complete=False)


def _write_output(text: str, target: str | None, force: bool, out: TextIO) -> None:
    if target in (None, "-"):
        out.write(text)
        return
    from tplan_tui.paths import write_private_file

    path = Path(target).expanduser()
    if path.exists() and not force:
        raise UsageError(f"{path} exists; add --force to replace it")
    if path.is_dir():
        raise UsageError(f"{path} is a folder; name a file")
    write_private_file(path, text.encode("utf-8"))


def cmd_export(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from tplan_tui import planfile

    store = open_store_for(args)
    stored = store.load(args.plan_id)
    plan = stored.plan
    if args.format == "fhir":
        _write_output(_fhir_export(plan, args), args.output, args.force, out)
        if args.output not in (None, "-"):
            err.write(f"wrote {args.output}\n")
        _audit(store, err, "share" if args.consent is not None else "export", args.plan_id)
        return EXIT_OK
    audience = args.audience
    released = None
    if args.document == "safety-plan":
        # The client's own document: never the clinical record, never a plan file.
        if args.format == "yaml" or (args.audience_given and audience != "client"):
            raise UsageError(
                "--document safety-plan is the client's own page: use --format txt, md or html "
                "and --audience client"
            )
        audience = args.audience = "client"
        args.audience_given = True
    if args.consent is not None:
        asked = audience if args.audience_given else None  # else what is shared follows the consent
        released, audience = _consent_for_export(plan, args.consent, args.format, asked)
    if args.format == "yaml":
        if audience == "client" and args.audience_given:
            raise UsageError(
                "--format yaml is always the full plan; use txt, md or html for the client"
            )
        missing = planfile.completeness_errors(plan)
        if missing:
            lines = "; ".join(str(e) for e in missing[:5])
            raise UsageError(
                f"plan {args.plan_id} is not complete enough for a plan file ({lines}); "
                "finish it in tplan first"
            )
        if released is not None:
            from tplan_tui.core.sharing import shared_plan

            plan = shared_plan(plan, released[1])  # names only its own recipient
        text = planfile.dump_plan(plan)
        if released is not None:
            n, consent = released
            to = " ".join(consent.to.split())  # one line: a newline in it must not end the comment
            text = f"# Released to {to} under consent {n}.\n" + text
    else:
        from tplan_tui.summary import render

        accent = _theme_accent() if args.format == "html" else None
        text = render(
            plan,
            audience=audience,
            fmt=args.format,
            today=today(),
            released_under=released,
            accent=accent,
            document=args.document,
            crisis_lines=_crisis_lines(),
            profile=_profile(),
            check_codes=True,
        )
    _write_output(text, args.output, args.force, out)
    if args.output not in (None, "-"):
        err.write(f"wrote {for_terminal(args.output)}\n")
    _audit(store, err, "share" if args.consent is not None else "export", args.plan_id)
    return EXIT_OK


def _fhir_export(plan: Plan, args: argparse.Namespace) -> str:
    """The plan as a FHIR R4 Bundle (JSON): the clinical record for another system, never the
    client's copy; under a consent that shares only the summary, without clinician-only content."""
    from tplan_tui import planfile
    from tplan_tui.fhir import bundle_json, plan_to_bundle, shared_view

    if args.audience == "client" and args.audience_given:
        raise UsageError(
            "--format fhir is the clinical record for another system, not a copy for the client; "
            "use txt, md or html for the client"
        )
    missing = planfile.completeness_errors(plan)
    if missing:
        lines = "; ".join(str(e) for e in missing[:5])
        raise UsageError(
            f"plan {args.plan_id} is not complete enough for a FHIR bundle ({lines}); "
            "finish it in tplan first"
        )
    released = None
    if args.consent is not None:
        # The one gate (sharing.check_release), asked as for the record: a summary-only
        # consent gives the client-facing part of the plan, never the clinician-only content.
        asked = "clinician" if args.audience_given else None
        released, audience = _consent_for_export(plan, args.consent, "txt", asked)
        if audience == "client":
            plan = shared_view(plan)
        from tplan_tui.core.sharing import shared_plan

        plan = shared_plan(plan, released[1])  # names only its own recipient
    return bundle_json(plan_to_bundle(plan, args.plan_id, released_under=released))


def _theme_accent() -> str | None:
    """The accent colour of the theme in the settings, for the html page's rules (decoration)."""
    from tplan_tui.settings import load_settings
    from tplan_tui.themes import load_theme_specs

    wanted = load_settings()[0].theme
    specs, _problems = load_theme_specs()
    return next((spec.accent for spec in specs if spec.name == wanted), None)


def _profile() -> str:
    """The checklist profile in the settings: what the record lists as missing."""
    from tplan_tui.settings import load_settings

    return load_settings()[0].profile


def _crisis_lines() -> tuple[tuple[str, str], ...]:
    """The crisis lines in the settings, named by a client document when the plan has none."""
    from tplan_tui.settings import load_settings

    return load_settings()[0].crisis_lines


def _consent_for_export(
    plan: Plan, number: int, fmt: str, audience: str | None
) -> tuple[tuple[int, Consent], str]:
    """Check that consent ``number`` allows this export (the one gate: ``sharing.check_release``);
    return (released_under, audience). ``audience`` None follows what the consent shares."""
    from tplan_tui.core.sharing import ReleaseRefused, check_release

    try:
        release = check_release(plan, number, fmt, today(), audience)
    except ReleaseRefused as exc:
        raise UsageError(str(exc)) from None
    return release.released_under, release.audience


def cmd_list(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    store = open_store_for(args)
    rows, problems = store.list_plans()
    if store.index_problem:
        err.write(f"tplan: warning: {store.index_problem}\n")
    day = today()
    if not args.all:
        rows = [r for r in rows if r.status != "completed"]
    # Plans that need attention come first: risk must never scroll out of sight.
    rows.sort(key=lambda r: (not r.needs_attention, r.next_review or date.max, r.client.casefold()))
    for problem in problems:
        err.write(f"tplan: {for_terminal(problem, MESSAGE_MAX)}\n")
    if args.json:
        # {"plans": [...], "problems": [...]}: a damaged plan is named in "problems" (id, file,
        # reason) and never hides the others. One plan a line: readable, and each line goes
        # through json's C encoder (indent=2 makes json use its pure-Python one: 0.1 s of a
        # 0.2 s `tplan list --json` at 5,000).
        def items(objects: Sequence[Mapping[str, object]]) -> str:
            lines = ",\n".join("    " + json.dumps(o, ensure_ascii=False) for o in objects)
            return f"[\n{lines}\n  ]" if objects else "[]"

        plans = items([r.to_json(day) for r in rows])
        damaged = items([p.to_json() for p in problems])
        out.write(json_for_terminal(f'{{\n  "plans": {plans},\n  "problems": {damaged}\n}}\n'))
        return EXIT_OK if not problems else EXIT_ERROR
    if not rows:
        out.write(
            "No plans yet. Start one with `tplan`, or import a plan file with `tplan import FILE`.\n"
        )
        return EXIT_OK if not problems else EXIT_ERROR
    header = ("PLAN", "CLIENT", "CLINICIAN", "STATUS", "STARTED", "NEXT REVIEW", "REVIEW")
    table = [header] + [
        (
            for_terminal(r.plan_id, 40),
            for_terminal(r.client, 60) if r.client else "(no name yet)",
            for_terminal(r.clinician, 60) if r.clinician else "-",
            "needs attention" if r.needs_attention else r.status,
            r.started.isoformat() if r.started else "-",
            r.next_review.isoformat() if r.next_review else "-",
            r.review_state(day),
        )
        for r in rows
    ]
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    for row in table:
        out.write(
            "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip() + "\n"
        )
    flagged = [r for r in rows if r.needs_attention]
    if flagged:
        out.write("\nNeeds attention:\n")
        for r in flagged:
            reasons = "; ".join(f"{text} ({on})" for text, _short, on, _goal in r.attention)
            out.write(f"  {r.plan_id} {r.client or '(no name yet)'}: {reasons}\n")
    return EXIT_OK if not problems else EXIT_ERROR


def cmd_attention(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Why a plan needs attention; with --addressed, mark its alerts answered with a dated note."""
    from tplan_tui.core.attention import open_reasons, reasons

    store = open_store_for(args, create=False)
    plan = store.load(args.plan_id).plan
    day = today()
    if args.addressed:
        if args.note is None or not args.note.strip():
            raise UsageError("--addressed needs --note TEXT: what was done (nothing was recorded)")
        on = _date_arg("--on", args.on) if args.on else day
        if on > day:
            raise UsageError(f"--on: {on.isoformat()} is after today; nothing was recorded")
        if not reasons(plan):
            raise UsageError(f"plan {args.plan_id} has no alerts to address; nothing was recorded")
        store.mark_addressed(args.plan_id, on, args.note)
        _audit(store, err, "attention addressed", args.plan_id)
    history = store.addressed(args.plan_id)
    still = open_reasons(plan, history)
    if args.addressed:
        out.write(f"Marked addressed on {on.isoformat()}.\n")
    if still:
        out.write(f"Plan {args.plan_id} needs attention:\n")
        for r in still:
            out.write(f"  {r.on.isoformat()}  {r.text}\n")
    else:
        out.write(f"Plan {args.plan_id}: nothing needs attention now.\n")
    if history:
        out.write("Addressed:\n")
        for a in history:
            out.write(f"  {a.on.isoformat()}  {' '.join(a.note.split())}\n")
    return EXIT_OK


def cmd_measure(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Add a standard measure's scores to a plan (checked as the plan file checks them); say
    at once what it raised (a PHQ-9 item 9 above 0)."""
    import copy

    from tplan_tui.core import model as m
    from tplan_tui.core.attention import new_reasons
    from tplan_tui.core.instruments import instrument, known_ids
    from tplan_tui.core.measures import series_of

    known = instrument(args.instrument)
    if known is None:
        raise UsageError(
            f"--instrument: {args.instrument!r} is not an instrument tplan knows "
            f"({', '.join(known_ids())}); nothing was recorded"
        )
    try:
        items = [int(v) for v in args.items.split(",")]
    except ValueError:
        raise UsageError(
            f"--items must be whole numbers separated by commas, got {args.items!r}"
        ) from None
    if len(items) != known.items:
        raise UsageError(f"--items: {known.id} has {known.items} items, got {len(items)}")
    for i, v in enumerate(items):
        if not known.item_min <= v <= known.item_max:
            raise UsageError(
                f"--items[{i}]: must be a whole number from {known.item_min} to "
                f"{known.item_max}, got {v}; nothing was recorded"
            )
    day = today()
    on = _date_arg("--on", args.on) if args.on else day
    if on > day:
        raise UsageError(f"--on: {on.isoformat()} is after today; nothing was recorded")
    store = open_store_for(args, create=False)
    stored = store.load(args.plan_id)
    plan = copy.deepcopy(stored.plan)
    note = " ".join((args.note or "").split()) or None
    plan.measures.append(m.Measure(known.id, on, items=items, total=sum(items), note=note))
    plan.measures.sort(key=lambda x: x.date)
    saved = store.save(args.plan_id, plan, base_revision=stored.revision)
    _audit(store, err, "edit", args.plan_id)
    [series] = [s for s in series_of(saved.plan) if s.name == known.id]
    score = [x for x in series.scores if x.measure.date == on][-1]
    words = f"{known.id} {score.total}" + (f" ({score.band.label})" if score.band else "")
    if score.vs_before is not None:
        words += f"; {score.vs_before} from the one before"
    out.write(f"Recorded {words} on {on.isoformat()} for plan {args.plan_id}.\n")
    try:
        addressed_on = store.addressed_on(args.plan_id)
    except Exception:  # the alert is said all the same
        addressed_on = None
    for r in new_reasons(stored.plan, saved.plan, addressed_on):
        out.write(f"NEEDS ATTENTION NOW: {r.text}. See `tplan attention {args.plan_id}`.\n")
    return EXIT_OK


def _date_arg(name: str, value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"{name} must be a date written YYYY-MM-DD, got {value!r}") from None


def cmd_library(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from tplan_tui.library import library_command

    return library_command(args.area, args.json, out, err, search=args.search)


def cmd_init(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from tplan_tui.store import META_NAME, init_store, is_encrypted

    root = store_path(args)
    if (root / META_NAME).exists():
        if args.encrypt:
            return _encrypt_existing(root, out, err)
        if is_encrypted(root):
            raise UsageError(
                f"there is already a tplan store at {root} (encrypted); nothing was changed"
            )
        raise UsageError(
            f"there is already a tplan store at {root} (not encrypted); nothing was changed "
            "(`tplan init --encrypt` encrypts it in place)"
        )
    passphrase = new_passphrase("TPLAN_PASSPHRASE", "passphrase") if args.encrypt else None
    store = init_store(root, passphrase=passphrase)
    _audit(store, err, "init")
    if args.encrypt:
        out.write(
            f"Made an encrypted store at {root}.\nKeep the passphrase safe: without it the plans "
            "cannot be read, and no one can recover it.\n"
        )
    else:
        out.write(
            f"Made a store at {root} (not encrypted; `tplan init --encrypt` makes one that is).\n"
        )
    return EXIT_OK


def _encrypt_existing(root: Path, out: TextIO, err: TextIO) -> int:
    """``tplan init --encrypt`` on an existing store: encrypt a plain one in place."""
    from tplan_tui.store import AccessRefused, is_encrypted, open_store
    from tplan_tui.store.rekey import encrypt_store

    already = UsageError(
        f"the store at {root} is encrypted already; nothing was changed "
        "(`tplan passphrase` changes its passphrase)"
    )
    if is_encrypted(root):
        raise already
    try:
        # Opening finishes an encryption that a kill cut short after its commit point.
        store = open_store(root, create=False, passphrase=None)
    except AccessRefused:
        raise already from None
    passphrase = new_passphrase("TPLAN_PASSPHRASE", "passphrase")
    problem = encrypt_store(store, passphrase)
    if problem:
        err.write(f"tplan: warning: {problem}\n")
    out.write(
        f"Encrypted the store at {root}: every plan, earlier version, last good copy and audit "
        "entry is now sealed under the passphrase.\nKeep the passphrase safe: without it the plans "
        "cannot be read, and no one can recover it. Copies made before (backups, exports) are "
        "not encrypted.\n"
    )
    return EXIT_OK


def cmd_passphrase(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from tplan_tui.store import open_store
    from tplan_tui.store.rekey import change_passphrase

    store = open_store(
        store_path(args), create=False, passphrase=passphrase_source(prompt="Current passphrase: ")
    )
    if not store.encrypted:
        raise UsageError(
            f"the store at {store.root} is not encrypted, so it has no passphrase to change"
        )
    new = new_passphrase("TPLAN_NEW_PASSPHRASE", "new passphrase")
    change_passphrase(store, new)
    out.write("Passphrase changed: every file of the store is now sealed under the new one.\n")
    return EXIT_OK


def cmd_audit(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from tplan_tui.store import audit

    store = open_store_for(args, create=False)
    result = audit.verify(store)
    for note in result.notes:
        err.write(f"tplan: {for_terminal(note, MESSAGE_MAX)}\n")
    if args.verify:
        if args.json:
            verdict = {
                "ok": result.ok,
                "entries": result.entries,
                "problem": result.problem,
                "log": result.log,
                "line": result.line,
                "notes": list(result.notes),
            }
            out.write(json_for_terminal(json.dumps(verdict, indent=2)) + "\n")
        elif result.ok:
            out.write(f"audit log verifies: {result.entries} entries\n")
        if not result.ok:
            problem = for_terminal(result.problem, MESSAGE_MAX)
            err.write(f"tplan: the audit log does not verify: {problem}\n")
        return EXIT_OK if result.ok else EXIT_ERROR
    if not result.ok:
        problem = for_terminal(result.problem, MESSAGE_MAX)
        err.write(f"tplan: warning: the audit log does not verify: {problem}\n")
    entries = audit.read(store)
    if args.json:
        listing = json.dumps([e.to_json() for e in entries], ensure_ascii=False, indent=2)
        out.write(json_for_terminal(listing) + "\n")
        return EXIT_OK
    if not entries:
        out.write("The audit log is empty.\n")
        return EXIT_OK
    for e in entries:
        # The log is a file anyone with access could edit: every field is shown, never obeyed.
        time, action = for_terminal(e.time, 40), for_terminal(e.action, 40)
        plan_id, actor = for_terminal(e.plan_id or "-", 40), for_terminal(e.actor, 80)
        out.write(f"{time}  {action:<17}  {plan_id:<8}  {actor}\n")
    return EXIT_OK


SETTABLE = (
    "theme",
    "idle_lock_minutes",
    "default_review_days",
    "cursor_blink",
    "clinician.name",
    "clinician.credentials",
    "clinician.contact",
)


def cmd_settings(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Show the settings (with any problems in the file), or set one: checked, then written
    whole (0600); a bad value or a file with problems writes nothing."""
    from tplan_tui.settings import (
        Settings,
        SettingsError,
        load_settings,
        parse_config_yaml,
        settings_from_data,
        settings_path,
        settings_to_data,
        update_settings,
    )

    settings, problems = load_settings()
    if args.action == "show":
        out.write(f"# {for_terminal(str(settings_path()))}\n")
        data = settings_to_data(settings)
        secrets = data.pop("unlock_secrets", {})
        for key, value in data.items():
            if key == "clinician":
                for sub, text in value.items():
                    out.write(f"clinician.{sub}: {for_terminal(text or '', 200)}\n")
            elif key == "crisis_lines":
                for line in value:
                    out.write(
                        f"crisis_lines: {for_terminal(line['name'], 200)}"
                        f" ({for_terminal(line['contact'], 200)})\n"
                    )
            else:
                shown = str(value).lower() if isinstance(value, bool) else value
                out.write(f"{key}: {for_terminal(str(shown), 200)}\n")
        out.write(f"unlock PIN set for {len(secrets)} plain store(s) (kept as hashes)\n")
        for problem in problems:
            err.write(f"tplan: {for_terminal(problem, MESSAGE_MAX)}\n")
        return EXIT_ERROR if problems else EXIT_OK
    key, raw = args.key, args.value
    if key is None or raw is None:
        raise UsageError(
            "settings set needs a KEY and a VALUE, e.g. settings set idle_lock_minutes 5"
        )
    if key not in SETTABLE:
        raise UsageError(
            f"{key!r} cannot be set here; one of: {', '.join(SETTABLE)} "
            "(crisis lines: edit settings.yaml)"
        )
    try:
        value = parse_config_yaml(raw) if raw.strip() else None
    except ValueError:
        value = raw

    def set_one(current: Settings) -> Settings:
        # Applied to the file as it is under the lock: a session saving at the same moment
        # (an unlock PIN, a theme) keeps its change and this one is added to it.
        data = settings_to_data(current)
        if key.startswith("clinician."):
            data["clinician"][key.split(".", 1)[1]] = raw if raw.strip() else None
        else:
            data[key] = value
        new, new_problems = settings_from_data(data)
        if new_problems:
            raise UsageError(f"not set: {new_problems[0]}")
        return new

    try:
        update_settings(set_one)
    except SettingsError as exc:
        for problem in exc.problems:
            err.write(f"tplan: {for_terminal(problem, MESSAGE_MAX)}\n")
        return EXIT_BAD_INPUT
    out.write(f"{key}: {for_terminal(raw, 200)}\n")
    return EXIT_OK


def cmd_tui(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """``tplan`` with no command: open the store (or a demo store), then run the app."""
    import gc

    # Start-up makes a few hundred thousand objects (Textual's classes, the CSS, the screen),
    # and Python's cycle collector walked them again and again while they were made: about a
    # seventh of the time to the caseload's first row. It is on again once that row is drawn
    # (TplanApp.first_rows_shown), or after a few seconds whatever happens.
    gc.disable()
    try:
        return _run_tui(args)
    finally:
        gc.enable()


def _run_tui(args: argparse.Namespace) -> int:
    from tplan_tui.settings import load_settings

    settings, problems = load_settings()
    demo_dir = None
    if args.demo:
        from tplan_tui.demo import make_demo_store

        store, demo_dir = make_demo_store()
    else:
        store = open_store_for(args)  # asks for the passphrase of an encrypted store
    try:
        from tplan_tui.tui.app import run_app  # Textual is imported only here

        return run_app(store, settings, problems, today=today(), theme=args.theme)
    finally:
        if demo_dir is not None:
            demo_dir.cleanup()


# --------------------------------------------------------------------------- parser


def build_parser() -> argparse.ArgumentParser:
    import argparse

    parser = argparse.ArgumentParser(
        prog="tplan",
        description="Build a treatment plan together, clinician and client, at one terminal. "
        "With no command, opens the app.",
    )
    parser.add_argument(
        "--db",
        metavar="PATH",
        help="the store folder (created if missing); default: $TPLAN_DB, else the user data folder",
    )
    parser.add_argument("--debug", action="store_true", help="show a traceback on errors")
    parser.add_argument(
        "--demo", action="store_true", help="open the app on a throwaway store of invented plans"
    )
    parser.add_argument("--theme", metavar="NAME", help="the colour theme to use (and keep)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser(
        "import",
        help="import plan files (all or none)",
        description=(
            "Validate every file, then store all of them as new plans or none. "
            "Prints each new plan's id."
        ),
    )
    p.add_argument(
        "files",
        nargs="+",
        metavar="FILE",
        help="plan files (YAML), or FHIR R4 Bundles (.json) as `export --format fhir` writes them",
    )
    p.add_argument(
        "--allow-duplicate",
        action="store_true",
        help="import even when a client with the same name and date of birth is in the store",
    )
    p.set_defaults(func=cmd_import)

    p = sub.add_parser(
        "export",
        help="write a plan as a plan file or a summary",
        description=(
            "Write a plan: yaml is the full plan file; txt, md and html are the client's "
            "plain-language summary (--audience client, the default) or the clinical record "
            "(--audience clinician), or with --document safety-plan the client's one-page "
            "safety plan; fhir is a FHIR R4 Bundle (JSON) of the full record. Client documents "
            "end with how to reach the clinician and the crisis lines: the plan's own, else "
            "crisis_lines in settings.yaml (default: 988)."
        ),
    )
    p.add_argument("plan_id", metavar="PLAN_ID", help="the plan's id, as `tplan list` shows it")
    p.add_argument("--format", choices=("yaml", "txt", "md", "html", "fhir"), default="yaml")
    p.add_argument(
        "--audience",
        choices=("client", "clinician"),
        default=None,
        help="who the copy is for (default: client for txt/md/html)",
    )
    p.add_argument(
        "--consent",
        type=int,
        metavar="N",
        help="share under consent N (1-based, as listed in the plan): refused unless "
        "it is signed, not expired and not revoked",
    )
    p.add_argument(
        "--document",
        choices=("summary", "safety-plan"),
        default="summary",
        help="summary (default) or safety-plan: the client's own safety plan on one page",
    )
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE (0600) instead of stdout")
    p.add_argument("--force", action="store_true", help="replace FILE if it exists")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser(
        "check",
        help="what a plan still lacks before it is signed (exit 0: complete, 2: something missing)",
        description=(
            "The sign step's checklist: one line per missing element, its field path and what is "
            "missing in words, for the profile in settings.yaml (basic unless set) or --profile. "
            "Diagnosis codes are checked against ICD-10-CM. Exit 0 when nothing is missing, 2 "
            "otherwise."
        ),
    )
    p.add_argument("plan", metavar="PLAN_ID|FILE", help="a plan's id, or a plan file to check")
    p.add_argument(
        "--json", action="store_true", help="print JSON: plan, profile, complete, missing"
    )
    from tplan_tui.profiles import profile_names  # one list: the files shipped

    p.add_argument(
        "--profile",
        metavar="NAME",
        help=f"{', '.join(profile_names())} (default: the settings' profile)",
    )
    p.set_defaults(func=cmd_check)

    p = sub.add_parser(
        "attention",
        help="why a plan needs attention; --addressed --note TEXT answers its alerts",
        description=(
            "Show why a plan needs attention now, and the notes of alerts answered before. "
            "With --addressed and --note, record that you addressed them (the date, --on, is "
            "today unless given): they are set aside until a newer cause appears. The note is "
            "kept with the plan in the store; the audit log records only that it was done."
        ),
    )
    p.add_argument("plan_id", metavar="PLAN_ID", help="the plan's id, as `tplan list` shows it")
    p.add_argument("--addressed", action="store_true", help="mark the plan's alerts addressed")
    p.add_argument("--note", metavar="TEXT", help="what was done (needed with --addressed)")
    p.add_argument("--on", metavar="DATE", help="the day it was addressed (default: today)")
    p.set_defaults(func=cmd_attention)

    p = sub.add_parser(
        "measure",
        help="add a standard measure's item scores (PHQ-9, GAD-7) to a plan",
        description=(
            "Add the item scores of a standard questionnaire (PHQ-9, GAD-7, or a practice's own "
            "from <config>/instruments) to a plan, dated today unless --on is given. A PHQ-9 "
            "item 9 above 0 is said at once and raises the plan's safety alert."
        ),
    )
    p.add_argument("plan_id", metavar="PLAN_ID", help="the plan's id, as `tplan list` shows it")
    p.add_argument("--instrument", required=True, metavar="ID", help="PHQ-9, GAD-7, ...")
    p.add_argument("--items", required=True, metavar="N,N,...", help="every item's score, in order")
    p.add_argument("--on", metavar="DATE", help="the day it was answered (default: today)")
    p.add_argument("--note", metavar="TEXT", help="a note kept with the scores (clinician-only)")
    p.set_defaults(func=cmd_measure)

    p = sub.add_parser(
        "list",
        help="list the plans in the store",
        description=("One row per plan, soonest review first; overdue reviews say so in words."),
    )
    p.add_argument(
        "--json",
        action="store_true",
        help='print JSON: {"plans": [...], "problems": [...]} (a plan that cannot be read is a '
        "problem: id, file, reason)",
    )
    p.add_argument("--all", action="store_true", help="include completed plans")
    p.set_defaults(func=cmd_list)

    p = sub.add_parser(
        "library",
        help="show the goal library",
        description=(
            "The goal library: problem areas with measurable goals, objectives and interventions."
        ),
    )
    p.add_argument(
        "--area",
        metavar="NAME",
        help="only this problem area: its name, the start of it, or a word for it (suicide)",
    )
    p.add_argument(
        "--search",
        metavar="TEXT",
        help="only the goals with every word of TEXT (area, synonym, symptom, goal words)",
    )
    p.add_argument("--json", action="store_true", help="print a JSON list of areas")
    p.set_defaults(func=cmd_library)

    p = sub.add_parser(
        "init",
        help="make a new store (--encrypt: sealed under a passphrase; "
        "on a plain store, encrypts it)",
        description=(
            "Make a new store in the --db folder. With --encrypt every plan, index and audit entry "
            "is sealed with AES-256-GCM under a key from your passphrase (asked twice, or "
            "$TPLAN_PASSPHRASE). Without the passphrase nothing in it can be read: keep it safe. "
            "On an existing plain store, --encrypt encrypts it in place: plan ids, versions, last "
            "good copies and the audit trail (its chain intact) are kept, every file is re-written "
            "sealed and the plain index and temp files are removed. If this is stopped part way, "
            "the store opens as it was (plain) or encrypted, never neither, and nothing is lost. "
            "Copies made before (backups, exports) stay readable, and the disk may keep the old "
            "plain bytes until they are overwritten. An encrypted store is refused: `tplan "
            "passphrase` changes its passphrase."
        ),
    )
    p.add_argument(
        "--encrypt",
        action="store_true",
        help="seal the store under a passphrase (an existing plain store: in place)",
    )
    p.set_defaults(func=cmd_init)

    p = sub.add_parser(
        "passphrase",
        help="change the passphrase of an encrypted store",
        description=(
            "Re-seal every file of the store under a new passphrase, safely: if this is stopped "
            "part way, the store opens with the old passphrase or the new one. The current one "
            "comes from $TPLAN_PASSPHRASE or a prompt, the new one from $TPLAN_NEW_PASSPHRASE or "
            "a prompt (asked twice)."
        ),
    )
    p.set_defaults(func=cmd_passphrase)

    p = sub.add_parser(
        "audit",
        help="show or verify the audit log",
        description=(
            "Who opened, changed, imported, exported or shared which plan, and when (UTC). The log "
            "is hash-chained: --verify finds an edited or removed entry (exit 1, naming the line)."
        ),
    )
    p.add_argument("--json", action="store_true", help="print JSON (a list of entries)")
    p.add_argument("--verify", action="store_true", help="check the hash chain")
    p.set_defaults(func=cmd_audit)

    p = sub.add_parser(
        "settings",
        help="show the settings, or set one: settings set KEY VALUE",
        description=(
            "Show settings.yaml (its problems on stderr, exit 1), or set one key: "
            + ", ".join(SETTABLE)
            + ". The value is checked first; nothing is written if it is refused (exit 2)."
        ),
    )
    p.add_argument("action", nargs="?", choices=("show", "set"), default="show")
    p.add_argument("key", nargs="?", metavar="KEY")
    p.add_argument("value", nargs="?", metavar="VALUE")
    p.set_defaults(func=cmd_settings)
    return parser


def tui_default_args() -> argparse.Namespace:
    """What ``build_parser().parse_args([])`` gives (a test keeps the two the same), without
    importing argparse."""
    from types import SimpleNamespace

    defaults = SimpleNamespace(db=None, debug=False, demo=False, theme=None, command=None)
    return defaults  # type: ignore[return-value]  # read as a Namespace: the same attributes


def main(
    argv: list[str] | None = None, out: TextIO | None = None, err: TextIO | None = None
) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    given = sys.argv[1:] if argv is None else argv
    # `tplan` alone opens the app with every option at its default: the parser (a dozen
    # commands and their help, ~6 ms) is not built on the way to the caseload.
    args = tui_default_args() if not given else build_parser().parse_args(given)
    if getattr(args, "command", None) == "export":
        args.audience_given = args.audience is not None
        args.audience = args.audience or (
            "clinician" if args.format in ("yaml", "fhir") else "client"
        )
    func = getattr(args, "func", cmd_tui)
    try:
        return func(args, out, err)
    except KeyboardInterrupt:
        err.write("tplan: interrupted\n")
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:
        return _report(exc, args, err)


def _report(exc: Exception, args: argparse.Namespace, err: TextIO) -> int:
    """One line on stderr for a failed command, and its exit code."""
    # Imported here, not at the top: `tplan` alone must reach the TUI without loading them.
    from tplan_tui.planfile import PlanFileError
    from tplan_tui.store import AccessRefused, PlanNotFound, StoreError

    if isinstance(exc, (UsageError, PlanNotFound)):
        _fail(err, exc, args)
        return EXIT_BAD_INPUT
    if isinstance(exc, PlanFileError):
        for error in exc.errors:
            err.write(f"tplan: {for_terminal(error, MESSAGE_MAX)}\n")
        return EXIT_BAD_INPUT
    if isinstance(exc, AccessRefused):
        _fail(err, exc, args)
        return EXIT_REFUSED
    if isinstance(exc, StoreError):
        _fail(err, exc, args)
        return EXIT_ERROR
    if isinstance(exc, OSError):
        # A full or read-only disk, no permission, a file-size limit: say which file and why.
        # Every write is atomic and an import is rolled back, so nothing was changed.
        from tplan_tui.store import os_error_sentence

        if args.debug:
            raise exc
        err.write(f"tplan: {os_error_sentence(exc, _os_error_target(args))}\n")
        return EXIT_ERROR
    # The last line of defence: one line, never a bare traceback (nor any client data).
    if args.debug:
        raise exc
    err.write(f"tplan: unexpected error ({type(exc).__name__}); run with --debug for details\n")
    return EXIT_ERROR


def _os_error_target(args: argparse.Namespace) -> str:
    """What a disk error that names no file was writing: an export's output, else the store."""
    if getattr(args, "command", None) == "export":
        return args.output if args.output not in (None, "-") else "the standard output"
    return str(store_path(args))


def _fail(err: TextIO, exc: BaseException, args: argparse.Namespace) -> None:
    if args.debug:
        import traceback

        traceback.print_exception(exc, file=err)
    err.write(f"tplan: {for_terminal(exc, MESSAGE_MAX)}\n")
