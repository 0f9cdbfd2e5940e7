import pytest

from assembly import config


def test_defaults_then_instance_file_then_environment_then_test_overrides(tmp_path, monkeypatch):
    (tmp_path / "config.py").write_text(
        "REDIS_URL = 'redis://from-file'\nPUBLIC_URL = 'http://file'\n"
    )
    monkeypatch.setenv("ASSEMBLY_PUBLIC_URL", "http://env")
    monkeypatch.setenv("ASSEMBLY_DB_POOL_SIZE", "3")
    loaded = config.load(tmp_path, {"EXPORTS_DIR": "/tmp/x"})
    assert loaded["REDIS_URL"] == "redis://from-file"
    assert loaded["PUBLIC_URL"] == "http://env"
    assert loaded["DB_POOL_SIZE"] == 3
    assert loaded["EXPORTS_DIR"] == "/tmp/x"
    assert loaded["DATABASE_URL"] == f"sqlite:///{tmp_path / 'asamblea.db'}"


def test_boolean_environment_values(tmp_path, monkeypatch):
    monkeypatch.setenv("ASSEMBLY_SESSION_COOKIE_SECURE", "true")
    assert config.load(tmp_path)["SESSION_COOKIE_SECURE"] is True
    monkeypatch.setenv("ASSEMBLY_SESSION_COOKIE_SECURE", "0")
    assert config.load(tmp_path)["SESSION_COOKIE_SECURE"] is False


