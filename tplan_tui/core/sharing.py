"""Sharing a plan with anyone but the client: only under a consent on file that is current today.

Core: no Textual. One gate for the CLI (``tplan export --consent N``) and the app's "Share…":
``check_release`` says whether consent ``N`` allows a copy in a format, and what that copy is
(what is shared follows the consent: ``summary`` → the client summary, ``full plan`` → the
clinical record or the plan file); ``released_copy`` writes it, naming the consent it is
released under. A refusal is a ``ReleaseRefused`` whose text says why, in words.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from tplan_tui.core import model as m

FORMATS = ("txt", "md", "html", "yaml")
SUFFIXES = {
    ".txt": "txt",
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
    ".yaml": "yaml",
    ".yml": "yaml",
}


class ReleaseRefused(ValueError):
    """Consent does not allow this copy; ``str()`` says why in words."""


@dataclass(frozen=True)
class Release:
    """A copy allowed under consent ``number``: for ``audience`` ("client" summary or
    "clinician" record), in ``fmt``."""

    number: int
    consent: m.Consent
    audience: str
    fmt: str

    @property
    def released_under(self) -> tuple[int, m.Consent]:
        return (self.number, self.consent)

    def what(self) -> str:
        """What the copy is, in words."""
        if self.fmt == "yaml":
            return "the plan file"
        return "the client summary" if self.audience == "client" else "the clinical record"


def consent_line(plan: m.Plan, number: int, today: date) -> str:
    """One line about consent ``number`` (1-based): to whom, what, signed by whom, how it ends,
    and whether it holds today (and why not)."""
    consent = plan.consents[number - 1]
    problem = plan.consent_problem(consent, today)
    signed = (
        f"signed by {consent.signed_by} on {consent.signed_on.isoformat()}"
        if consent.signed_by and consent.signed_on
        else "not signed"
    )
    ends = ""
    if not problem:
        if consent.expires_on:
            ends = f", until {consent.expires_on.isoformat()}"
        elif (consent.expires_when or "").strip():
            ends = f", until {one_line(consent.expires_when)}"
    state = "current" if problem is None else f"not current: {problem}"
    return f"{number}. To {consent.to or '(no one named)'} · {consent.shares} · {signed}{ends} · {state}"


def check_release(
    plan: m.Plan, number: int, fmt: str, today: date, audience: str | None = None
) -> Release:
    """Whether consent ``number`` (1-based) allows a copy in ``fmt`` today.

    ``audience`` is what the user asked for ("client" or "clinician"), or None to follow the
    consent. Refused (ReleaseRefused, in words) when the number is not a consent on file, when the
    consent is unsigned, future-dated, expired or revoked, has no end, is signed by someone who
    may not sign it (``Plan.consent_problem``), or when it shares only the summary and
    the plan file or the clinical record is asked for.
    """
    if fmt not in FORMATS:
        raise ReleaseRefused(f"the format must be one of {', '.join(FORMATS)}, got {fmt!r}")
    have = len(plan.consents)
    if not 1 <= number <= have:
        raise ReleaseRefused(
            f"consent {number}: this plan has {have} consent{'s' if have != 1 else ''} on file"
            + (" (numbered from 1)" if have else "")
        )
    consent = plan.consents[number - 1]
    problem = plan.consent_problem(consent, today)
    if problem:
        raise ReleaseRefused(
            f"consent {number} (to {consent.to}) does not allow sharing: {problem}"
        )
    if consent.shares == "summary":
        if fmt == "yaml":
            raise ReleaseRefused(
                f"consent {number} shares only the summary; use --format txt, md or html"
            )
        if audience == "clinician":
            raise ReleaseRefused(
                f"consent {number} (to {consent.to}) shares only the client summary, "
                "not the clinical record"
            )
        return Release(number, consent, "client", fmt)
    return Release(number, consent, audience or "clinician", fmt)


def released_copy(
    plan: m.Plan,
    release: Release,
    today: date,
    crisis_lines: tuple[tuple[str, str], ...] | None = None,
) -> str:
    """The text of a copy allowed by ``release``; it names the consent it is released under. A
    client copy ends with how to reach help (``crisis_lines``: the settings' default lines)."""
    plan = shared_plan(plan, release.consent)
    if release.fmt == "yaml":
        from tplan_tui.planfile import dump_plan

        header = f"# Released to {one_line(release.consent.to)} under consent {release.number}.\n"
        return header + dump_plan(plan)
    from tplan_tui.summary import render

    return render(
        plan,
        audience=release.audience,
        fmt=release.fmt,
        today=today,
        released_under=release.released_under,
        crisis_lines=crisis_lines,
    )


def shared_plan(plan: m.Plan, consent: m.Consent) -> m.Plan:
    """The plan as it leaves under ``consent``: the other consents taken out. A copy names only
    its own recipient; who else may see the plan (a substance-use counselor, a school) is no
    business of this one (minimum necessary)."""
    return replace(plan, consents=[consent])


def format_for(path: Path) -> str | None:
    """The format a file name asks for by its ending (.txt, .md, .html, .yaml), else None."""
    return SUFFIXES.get(path.suffix.lower())


def suggested_name(plan: m.Plan, consent: m.Consent, number: int) -> str:
    """A file name for a shared copy: the client's name, what it is, and the consent."""
    name = "".join(
        ch if ch.isalnum() else "-" for ch in (plan.client.name or "plan").strip().lower()
    )
    what = "summary" if consent.shares == "summary" else "record"
    return f"{name.strip('-') or 'plan'}-{what}-consent{number}.txt"


def family_without_consent(plan: m.Plan) -> list[str]:
    """Family members who signed the plan but have no consent of their own on file.

    In family therapy every family member whose information is in the plan signs their own
    consent; a consent signed by one person never stands for another.
    """
    signers = {c.signed_by.strip().casefold() for c in plan.consents if c.signed_by.strip()}
    out: list[str] = []
    for s in plan.signatures:
        name = s.name.strip()
        if (
            s.role == "family member"
            and name
            and name.casefold() not in signers
            and name not in out
        ):
            out.append(name)
    return out


def one_line(text: str | None) -> str:
    return " ".join((text or "").split())
