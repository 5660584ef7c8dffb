"""Engine, sessions, and the boundary where database errors become domain errors.

The app connects as a non-superuser role; migrations connect as the owner role. Both
URLs come from :func:`database_urls`: the configured ones, or the local PostGIS that
``landgov db up`` recorded.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache

from psycopg import errors as pg_errors
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

from landgov.errors import Conflict, InvalidInput, LandgovError, SetupError
from landgov.local_postgis import read_state
from landgov.settings import Settings, get_settings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DatabaseUrls:
    """The app's URL and the migrating owner's URL."""

    app: str
    owner: str


def database_urls(settings: Settings) -> DatabaseUrls:
    """Resolve the URLs: configured ones win, else the local server's recorded state."""
    if settings.database_url:
        return DatabaseUrls(settings.database_url,
                            settings.migration_database_url or settings.database_url)
    local = read_state(settings)
    if local is None:
        raise SetupError(
            "本地 PostGIS 尚未初始化: run `landgov db up` (or set LANDGOV_DATABASE_URL)")
    name = settings.database_name
    return DatabaseUrls(
        app=local.url(settings.app_role, local.app_password, name),
        owner=local.url(settings.owner_role, local.owner_password, name),
    )


def with_database(url: str, database: str) -> str:
    """The same server and credentials, another database."""
    return make_url(url).set(database=database).render_as_string(hide_password=False)


def make_engine(url: str, **kwargs: object) -> Engine:
    """An engine with the session settings every landgov connection wants."""
    return create_engine(
        url,
        pool_pre_ping=True,
        connect_args={"options": "-c timezone=UTC -c jit=off"},
        **kwargs,
    )


@lru_cache(maxsize=1)
def app_engine() -> Engine:
    """The process-wide engine of the app role."""
    return make_engine(database_urls(get_settings()).app, pool_size=10, max_overflow=10)


@lru_cache(maxsize=1)
def session_factory() -> sessionmaker[Session]:
    """Session factory bound to :func:`app_engine`."""
    return sessionmaker(app_engine(), expire_on_commit=False)


_SET_ACTOR = text("SELECT set_config('landgov.actor', :a, true), "
                  "set_config('landgov.request_id', :r, true)")


@event.listens_for(Session, "after_begin")
def _tell_database_who_acts(session: Session, _tx: object, connection: Connection) -> None:
    """Each transaction of a request carries its actor and request id for the audit trail.

    The settings are transaction-local, so a pooled connection never carries them over to
    another caller.
    """
    actor = session.info.get("actor")
    if actor:
        connection.execute(_SET_ACTOR, {"a": actor, "r": session.info.get("request_id") or ""})


def act_as(session: Session, actor: str, request_id: str | None, *, writes: bool = True) -> None:
    """Name the actor of this session's writes (now, and in every later transaction).

    A caller that will not write in the current transaction (a GET) passes
    ``writes=False`` to skip the round trip; later transactions are named as usual.
    """
    session.info["actor"] = actor
    session.info["request_id"] = request_id
    if writes and session.in_transaction():
        session.execute(_SET_ACTOR, {"a": actor, "r": request_id or ""})


def get_session() -> Iterator[Session]:
    """FastAPI dependency: one session per request; the service decides when to commit.

    Closing rolls back what was not committed; when the database went away meanwhile that
    rollback fails, and there is nothing left to undo, so the failure is logged, not raised
    (the request has already been answered with its own 503).
    """
    session = session_factory()()
    try:
        with translate_errors():
            yield session
    finally:
        try:
            session.close()
        except DBAPIError:
            log.warning("session closed on a lost database connection", exc_info=True)


Identity = tuple[str | None, int | None, str | None]


def url_identity(url: str) -> Identity:
    """Host, port and database name: what tells two connections share a database."""
    parsed = make_url(url)
    return parsed.host, parsed.port, parsed.database


def session_database(session: Session) -> Identity:
    """The database a session reads (as :func:`url_identity`)."""
    url = session.get_bind().engine.url
    return url.host, url.port, url.database


