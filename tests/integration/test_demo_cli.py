"""``asamblea serve --demo[=state] [--reset]`` and ``flask assembly seed-demo`` (issue 20)."""

import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from assembly import cli
from assembly.config import PROJECT_ROOT


@pytest.fixture
def recorded(monkeypatch):
    """serve's subprocesses and its exec of gunicorn, recorded instead of run."""
    calls = {"run": [], "exec": None}
    monkeypatch.setattr(cli.subprocess, "run", lambda args, **kw: calls["run"].append(args))

    def fake_exec(path, args):
        calls["exec"] = args
        calls["room"] = os.environ.get("ASSEMBLY_DEMO_ROOM_SECONDS")

    monkeypatch.setattr(cli.os, "execv", fake_exec)
    monkeypatch.delenv("ASSEMBLY_DEMO_ROOM_SECONDS", raising=False)
    return calls


def _seed_args(calls):
    return [args[args.index("seed-demo") :] for args in calls["run"] if "seed-demo" in args]


def test_plain_demo_seeds_the_day_in_progress_with_the_simulated_room(recorded):
    result = CliRunner().invoke(cli.main, ["serve", "--demo", "--port", "6901"])
    assert result.exit_code == 0, result.output
    assert _seed_args(recorded) == [["seed-demo", "--state", "dia"]]
    assert recorded["room"] == "6" and "0.0.0.0:6901" in recorded["exec"]
    assert "asamblea-demo" in result.output


@pytest.mark.parametrize("state", ["inicio", "plenaria", "cierre"])
def test_a_named_state_and_reset_reach_the_seed_without_the_room(recorded, state):
    result = CliRunner().invoke(cli.main, ["serve", f"--demo={state}", "--reset"])
    assert result.exit_code == 0, result.output
    assert _seed_args(recorded) == [["seed-demo", "--state", state, "--reset"]]
    assert recorded["room"] is None


def test_no_demo_seeds_nothing_and_reset_alone_is_refused(recorded):
    assert CliRunner().invoke(cli.main, ["serve"]).exit_code == 0
    assert _seed_args(recorded) == []
    refused = CliRunner().invoke(cli.main, ["serve", "--reset"])
    assert refused.exit_code != 0 and "--reset" in refused.output
    bad = CliRunner().invoke(cli.main, ["serve", "--demo=mañana"])
    assert bad.exit_code != 0 and "inicio" in bad.output


def test_seed_demo_keeps_existing_data_unless_reset(tmp_path):
    env = {
        **os.environ,
        "FLASK_APP": "wsgi",
        "ASSEMBLY_DATABASE_URL": f"sqlite:///{tmp_path / 'demo.db'}",
        "ASSEMBLY_EXPORTS_DIR": str(tmp_path / "exports"),
    }
    env.pop("ASSEMBLY_DEMO_ROOM_SECONDS", None)

    def flask(*args):
        done = subprocess.run(
            [sys.executable, "-m", "flask", *args],
            cwd=PROJECT_ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    flask("db", "upgrade")
    assert "creada (inicio)" in flask("assembly", "seed-demo", "--people", "40")
    kept = flask("assembly", "seed-demo", "--people", "40", "--state", "cierre")
    assert "no se tocó" in kept and "--reset" in kept
    reset = flask("assembly", "seed-demo", "--people", "40", "--state", "cierre", "--reset")
    assert "creada (cierre)" in reset
    assert list((tmp_path / "exports").rglob("*.xlsx"))  # the closed day's reports
