"""``asamblea serve --demo[=state] [--reset]`` and ``flask assembly seed-demo`` (issue 20)."""

import os
import re
import subprocess
import sys
import tomllib

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


def _python(env: dict, *args: str) -> str:
    """This interpreter run in the project with ``env``; its output (it must succeed)."""
    done = subprocess.run(
        [sys.executable, *args],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.slow  # three demo seeds in subprocesses (~18 s)
def test_seed_demo_keeps_existing_data_unless_reset(tmp_path):
    env = {
        **os.environ,
        "FLASK_APP": "wsgi",
        "ASSEMBLY_DATABASE_URL": f"sqlite:///{tmp_path / 'demo.db'}",
        "ASSEMBLY_EXPORTS_DIR": str(tmp_path / "exports"),
    }
    env.pop("ASSEMBLY_DEMO_ROOM_SECONDS", None)

    def flask(*args):
        return _python(env, "-m", "flask", *args)

    flask("db", "upgrade")
    assert "creada (inicio)" in flask("assembly", "seed-demo", "--people", "40")
    kept = flask("assembly", "seed-demo", "--people", "40", "--state", "cierre")
    assert "no se tocó" in kept and "--reset" in kept
    reset = flask("assembly", "seed-demo", "--people", "40", "--state", "cierre", "--reset")
    assert "creada (cierre)" in reset
    assert list((tmp_path / "exports").rglob("*.xlsx"))  # the closed day's reports


def _optional_modules() -> list[str]:
    """The modules of the optional extras (postgres, redis…): what ``pip install -e .`` lacks."""
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["project"]
    names = set()
    for extra, requirements in project["optional-dependencies"].items():
        for requirement in requirements if extra != "dev" else []:
            names.add(re.match(r"[A-Za-z0-9_.-]+", requirement)[0].lower().replace("-", "_"))
    return sorted(names)


def test_the_readme_demo_runs_on_the_core_dependencies_alone(tmp_path):
    """The README's first command installs no extra: the app must upgrade, seed the day in
    progress and answer without the PostgreSQL and Redis client libraries (it once imported
    redis at start-up and the first command failed for every newcomer)."""
    blocked = tmp_path / "blocked"
    modules = _optional_modules()
    assert {"psycopg", "redis"} <= set(modules)
    for module in modules:  # shadow each optional package with one that cannot be imported
        (blocked / module).mkdir(parents=True)
        (blocked / module / "__init__.py").write_text(f"raise ImportError('{module} blocked')\n")
    env = {
        **os.environ,
        "PYTHONPATH": str(blocked),
        "FLASK_APP": "wsgi",
        "ASSEMBLY_DATABASE_URL": f"sqlite:///{tmp_path / 'demo.db'}",
        "ASSEMBLY_EXPORTS_DIR": str(tmp_path / "exports"),
        "ASSEMBLY_REDIS_URL": "",
    }
    env.pop("ASSEMBLY_DEMO_ROOM_SECONDS", None)
    pages = (
        "from assembly import create_app\n"
        "client = create_app().test_client()\n"
        "print(client.get('/healthz').status_code, client.get('/login').status_code)\n"
        "try:\n    import redis\nexcept ImportError:\n    print('redis blocked')\n"
    )
    _python(env, "-m", "flask", "db", "upgrade")
    _python(env, "-m", "flask", "assembly", "seed-demo", "--people", "40")
    assert _python(env, "-c", pages).split() == ["200", "200", "redis", "blocked"]
