import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int


def test_env_bool_accepts_usual_spellings(monkeypatch):
    monkeypatch.setenv("X_FLAG", "oui")
    assert env_bool("X_FLAG", False) is True
    monkeypatch.setenv("X_FLAG", "0")
    assert env_bool("X_FLAG", True) is False


def test_env_bool_fails_loudly_on_garbage(monkeypatch):
    monkeypatch.setenv("X_FLAG", "peut-être")
    with pytest.raises(ImproperlyConfigured):
        env_bool("X_FLAG", False)


def test_env_int_fails_loudly_on_garbage(monkeypatch):
    monkeypatch.setenv("X_NUM", "douze")
    with pytest.raises(ImproperlyConfigured):
        env_int("X_NUM", 1)


def _import_prod(**env):
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEMO_MODE", "DEBUG"}}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import config.settings.prod as s; print(s.DEBUG, s.DEMO_MODE)"],
        env=clean,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_settings_refuse_to_start_without_secret_key():
    result = _import_prod(DATABASE_URL="postgres://x@127.0.0.1/x", REDIS_URL="redis://127.0.0.1:6379/0")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_settings_refuse_demo_mode():
    result = _import_prod(
        SECRET_KEY="k" * 60,
        DATABASE_URL="postgres://x@127.0.0.1/x",
        REDIS_URL="redis://127.0.0.1:6379/0",
        DEMO_MODE="1",
    )
    assert result.returncode != 0
    assert "DEMO_MODE" in result.stderr


def test_production_defaults_are_safe():
    result = _import_prod(
        SECRET_KEY="k" * 60, DATABASE_URL="postgres://x@127.0.0.1/x", REDIS_URL="redis://127.0.0.1:6379/0"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False False"
