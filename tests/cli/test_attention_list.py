"""`tplan list` puts the plans that need attention first and says why, in words and in JSON."""

from __future__ import annotations

import json

from tests.cli.test_cli import imported, ok, plan_file
from tests.safety_samples import chris_rated_zero_text


def test_a_plan_rated_0_leads_the_list_and_says_why(tmp_path, chris_path):
    calm_id = imported(chris_path)  # overdue for review, so it would lead on its date alone
    later = chris_rated_zero_text().replace("started: 2016-07-01", "started: 2016-08-10")
    low_id = imported(plan_file(tmp_path, "low.yaml", later, client="Ariel"))

    rows = json.loads(ok("list", "--json"))["plans"]
    assert [r["plan_id"] for r in rows] == [low_id, calm_id]
    low, calm = rows
    assert calm["attention"] == []  # always there, empty when nothing needs attention
    label = "My son's behavior at home"
    assert low["attention"] == [
        {
            "reason": f"the client's rating on goal 1 ({label}) fell from 5 to 0",
            "short": "rating fell from 5 to 0",
            "date": "2016-08-10",
            "goal": 1,
        },
        {
            "reason": f"the client's latest rating on goal 1 ({label}) is 0 out of 10",
            "short": "client rated 0 out of 10",
            "date": "2016-08-10",
            "goal": 1,
        },
    ]

    lines = ok("list").splitlines()
    assert lines[1].startswith(low_id) and "needs attention" in lines[1]
    assert lines[2].startswith(calm_id) and "needs attention" not in lines[2]
    assert "overdue" in lines[2]  # the review state is still said for every plan
    why = lines[lines.index("Needs attention:") + 1]
    assert why.startswith(f"  {low_id} Ariel: the client's rating on goal 1")
    assert "fell from 5 to 0 (2016-08-10)" in why


def test_the_list_read_from_its_cache_says_the_same(tmp_path):
    low_id = imported(plan_file(tmp_path, "low.yaml", chris_rated_zero_text()))
    first = ok("list", "--json")
    again = ok("list", "--json")  # the second list reads the index, not the plan file
    assert first == again
    assert json.loads(again)["plans"][0]["plan_id"] == low_id
    assert json.loads(again)["plans"][0]["attention"][0]["short"] == "rating fell from 5 to 0"