def test_production_refuses_to_start_without_a_secret_key(tmp_path, monkeypatch):
    monkeypatch.setenv("ASSEMBLY_ENV", "production")
    monkeypatch.delenv("ASSEMBLY_SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="ASSEMBLY_SECRET_KEY"):
        config.load(tmp_path)
    monkeypatch.setenv("ASSEMBLY_SECRET_KEY", "s" * 40)
    assert config.load(tmp_path)["SECRET_KEY"] == "s" * 40


def test_development_generates_a_key_once_into_the_instance_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("ASSEMBLY_SECRET_KEY", raising=False)
    monkeypatch.delenv("ASSEMBLY_ENV", raising=False)
    first = config.load(tmp_path)["SECRET_KEY"]
    second = config.load(tmp_path)["SECRET_KEY"]
    assert first == second and len(first) == 64
    assert (tmp_path / "secret_key").read_text().strip() == first
    other = tmp_path / "other"
    assert config.load(other)["SECRET_KEY"] != first


def test_the_pseudonym_key_is_its_own_generated_once_per_installation(tmp_path, monkeypatch):
    """Issue 17.8: the export's pseudonyms never derive from the session key; without
    ASSEMBLY_PSEUDONYM_KEY each installation generates its own into the instance folder."""
    monkeypatch.delenv("ASSEMBLY_PSEUDONYM_KEY", raising=False)
    monkeypatch.setenv("ASSEMBLY_SECRET_KEY", "s" * 40)
    first = config.load(tmp_path)
    assert first["PSEUDONYM_KEY"] != first["SECRET_KEY"] and len(first["PSEUDONYM_KEY"]) == 64
    assert (tmp_path / "pseudonym_key").read_text().strip() == first["PSEUDONYM_KEY"]
    assert oct((tmp_path / "pseudonym_key").stat().st_mode & 0o777) == "0o600"
    monkeypatch.setenv("ASSEMBLY_SECRET_KEY", "t" * 40)  # a new session key: same pseudonyms
    assert config.load(tmp_path)["PSEUDONYM_KEY"] == first["PSEUDONYM_KEY"]
    monkeypatch.setenv("ASSEMBLY_PSEUDONYM_KEY", "shared-between-servers")
    assert config.load(tmp_path)["PSEUDONYM_KEY"] == "shared-between-servers"


def test_sqlite_keeps_one_connection_postgres_pings():
    sqlite = config.flask_settings({**_base(), "DATABASE_URL": "sqlite:///x.db"})
    assert sqlite["SQLALCHEMY_ENGINE_OPTIONS"] == {"pool_size": 1, "max_overflow": 0}
    pg = config.flask_settings({**_base(), "DATABASE_URL": "postgresql+psycopg://h/db"})
    assert pg["SQLALCHEMY_ENGINE_OPTIONS"] == {
        "pool_pre_ping": True,
        "pool_size": 10,
        "max_overflow": 15,
        "pool_timeout": 5.0,
        "pool_recycle": 1800,
    }
    assert pg["RATELIMIT_STORAGE_URI"] == "memory://"
    assert (
        config.flask_settings({**_base(), "REDIS_URL": "redis://r"})["RATELIMIT_STORAGE_URI"]
        == "redis://r"
    )


def _base():
    return {key: default for key, (default, _doc) in config.DEFAULTS.items()} | {
        "DATABASE_URL": "sqlite://"
    }


def test_every_setting_is_documented_in_the_readme():
    readme = (config.PROJECT_ROOT / "README.md").read_text()
    table = readme[readme.index("## Configuration") : readme.index("## Tests")]
    missing = [key for key in config.DEFAULTS if f"`ASSEMBLY_{key}`" not in table]
    assert missing == []


def test_postgres_pool_is_configurable_and_three_processes_fit_in_the_default_server(
    tmp_path, monkeypatch
):
    monkeypatch.setenv("ASSEMBLY_DATABASE_URL", "postgresql+psycopg://h/db")
    monkeypatch.setenv("ASSEMBLY_PG_POOL_SIZE", "4")
    monkeypatch.setenv("ASSEMBLY_PG_MAX_OVERFLOW", "2")
    monkeypatch.setenv("ASSEMBLY_PG_POOL_TIMEOUT", "1")
    options = config.flask_settings(config.load(tmp_path))["SQLALCHEMY_ENGINE_OPTIONS"]
    assert (options["pool_size"], options["max_overflow"], options["pool_timeout"]) == (4, 2, 1)
    # the defaults: 3 processes at their peak leave room under max_connections=100 for the
    # superuser reserve (3), psql, backups and a test run (>= 20)
    default = {key: value for key, (value, _doc) in config.DEFAULTS.items()}
    assert 3 * (default["PG_POOL_SIZE"] + default["PG_MAX_OVERFLOW"]) <= 100 - 3 - 20


def test_each_installation_has_its_own_queue_channel_and_rate_limit_prefix():
    one = config.flask_settings({**_base(), "DATABASE_URL": "postgresql+psycopg://h/uno"})
    two = config.flask_settings({**_base(), "DATABASE_URL": "postgresql+psycopg://h/dos"})
    assert one["REDIS_CHANNEL"] != two["REDIS_CHANNEL"]
    assert one["RATELIMIT_KEY_PREFIX"] == one["REDIS_CHANNEL"]
    assert one["RATELIMIT_IN_MEMORY_FALLBACK_ENABLED"] is True
    queued = config.flask_settings({**_base(), "REDIS_URL": "redis://127.0.0.1:6379/0"})
    assert queued["RATELIMIT_STORAGE_OPTIONS"]["max_connections"] >= 1000  # a connect storm
    named = config.flask_settings({**_base(), "DATABASE_URL": "sqlite://", "REDIS_CHANNEL": "x"})
    assert named["REDIS_CHANNEL"] == "x"


def test_the_instance_folder_moves_with_its_environment_variable(tmp_path, monkeypatch):
    monkeypatch.delenv("ASSEMBLY_INSTANCE_DIR", raising=False)
    assert config.instance_dir() == config.PROJECT_ROOT / "instance"
    monkeypatch.setenv("ASSEMBLY_INSTANCE_DIR", str(tmp_path / "elsewhere"))
    assert config.instance_dir() == tmp_path / "elsewhere"


def test_the_suite_keeps_its_uploads_out_of_the_project(app):
    """Uploaded lists and slides go under the suite's own instance folder, not the project's."""
    assert app.instance_path == str(config.instance_dir())
    assert config.PROJECT_ROOT not in config.instance_dir().parents
