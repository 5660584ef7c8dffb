"""``POST /api/v1/imports`` (multipart upload → background job) and ``GET …/{job_id}``.

The handler only stores the upload (streamed to a private temp dir, with the size limit
counted as it arrives), registers the job and starts the worker; the import itself,
with its report, is ``service.run_import`` in ``jobs.run``.
"""

from __future__ import annotations

import shutil
import tempfile
import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, File, Form, Request, Response, UploadFile
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from landgov import db
from landgov.auth.guard import Importer
from landgov.deps import SessionDep
from landgov.errors import PayloadTooLarge
from landgov.io.importing import jobs
from landgov.io.importing.archive import BadImportFile
from landgov.io.importing.mapping import Mapping
from landgov.io.importing.service import ImportOptions
from landgov.settings import get_settings

router = APIRouter(prefix="/api/v1/imports", tags=["导入"])
UPLOAD_SUFFIXES = (".zip", ".gpkg", ".geojson", ".json", ".csv", ".dxf")
CHUNK = 1 << 20


class ImportJob(BaseModel):
    """An import job: its state, progress and (when finished) its report."""

    id: int = Field(title="任务编号")
    filename: str = Field(title="文件名")
    created_by: str = Field(title="提交者")
    created_at: datetime = Field(title="提交时间")
    state: str = Field(title="状态", description="queued / running / succeeded / failed")
    progress: float = Field(title="进度 (0–1)")
    stage: str | None = Field(title="当前阶段")
    report: dict[str, Any] | None = Field(title="导入报告")
    finished_at: datetime | None = Field(title="完成时间")


def import_sessions() -> Callable[[], Session]:
    """Where the worker gets its sessions (tests point it at their database)."""
    return db.session_factory()


ImportSessions = Annotated[Callable[[], Session], Depends(import_sessions)]


def _save(upload: UploadFile, suffix: str, limit: int) -> Path:
    """Stream the upload into a new private temp dir; refuse at ``limit`` bytes."""
    workdir = Path(tempfile.mkdtemp(prefix="landgov-upload-"))
    target = workdir / f"upload{suffix}"
    size = 0
    with target.open("wb") as out:
        while chunk := upload.file.read(CHUNK):
            size += len(chunk)
            if size >= limit:
                out.close()
                shutil.rmtree(workdir, ignore_errors=True)
                raise PayloadTooLarge(f"上传文件达到上限 {limit} 字节 (LANDGOV_MAX_IMPORT_BYTES)")
            out.write(chunk)
    return workdir / target.name


def _mapping(upload: UploadFile | None) -> Mapping | None:
    if upload is None:
        return None
    suffix = Path(upload.filename or "m.yaml").suffix.lower()
    if suffix not in (".yaml", ".yml", ".json"):
        raise BadImportFile("映射文件应为 .yaml/.yml/.json")
    with tempfile.TemporaryDirectory(prefix="landgov-mapping-") as tmp:
        path = Path(tmp) / f"mapping{suffix}"
        path.write_bytes(upload.file.read(1 << 20))
        return Mapping.load(path)


@router.post("", status_code=202, summary="上传并导入宗地 (后台任务)", response_model=ImportJob)
def upload(
    principal: Importer, session: SessionDep, sessions: ImportSessions, request: Request,
    response: Response,
    file: Annotated[UploadFile, File(
        title="数据文件 (.zip Shapefile / .gpkg / .geojson / .csv / .dxf)")],
    dry_run: Annotated[bool, Form(title="只检查不写入")] = False,
    crs: Annotated[str | None, Form(max_length=60, title="坐标参考系, 如 EPSG:4549")] = None,
    convert_from: Annotated[Literal["gcj02", "bd09"] | None,
                            Form(alias="from", title="网络坐标纠偏")] = None,
    encoding: Annotated[str | None, Form(max_length=20, title="属性编码")] = None,
    mapping: Annotated[UploadFile | None, File(title="字段映射 (YAML/JSON)")] = None,
    layer: Annotated[str | None, Form(max_length=200,
                                      title="图层 (GeoPackage 图层名或 DXF 的 CAD 图层)")] = None,
) -> ImportJob:
    """Store the upload, start the import job, answer 202 with the job to poll."""
    name = Path(file.filename or "upload").name
    suffix = Path(name).suffix.lower()
    if suffix not in UPLOAD_SUFFIXES:
        raise BadImportFile(f"不支持的文件类型 {suffix or name!r}; Shapefile 请打包为 .zip, "
                            f"其他可用 {', '.join(UPLOAD_SUFFIXES[1:])}")
    options = ImportOptions(dry_run=dry_run, crs=crs, convert_from=convert_from,
                            encoding=encoding, mapping=_mapping(mapping), layer=layer)
    path = _save(file, suffix, get_settings().max_import_bytes)
    job_id = jobs.create(session, principal.actor, name,
                         {"dry_run": dry_run, "crs": crs, "from": convert_from,
                          "encoding": encoding, "mapping": mapping is not None,
                          "layer": layer})
    request_id = getattr(request.state, "request_id", None)
    threading.Thread(target=jobs.run, name=f"import-{job_id}", daemon=True,
                     args=(sessions, job_id, path, name, options, principal.actor,
                           request_id)).start()
    response.headers["Location"] = f"/api/v1/imports/{job_id}"
    return ImportJob(**jobs.read(session, job_id, principal.actor, True))


@router.get("/{job_id}", summary="导入任务的状态、进度与报告", response_model=ImportJob)
def status(principal: Importer, session: SessionDep, job_id: int) -> ImportJob:
    """The job (only its submitter and admins see it)."""
    return ImportJob(**jobs.read(session, job_id, principal.actor, principal.role == "admin"))
