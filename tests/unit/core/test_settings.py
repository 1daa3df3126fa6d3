"""Settings: environment over default, numbers checked with a one-line error."""

from __future__ import annotations

import pytest

from pmkit import settings
from pmkit.errors import InputError


def test_environment_wins_over_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PMKIT_PORT", raising=False)
    assert settings.get("port") == "8866"
    monkeypatch.setenv("PMKIT_PORT", " 9000 ")
    assert settings.get("port") == "9000"
    monkeypatch.setenv("PMKIT_PORT", "  ")  # blank counts as unset
    assert settings.get("port") == "8866"


def test_every_setting_has_a_pmkit_variable_and_help() -> None:
    names = [s.name for s in settings.SETTINGS]
    assert len(names) == len(set(names))
    for s in settings.SETTINGS:
        assert s.env == "PMKIT_" + s.name.upper() and s.help.endswith(".")


def test_number_reads_the_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PMKIT_BOARD_WAIT_SECONDS", "45.5")
    assert settings.number("board_wait_seconds", 0, 3600) == 45.5
    monkeypatch.delenv("PMKIT_BOARD_WAIT_SECONDS")
    assert settings.number("board_wait_seconds", 0, 3600) == 300


@pytest.mark.parametrize("value", ["abc", "nan", "-1", "1e9", "inf", "3 600"])
def test_number_refuses_what_is_not_a_number_in_range(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("PMKIT_CULL_IDLE_SECONDS", value)
    with pytest.raises(InputError) as err:
        settings.number("cull_idle_seconds", 0, 7 * 24 * 3600)
    message = str(err.value)
    assert "\n" not in message and "cull_idle_seconds" in message and "PMKIT_CULL_IDLE_SECONDS" in message


def test_the_database_url_is_postgresql_or_nothing_and_its_password_is_never_shown(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("PMKIT_DATABASE_URL", raising=False)
    assert settings.database_url() is None  # SQLite, in the workspace folder
    monkeypatch.setenv("PMKIT_DATABASE_URL", "postgresql://pmkit:s3cret@db:5432/pmkit")
    assert settings.database_url() == "postgresql://pmkit:s3cret@db:5432/pmkit"
    assert settings.database_url("") is None  # an explicit empty value means SQLite
    for url in ("postgresql://pmkit:s3cret@db/pmkit", "postgresql://db/pmkit?user=p&password=s3cret"):
        assert "s3cret" not in settings.shown("database_url", url) and "***" in settings.shown("database_url", url)
    with pytest.raises(InputError, match="not a PostgreSQL URL") as info:
        settings.database_url("mysql://root:s3cret@db/x")
    assert "s3cret" not in str(info.value)
