"""The embedded default: a PostGIS server on this machine that landgov sets up itself.

``landgov db up`` with no ``LANDGOV_DATABASE_URL`` lands here. It must work on a fresh
Debian machine with nothing installed by hand, so it installs PostGIS from the OS
packages (matching whatever PostgreSQL server is present, falling back to the
distribution's default), starts a cluster, and creates three things once:

* an owner role (migrates, owns the schema, may create databases for tests),
* an app role (what the running app uses: no superuser, no DDL),
* a template database holding the PostGIS extension and the default privileges that
  give the app role data access, from which the real and the test databases are copied.

PostgreSQL refuses to run as root, so as root we use the packaged cluster and its
``postgres`` service user; an ordinary user gets a private cluster under ``state_dir``.
Passwords are generated once and kept in ``state_dir/local.json`` (mode 0600).
Every step checks before it acts, so running it again is harmless.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import subprocess
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from landgov.errors import SetupError
from landgov.settings import Settings

Log = Callable[[str], None]
_IDENT = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
_PG_LIB = Path("/usr/lib/postgresql")


@dataclass(frozen=True)
class LocalServer:
    """Where the local server listens and how the two roles log in."""

    host: str
    port: int
    owner_password: str
    app_password: str

    def url(self, role: str, password: str, database: str) -> str:
        """SQLAlchemy URL for ``role`` on ``database`` of this server."""
        return f"postgresql+psycopg://{role}:{password}@{self.host}:{self.port}/{database}"


def state_file(settings: Settings) -> Path:
    """The file holding the local server's address and generated passwords."""
    return settings.state_dir / "local.json"


def read_state(settings: Settings) -> LocalServer | None:
    """The local server recorded by an earlier ``db up``, if any."""
    path = state_file(settings)
    if not path.exists():
        return None
    return LocalServer(**json.loads(path.read_text(encoding="utf-8")))


def _write_state(settings: Settings, server: LocalServer) -> None:
    settings.state_dir.mkdir(parents=True, exist_ok=True)
    path = state_file(settings)
    path.write_text(json.dumps(asdict(server), indent=2), encoding="utf-8")
    path.chmod(0o600)


def _run(cmd: Sequence[str], *, user: str | None = None, input_text: str | None = None) -> str:
    """Run a command (as ``user`` when given) and return stdout; raise SetupError on failure."""
    full = ["runuser", "-u", user, "--", *cmd] if user else list(cmd)
    proc = subprocess.run(  # noqa: S603 - fixed argv, no shell
        full, input=input_text, capture_output=True, text=True, check=False
    )
    if proc.returncode != 0:
        reason = (proc.stderr or proc.stdout).strip().splitlines()
        raise SetupError(f"`{' '.join(cmd)}` failed: {reason[-1] if reason else proc.returncode}")
    return proc.stdout


# --- packages -------------------------------------------------------------------------


def _server_versions() -> list[int]:
    found = [p.parent.parent.name for p in _PG_LIB.glob("*/bin/postgres")]
    return sorted(int(v) for v in found if v.isdigit())


def _has_postgis(version: int) -> bool:
    return Path(f"/usr/share/postgresql/{version}/extension/postgis.control").exists()


def _apt_install(packages: list[str], log: Log) -> None:
    log(f"安装系统软件包: {' '.join(packages)}")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for cmd in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", *packages]):
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)  # noqa: S603
        if proc.returncode != 0:
            raise SetupError(f"`{' '.join(cmd)}` failed: {proc.stderr.strip()[-300:]}")


def _apt_has(package: str) -> bool:
    proc = subprocess.run(  # noqa: S603
        ["apt-cache", "show", package], capture_output=True, text=True, check=False  # noqa: S607
    )
    return proc.returncode == 0 and bool(proc.stdout.strip())


def ensure_packages(log: Log) -> int:
    """Make sure a PostgreSQL server with PostGIS is installed; return its major version.

    Prefers the PostGIS build for the newest server already present; when that package
    does not exist, installs the distribution's default PostgreSQL and PostGIS.
    """
    versions = _server_versions()
    ready = [v for v in versions if _has_postgis(v)]
    if ready:
        return ready[-1]
    if shutil.which("apt-get") is None:
        raise SetupError("no PostgreSQL server with PostGIS here and no apt-get to install one")
    if versions and _apt_has(f"postgresql-{versions[-1]}-postgis-3"):
        _apt_install([f"postgresql-{versions[-1]}-postgis-3"], log)
    else:
        subprocess.run(["apt-get", "update", "-qq"], capture_output=True, check=False)  # noqa: S607
        _apt_install(["postgresql", "postgis"], log)
    ready = [v for v in _server_versions() if _has_postgis(v)]
    if not ready:
        raise SetupError("PostGIS was installed but no PostgreSQL server version has it")
    return ready[-1]


# --- cluster --------------------------------------------------------------------------


def _packaged_cluster(version: int, log: Log) -> int:
    """Start (creating if needed) the packaged cluster ``version/main``; return its port."""
    listing = _run(["pg_lsclusters", "--no-header"])
    rows = [line.split() for line in listing.splitlines() if line.strip()]
    row = next((r for r in rows if r[0] == str(version) and r[1] == "main"), None)
    if row is None:
        log(f"创建 PostgreSQL {version} 集群 main")
        _run(["pg_createcluster", str(version), "main"])
        return _packaged_cluster(version, log)
    if row[3] != "online":
        log(f"启动 PostgreSQL {version}/main (端口 {row[2]})")
        _run(["pg_ctlcluster", str(version), "main", "start"])
    return int(row[2])


