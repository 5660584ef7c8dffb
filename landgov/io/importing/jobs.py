"""Upload imports as background jobs: a row in ``import_job`` with state, progress, report.

The import runs in a thread on its own session (its own transaction, so all-or-nothing
holds as for the CLI); progress is written on a second session and committed at once,
so ``GET /api/v1/imports/{id}`` shows it while the import's transaction is still open.
The uploaded file's temp dir is removed however the job ends.

A worker holds a session-level advisory lock on its job for as long as it runs; the
database drops the lock when the worker's process dies. So a job that says "running"
(or has been "queued" for a minute) while nobody holds its lock was interrupted — the
server restarted mid-import — and reading it marks it failed (its transaction was rolled
back with the connection, so nothing was written).
"""

from __future__ import annotations

import json
import logging
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from landgov.db import act_as, translate_errors
from landgov.errors import LandgovError, NotFound
from landgov.io.importing.report import ImportRefused
from landgov.io.importing.service import ImportOptions, run_import

log = logging.getLogger(__name__)
Sessions = Callable[[], Session]
COLUMNS = "id, created_by, created_at, filename, state, progress, stage, report, finished_at"
LOCK_CLASS = 7301  # advisory-lock namespace of import jobs (the key is the job id)
QUEUE_GRACE = "1 minute"  # a queued job's worker thread must have started by then


def create(session: Session, actor: str, filename: str, options: dict[str, Any]) -> int:
    """Register a queued job and commit, so the worker thread and pollers see it."""
    job_id = session.execute(
        text("INSERT INTO import_job (created_by, filename, options) "
             "VALUES (:a, :f, CAST(:o AS jsonb)) RETURNING id"),
        {"a": actor, "f": filename, "o": json.dumps(options, ensure_ascii=False)},
    ).scalar_one()
    session.commit()
    return int(job_id)


def read(session: Session, job_id: int, actor: str, see_all: bool) -> dict[str, Any]:
    """The job as a dict; another user's job is a 404 unless ``see_all``."""
    row = session.execute(text(f"SELECT {COLUMNS} FROM import_job WHERE id = :id"),
                          {"id": job_id}).mappings().first()
    if row is None or (not see_all and row["created_by"] != actor):
        raise NotFound(f"导入任务 {job_id} 不存在")
    if row["state"] in ("queued", "running") and _abandoned(session, job_id):
        _fail(session, job_id, {"detail": "导入任务被中断 (服务重启或进程退出), 未写入任何数据; "
                                          "请重新上传"})
        return read(session, job_id, actor, see_all)
    return dict(row)


def _abandoned(session: Session, job_id: int) -> bool:
    """Whether an unfinished job has no live worker (nobody holds its lock)."""
    free = session.execute(text(
        "SELECT (state = 'running' OR created_at < now() - CAST(:grace AS interval)) "
        "AND pg_try_advisory_xact_lock(:c, CAST(:id AS integer)) "
        "FROM import_job WHERE id = :id"),
        {"c": LOCK_CLASS, "id": job_id, "grace": QUEUE_GRACE}).scalar()
    return bool(free)


def _update(session: Session, job_id: int, **values: Any) -> None:
    sets = ", ".join(f"{k} = :{k}" for k in values)  # keys are this module's, not a caller's
    if "report" in values:
        values["report"] = json.dumps(values["report"], ensure_ascii=False, default=str)
        sets = sets.replace("report = :report", "report = CAST(:report AS jsonb)")
    session.execute(text(f"UPDATE import_job SET {sets} WHERE id = :id"), {**values, "id": job_id})
    session.commit()


def run(sessions: Sessions, job_id: int, path: Path, filename: str, options: ImportOptions,
        actor: str, request_id: str | None) -> None:
    """The worker: import, record the outcome, remove the upload's temp dir."""
    try:
        with sessions() as status, sessions() as work, _held(status, job_id):
            act_as(work, actor, request_id)

            def progress(fraction: float, stage: str) -> None:
                _update(status, job_id, state="running", progress=fraction, stage=stage)

            try:
                with translate_errors():
                    report = run_import(work, path, options, progress, name=filename)
                _update(status, job_id, state="succeeded", progress=1.0,
                        report=report.as_dict(), finished_at=_now(status))
            except ImportRefused as exc:
                _fail(status, job_id, {**exc.report.as_dict(), "detail": exc.detail})
            except LandgovError as exc:
                _fail(status, job_id, {"detail": exc.detail})
            except Exception:  # a worker thread has no one else to tell
                log.exception("import job %s failed", job_id)
                _fail(status, job_id, {"detail": "导入时发生内部错误, 已记录日志"})
    finally:
        shutil.rmtree(path.parent, ignore_errors=True)


@contextmanager
def _held(session: Session, job_id: int) -> Iterator[None]:
    """Hold the job's advisory lock on a connection of its own while the worker runs."""
    bind = session.get_bind()
    engine = bind if isinstance(bind, Engine) else bind.engine
    with engine.connect() as conn:
        conn.execute(text("SELECT pg_advisory_lock(:c, CAST(:id AS integer))"),
                     {"c": LOCK_CLASS, "id": job_id})
        conn.commit()
        try:
            yield
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(:c, CAST(:id AS integer))"),
                         {"c": LOCK_CLASS, "id": job_id})
            conn.commit()


def _now(session: Session) -> Any:
    return session.execute(text("SELECT clock_timestamp()")).scalar_one()


def _fail(session: Session, job_id: int, report: dict[str, Any]) -> None:
    session.rollback()
    _update(session, job_id, state="failed", report=report, finished_at=_now(session))
