"""A new user's run: the sample plan (`examples/chris.yaml`, plus a referral) built by keys in a
real terminal, tmux at 80x24, then checked against the sample with `tplan export --format yaml`.

Run: .venv/bin/python benchmarks/tmux_newuser.py [--screens FILE] [--keep]

Needs tmux. The app runs on a private store and config in a temporary folder (never the
defaults), with TPLAN_TODAY=2016-07-01 (the sample's start date), so dates typed nowhere come out
as the sample's. Text goes in as a burst per field (`tmux send-keys -l`, as a paste or a fast
typist over SSH), every other key one by one; after each step the script waits for the screen to
be still and keeps what it shows (`--screens` writes every capture to a file, to look at).

Prints a table (keys, typed characters, seconds per step), the totals and the minutes, and any
difference between the stored plan and the sample (exit 1 if there is one). Progress entries are
left out (they come with a check-in); the goal is tied to concern 1 ("Works on"), the clinician's
signature carries the credentials and the reason for signing an incomplete plan, and the diagnosis
is picked with F4 (its label is the code set's description; F4 also dates it and names the
clinician).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tplan_tui import planfile  # noqa: E402

SESSION = "tplan-newuser"
TODAY = "2016-07-01"
REFERRAL = "Self-referred; his son's school counselor suggested parent coaching."
REASON = "First session: the rest at the next one"
CODE_WORDS = "parent-biological child"  # typed in the F4 picker: the code comes from the list


@dataclass
class Step:
    name: str
    keys: int = 0
    chars: int = 0
    seconds: float = 0.0
    screens: list[str] = field(default_factory=list)


class Terminal:
    """tmux, driven key by key; every key and typed character counted in the current step."""

    def __init__(self, env: dict[str, str]):
        self.env = env
        self.steps: list[Step] = []
        self.log: list[str] = []  # every key or text sent, and the screen once still after it

    def start(self) -> None:
        command = " ".join(
            [f"{k}={v}" for k, v in self.env.items()] + [str(ROOT / ".venv" / "bin" / "tplan")]
        )
        subprocess.run(["tmux", "kill-session", "-t", SESSION], capture_output=True)
        subprocess.run(
            ["tmux", "new-session", "-d", "-s", SESSION, "-x", "80", "-y", "24", command],
            check=True,
        )

    def stop(self) -> None:
        subprocess.run(["tmux", "kill-session", "-t", SESSION], capture_output=True)

    def screen(self) -> str:
        return subprocess.run(
            ["tmux", "capture-pane", "-p", "-t", SESSION], capture_output=True, text=True
        ).stdout

    def step(self, name: str) -> None:
        self.finish()
        self.steps.append(Step(name))
        self._start = time.monotonic()

    def finish(self) -> None:
        if self.steps:
            self.steps[-1].seconds = time.monotonic() - self._start
            self.steps[-1].screens.append(self.still())

    def key(self, *names: str) -> None:
        for name in names:
            subprocess.run(["tmux", "send-keys", "-t", SESSION, name], check=True)
            self.steps[-1].keys += 1
            self.log.append(f"----- key {name}\n{self.still(quick=True)}")

    def type(self, text: str) -> None:
        subprocess.run(["tmux", "send-keys", "-t", SESSION, "-l", text], check=True)
        self.steps[-1].chars += len(text)
        self.log.append(f"----- text {text!r}\n{self.still(quick=True)}")

    def still(self, quick: bool = False, limit: float = 20.0) -> str:
        """Wait until the screen has not changed for a moment; return it."""
        pause = 0.08 if quick else 0.3
        end = time.monotonic() + limit
        before = self.screen()
        while time.monotonic() < end:
            time.sleep(pause)
            now = self.screen()
            if now == before:
                return now
            before = now
        return before

    def choose(self, moves: int) -> None:
        """A choice (Select): Enter opens its menu, the arrows move, Enter picks; each key
        once the screen is still, as a user watches the menu open and close (its frame is
        drawn over the footer or the field itself, so there is no word to wait for)."""
        before = self.screen()
        self.key("Enter")
        end = time.monotonic() + 30
        while self.screen() == before and time.monotonic() < end:
            time.sleep(0.05)
        self.still()
        for _ in range(abs(moves)):
            self.key("Down" if moves > 0 else "Up")
        self.key("Enter")
        self.still()

    def wait_gone(self, words: str, limit: float = 30.0) -> None:
        end = time.monotonic() + limit
        while words in self.screen():
            if time.monotonic() > end:
                raise SystemExit(f"waited {limit:.0f} s for {words!r} to go")
            time.sleep(0.05)

    def wait_for(self, words: str, limit: float = 30.0) -> str:
        end = time.monotonic() + limit
        while time.monotonic() < end:
            shown = self.screen()
            if words in shown:
                return shown
            time.sleep(0.05)
        raise SystemExit(f"waited {limit:.0f} s for {words!r}; the screen shows:\n{self.screen()}")


def build(t: Terminal, chris) -> None:
    """The keys a new user presses, reading the screen and F1, to build the sample plan."""
    g = chris.goals[0]
    t.step("caseload: new plan")
    t.wait_for("Ctrl+N")
    t.key("C-n")
    t.wait_for("Step 1 of 9")

    t.step("1 client")
    t.type("Chris")
    t.key("Tab", "Tab")  # full name: none
    t.type("he/him")
    t.key("Tab", "Tab")  # date of birth: none (the guardian is asked only for a minor)
    t.type("Dana Reyes")
    t.key("Tab")
    t.type("LPC")
    t.key("Tab", "Tab")  # the start date is today
    t.type("outpatient")
    t.key("Tab")
    t.choose(-1)  # review every: 90 days -> 30 days
    t.key("NPage")
    t.wait_for("Step 2 of 9")

    t.step("2 history")
    h = chris.history
    t.type(h.demographics)
    t.key("Tab")
    t.type(h.psychosocial)
    t.key("Tab")
    t.type(h.symptom_onset)
    t.key("Tab", "Tab")  # past treatment: none
    t.type(REFERRAL)
    t.key("F4")
    t.wait_for("Diagnosis code")
    t.type(CODE_WORDS)
    t.wait_for(h.diagnoses[0].code)
    t.key("Enter")
    t.still()
    t.key("NPage")
    t.wait_for("Step 3 of 9")

    t.step("3 concerns")
    t.key("C-n")
    t.type(chris.presenting_concerns[0].text)
    t.key("Tab")
    t.type(chris.presenting_concerns[0].in_client_words)
    t.key("NPage")
    t.wait_for("Step 4 of 9")

    t.step("4 strengths")
    for strength in chris.strengths:
        t.key("C-n")
        t.type(strength.text)
    t.key("NPage")
    t.wait_for("Step 5 of 9")

    t.step("5 safety")
    t.key("NPage")  # the sample has no safety plan and no risk assessment
    t.wait_for("Step 6 of 9")

    t.step("6 goals")
    t.key("C-n")
    t.type(" ".join(g.text.split()))
    t.key("Tab")
    t.type(g.in_client_words)
    t.key("Tab", "1")  # works on concern 1
    t.key("Tab")
    t.type(g.rating.label)
    t.key("Tab")
    t.type(g.rating.low)
    t.key("Tab")
    t.type(g.rating.high)
    t.key("Tab", str(g.rating.baseline), "Tab", str(g.rating.target), "Tab")
    t.type(g.target_date.isoformat())
    t.key("Tab", "Tab")  # status: active is the default
    t.choose(2)  # achievement: (none) -> in-progress -> improving
    t.key("NPage")
    t.wait_for("Step 7 of 9")

    t.step("7 objectives")
    statuses = ["not-started", "in-progress", "achieved", "not-achieved", "cancelled"]
    for objective in g.objectives:
        t.key("C-n")
        t.type(" ".join(objective.text.split()))
        t.key("Tab", "Tab", "Tab")  # no client words, no date
        t.choose(statuses.index(objective.status))
    t.key("NPage")
    t.wait_for("Step 8 of 9")

    t.step("8 interventions, contract")
    for intervention in g.interventions:
        t.key("C-n")
        t.type(" ".join(intervention.text.split()))
        t.key("Tab")  # no client words
        for value in (intervention.modality, intervention.frequency, intervention.by):
            t.key("Tab")
            if value:
                t.type(value)
    c = chris.contract
    t.key("Tab", "Tab")  # past the "add intervention" button, into the contract
    t.type(c.modality)
    t.key("Tab")
    t.type(c.frequency)
    t.key("Tab")
    t.type(str(c.session_minutes))
    t.key("Tab", "Enter")  # the client's "add" button
    for n, agreements in enumerate((c.client_agrees_to, c.clinician_agrees_to)):
        if n:
            t.key("Tab", "Tab", "Enter")  # past the client's "add" button to the clinician's
        for i, words in enumerate(agreements):
            if i:
                t.key("C-n")
            t.type(words)
    t.key("NPage")
    t.wait_for("Step 9 of 9")

    t.step("9 review, sign")
    t.key("Tab")
    t.choose(1)  # plan status: draft -> active
    t.key("C-n", "C-n")  # the client signs, then the clinician (dated today)
    t.wait_for("Why sign it now?")
    t.type(REASON)
    t.key("Enter")
    t.still()

    t.step("quit")
    t.key("C-q")
    t.finish()


def expected(chris) -> dict:
    data = planfile.plan_to_data(chris)
    for goal in data["goals"]:
        goal.pop("progress", None)
        goal["addresses"] = [1]
    data["history"]["referral"] = REFERRAL
    data["plan"]["status"] = "active"
    data["signatures"][1]["extra"] = {"credentials": "LPC", "incomplete_reason": REASON}
    # F4 dates the diagnosis picked today and names the clinician who made it (format v2 has no
    # keys for these: they are kept under the diagnosis's extra).
    data["history"]["diagnoses"][0]["extra"] = {
        "diagnosed_by": "Dana Reyes, LPC",
        "diagnosed_on": TODAY,
    }
    return data


def differences(want, got, path: str = "") -> list[str]:
    if isinstance(want, dict) and isinstance(got, dict):
        out = []
        for key in sorted(set(want) | set(got), key=str):
            out += differences(want.get(key), got.get(key), f"{path}.{key}" if path else key)
        return out
    if isinstance(want, list) and isinstance(got, list) and len(want) == len(got):
        pairs = enumerate(zip(want, got, strict=True))
        return [d for i, (a, b) in pairs for d in differences(a, b, f"{path}[{i}]")]
    return [] if want == got else [f"{path}: sample {want!r}, stored {got!r}"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--screens", type=Path, help="write every screen captured to this file")
    parser.add_argument("--keep", action="store_true", help="keep the temporary store")
    args = parser.parse_args()
    if shutil.which("tmux") is None:
        print("tmux is needed")
        return 2
    chris = planfile.load_plan_file(ROOT / "examples" / "chris.yaml")
    home = Path(tempfile.mkdtemp(prefix="tplan-newuser-"))
    env = {
        "TPLAN_DB": str(home / "db"),
        "TPLAN_CONFIG": str(home / "cfg"),
        "TPLAN_TODAY": TODAY,
        "TERM": "xterm-256color",
    }
    t = Terminal(env)
    t.start()
    began = time.monotonic()
    cpu = time.process_time()
    failed = None
    try:
        build(t, chris)
    except SystemExit as stop:  # a screen waited for never came
        failed = str(stop)
    finally:
        total = time.monotonic() - began
        t.stop()
    if args.screens:
        args.screens.write_text("\n".join(t.log) + "\n")
    if failed:
        print(failed)
        print(f"stopped in step {t.steps[-1].name!r}; see --screens for every screen")
        return 1
    print(f"{'step':28} {'keys':>5} {'chars':>6} {'s':>6}")
    for step in t.steps:
        print(f"{step.name:28} {step.keys:5d} {step.chars:6d} {step.seconds:6.1f}")
    keys, chars = sum(s.keys for s in t.steps), sum(s.chars for s in t.steps)
    print(f"{'total':28} {keys:5d} {chars:6d} {total:6.1f}")
    print(f"{keys + chars} keys in all ({keys} not text), {total / 60:.1f} minutes")
    print(f"load: {os.getloadavg()[0]:.2f}; this script's CPU {time.process_time() - cpu:.1f} s")

    run_env = {**os.environ, **env}
    tplan = str(ROOT / ".venv" / "bin" / "tplan")
    listed = json.loads(
        subprocess.run(
            [tplan, "list", "--json"], env=run_env, capture_output=True, text=True
        ).stdout
    )
    plan_id = listed["plans"][0]["plan_id"]
    exported = subprocess.run(
        [tplan, "export", plan_id, "--format", "yaml"], env=run_env, capture_output=True, text=True
    )
    if exported.returncode:
        print(f"tplan export failed: {exported.stderr.strip()}")
        print(f"store kept in {home}")
        return 1
    stored = planfile.load_plan_text(exported.stdout)
    found = differences(expected(chris), planfile.plan_to_data(stored))
    print("the export matches the sample" if not found else "differences:")
    for line in found:
        print("  " + line)
    if not args.keep:
        shutil.rmtree(home, ignore_errors=True)
    else:
        print(f"store kept in {home}")
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main())
