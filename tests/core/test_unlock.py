"""The unlock secret of a plain store: kept only as a scrypt hash, checked exactly, and the
back-off that makes wrong tries wait longer each time."""

from __future__ import annotations

from tplan_tui.settings import Settings, load_settings, save_settings, settings_path
from tplan_tui.unlock import Backoff, delay_after, hash_secret, secret_problem, verify_secret


def test_a_secret_is_kept_as_a_salted_hash_and_only_it_verifies():
    stored = hash_secret("2468", n=2**4)
    other = hash_secret("2468", n=2**4)
    assert "2468" not in stored and stored != other  # salted: the same PIN, two hashes
    assert verify_secret("2468", stored) and verify_secret("2468", other)
    for wrong in ("", "2469", "2468 ", "02468"):
        assert not verify_secret(wrong, stored), wrong
    changed = stored[:-1] + ("1" if stored[-1] == "0" else "0")
    assert not verify_secret("2468", changed)  # a hash with its last digit changed


def test_a_pin_has_at_least_four_characters():
    assert secret_problem("123") and secret_problem("    ")
    assert secret_problem("1234") is None and secret_problem("a long passphrase") is None


def test_wrong_tries_wait_longer_each_time_up_to_a_minute():
    assert [delay_after(n) for n in range(1, 9)] == [1, 2, 4, 8, 16, 32, 60, 60]
    now = [100.0]
    backoff = Backoff(lambda: now[0])
    assert backoff.wait_left() == 0
    backoff.failed()
    backoff.failed()
    assert backoff.wait_left() == 2
    now[0] += 2
    assert backoff.wait_left() == 0
    backoff.succeeded()
    backoff.failed()
    assert backoff.wait_left() == 1  # counted afresh after a success


def test_the_settings_file_keeps_the_hash_and_refuses_anything_else(tmp_path):
    stored = hash_secret("2468", n=2**4)
    save_settings(Settings(unlock_secrets={"/srv/store": stored}))
    assert settings_path().stat().st_mode & 0o777 == 0o600
    settings, problems = load_settings()
    assert problems == [] and settings.unlock_secrets == {"/srv/store": stored}
    path = tmp_path / "bad.yaml"
    path.write_text("unlock_secrets:\n  /srv/store: '2468'\n")
    settings, problems = load_settings(path)
    assert settings.unlock_secrets == {}
    assert len(problems) == 1 and "unlock_secrets[/srv/store]: must be a hash" in problems[0]