def libpq_dsn(sqlalchemy_url: str) -> str:
    """A SQLAlchemy ``postgresql+psycopg://`` URL as a libpq URI, for psycopg listeners."""
    return make_url(sqlalchemy_url).set(drivername="postgresql").render_as_string(
        hide_password=False)


def request_database(app: object) -> Identity | None:
    """The database an app's request sessions read, known without opening one.

    For answers served before FastAPI runs (cached tiles and plot pages): they may use a
    cache only when it listens to this very database. An app whose session dependency is
    replaced (tests) says nothing unless it names its database in
    ``app.state.database_identity``.
    """
    state = getattr(app, "state", None)
    named = getattr(state, "database_identity", None)
    if named is not None:
        return named  # type: ignore[no-any-return]
    if get_session in getattr(app, "dependency_overrides", {}):
        return None
    url = configured_app_url()
    return url_identity(url) if url is not None else None


def configured_app_url() -> str | None:
    """The app role's URL from the settings, or None when not configured.

    Read once per settings object: hot paths ask on every request.
    """
    settings = get_settings()
    if id(settings) not in _CONFIGURED:
        try:
            url: str | None = database_urls(settings).app
        except SetupError:
            url = None
        _CONFIGURED.clear()
        _CONFIGURED[id(settings)] = url
    return _CONFIGURED[id(settings)]


_CONFIGURED: dict[int, str | None] = {}


@contextmanager
def translate_errors() -> Iterator[None]:
    """Turn the database's refusals into domain errors with a readable reason."""
    try:
        yield
    except DBAPIError as exc:
        translated = translate(exc)
        if translated is None:
            raise
        raise translated from exc


def translate(exc: DBAPIError) -> LandgovError | None:
    """The domain error for a database refusal, or None for a genuine fault."""
    if isinstance(exc, OperationalError):
        return SetupError("数据库不可用: " + _first_line(exc))
    orig = exc.orig
    if isinstance(orig, pg_errors.UniqueViolation | pg_errors.ExclusionViolation):
        return Conflict("与已有数据冲突: " + _first_line(exc))
    if isinstance(orig, pg_errors.ForeignKeyViolation):
        return Conflict("引用的数据不存在或仍被引用: " + _first_line(exc))
    # DataError covers both the server's data exceptions and psycopg's own refusals
    # (e.g. a NUL character in a text parameter).
    if isinstance(orig, pg_errors.CheckViolation | pg_errors.RaiseException
                  | pg_errors.InvalidParameterValue | pg_errors.DataError):
        return InvalidInput(_first_line(exc))
    return None


def _first_line(exc: DBAPIError) -> str:
    """The database's own message without the SQL statement or parameters."""
    orig = exc.orig
    diag = getattr(orig, "diag", None)
    primary = getattr(diag, "message_primary", None)
    return str(primary or str(orig).splitlines()[0])


def check_postgis(engine: Engine) -> str:
    """Return the PostGIS version of the database, or refuse with the reason."""
    try:
        with engine.connect() as conn:
            version = conn.execute(
                text("SELECT extversion FROM pg_extension WHERE extname = 'postgis'")
            ).scalar()
            if version is None:
                available = conn.execute(
                    text("SELECT 1 FROM pg_available_extensions WHERE name = 'postgis'")
                ).scalar()
                if not available:
                    raise SetupError(
                        f"数据库 {engine.url.host}:{engine.url.port}/{engine.url.database} "
                        "的服务器没有安装 PostGIS (postgis extension not available)"
                    )
                conn.execute(text("CREATE EXTENSION postgis"))
                conn.commit()
                version = conn.execute(text("SELECT postgis_lib_version()")).scalar()
    except OperationalError as exc:
        raise SetupError(f"无法连接数据库 {engine.url.host}:{engine.url.port}: "
                         + _first_line(exc)) from exc
    except DBAPIError as exc:
        raise SetupError(f"数据库 {engine.url.database} 没有 PostGIS 且无法创建: "
                         + _first_line(exc)) from exc
    return str(version)


class Base(DeclarativeBase):
    """The one metadata all domain models share (Alembic migrates it)."""