def _private_cluster(version: int, settings: Settings, log: Log) -> int:
    """An unprivileged user's own cluster under ``state_dir/pgdata``; return its port."""
    bindir = _PG_LIB / str(version) / "bin"
    data = settings.state_dir / "pgdata"
    if not (data / "PG_VERSION").exists():
        log(f"初始化私有集群 {data}")
        data.mkdir(parents=True, exist_ok=True)
        _run([str(bindir / "initdb"), "-D", str(data), "--auth-local=peer",
              "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8",
              "-U", os.environ.get("USER", "postgres")])
    if subprocess.run([str(bindir / "pg_ctl"), "-D", str(data), "status"],  # noqa: S603
                      capture_output=True, check=False).returncode != 0:
        log(f"启动私有集群 (端口 {settings.local_port})")
        opts = f"-p {settings.local_port} -k {settings.state_dir} -c listen_addresses=127.0.0.1"
        _run([str(bindir / "pg_ctl"), "-D", str(data), "-l", str(settings.state_dir / "pg.log"),
              "-o", opts, "-w", "start"])
    return settings.local_port


# --- roles and databases --------------------------------------------------------------


class _Admin:
    """Runs administrative SQL over the socket as the cluster's superuser."""

    def __init__(self, port: int, settings: Settings) -> None:
        self.port = port
        self.as_root = os.geteuid() == 0
        self.socket_args = [] if self.as_root else ["-h", str(settings.state_dir)]

    def sql(self, statement: str, database: str = "postgres") -> str:
        cmd = ["psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-p", str(self.port),
               *self.socket_args, "-d", database, "-f", "-"]
        return _run(cmd, user="postgres" if self.as_root else None, input_text=statement).strip()

    def exists(self, query: str, database: str = "postgres") -> bool:
        return self.sql(query, database) == "1"


def _ident(name: str) -> str:
    if not _IDENT.match(name):
        raise SetupError(f"invalid database identifier {name!r}: use lower-case letters, digits, _")
    return name


def _ensure_role(admin: _Admin, role: str, password: str, extra: str) -> None:
    verb = "ALTER" if admin.exists(f"SELECT 1 FROM pg_roles WHERE rolname = '{role}'") else "CREATE"
    admin.sql(f"{verb} ROLE {role} WITH LOGIN {extra} PASSWORD '{password}'")


def _ensure_template(admin: _Admin, settings: Settings) -> None:
    tpl, owner, app = (_ident(settings.template_database), _ident(settings.owner_role),
                       _ident(settings.app_role))
    if not admin.exists(f"SELECT 1 FROM pg_database WHERE datname = '{tpl}'"):
        admin.sql(f"CREATE DATABASE {tpl} OWNER {owner} ENCODING 'UTF8' TEMPLATE template0")
    admin.sql(
        f"""
        CREATE EXTENSION IF NOT EXISTS postgis;
        GRANT USAGE ON SCHEMA public TO {app};
        ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA public
            GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {app};
        ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA public
            GRANT USAGE, SELECT ON SEQUENCES TO {app};
        ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA public
            GRANT EXECUTE ON FUNCTIONS TO {app};
        """,
        database=tpl,
    )
    admin.sql(f"ALTER DATABASE {tpl} IS_TEMPLATE true")


def ensure_database(admin: _Admin, settings: Settings, name: str) -> None:
    """Create database ``name`` from the template unless it exists."""
    name = _ident(name)
    if not admin.exists(f"SELECT 1 FROM pg_database WHERE datname = '{name}'"):
        admin.sql(
            f"CREATE DATABASE {name} OWNER {_ident(settings.owner_role)} "
            f"TEMPLATE {_ident(settings.template_database)}"
        )


def up(settings: Settings, log: Log) -> LocalServer:
    """Bring the local PostGIS up and return how to reach it (idempotent)."""
    version = ensure_packages(log) if os.geteuid() == 0 else _require_local_binaries()
    port = (_packaged_cluster(version, log) if os.geteuid() == 0
            else _private_cluster(version, settings, log))
    previous = read_state(settings)
    server = LocalServer(
        host="127.0.0.1",
        port=port,
        owner_password=previous.owner_password if previous else secrets.token_urlsafe(24),
        app_password=previous.app_password if previous else secrets.token_urlsafe(24),
    )
    admin = _Admin(port, settings)
    _ensure_role(admin, _ident(settings.owner_role), server.owner_password, "CREATEDB")
    _ensure_role(admin, _ident(settings.app_role), server.app_password, "NOCREATEDB")
    # The owner administers the app role's sessions (tests drop databases WITH (FORCE)).
    admin.sql(f"GRANT {_ident(settings.app_role)} TO {_ident(settings.owner_role)}")
    _ensure_template(admin, settings)
    ensure_database(admin, settings, settings.database_name)
    _write_state(settings, server)
    return server


def _require_local_binaries() -> int:
    ready = [v for v in _server_versions() if _has_postgis(v)]
    if not ready:
        raise SetupError(
            "no PostgreSQL server with PostGIS on this machine and not root to install it: "
            "install postgresql-N-postgis-3 or set LANDGOV_DATABASE_URL"
        )
    return ready[-1]
