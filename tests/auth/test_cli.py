"""``landgov users`` / ``landgov apikeys`` against the test database."""

import os
import subprocess
import sys

from sqlalchemy import text

from tests.conftest import ScratchDatabase


def run(commit_database: ScratchDatabase, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LANDGOV_DATABASE_URL": commit_database.app_url}
    return subprocess.run([sys.executable, "-m", "landgov", *args], input=stdin, env=env,
                          capture_output=True, text=True, timeout=60, check=False)


def test_users_add_reads_the_password_from_stdin(committing, commit_database):
    res = run(commit_database, "users", "add", "chen.jing", "--role", "town_officer", "--town",
              "330602001", stdin="a-long-password\n")
    assert res.returncode == 0, res.stderr
    with committing.connect() as conn:
        row = conn.execute(text("SELECT role, town_code, password_hash FROM app_user "
                                "WHERE username = 'chen.jing'")).one()
        actor = conn.execute(text("SELECT actor FROM audit_event WHERE entity = 'app_user' "
                                  "AND entity_key = 'chen.jing'")).scalar()
    assert row.role == "town_officer" and row.town_code == "330602001"
    assert row.password_hash.startswith("$argon2id$")
    assert actor.startswith("cli:")


def test_bad_role_and_short_password_exit_2_with_one_line(committing, commit_database):
    bad_role = run(commit_database, "users", "add", "x.y", "--role", "superuser", stdin="a-long-password\n")
    assert bad_role.returncode == 2 and "未知角色" in bad_role.stderr
    assert len(bad_role.stderr.strip().splitlines()) == 1
    short = run(commit_database, "users", "add", "x.y", "--role", "viewer", stdin="short\n")
    assert short.returncode == 2 and "至少" in short.stderr


def test_apikeys_create_shows_the_key_once_and_revoke_works(committing, commit_database):
    res = run(commit_database, "apikeys", "create", "--role", "investment", "--owner", "招商一局")
    assert res.returncode == 0, res.stderr
    secret = res.stdout.strip().splitlines()[-1]
    assert secret.startswith("lgk_")
    prefix = secret.split("_")[1]
    listed = run(commit_database, "apikeys", "list")
    assert prefix in listed.stdout and secret not in listed.stdout
    assert run(commit_database, "apikeys", "revoke", prefix).returncode == 0
    again = run(commit_database, "apikeys", "revoke", prefix)
    assert again.returncode == 2 and "已吊销" in again.stderr
