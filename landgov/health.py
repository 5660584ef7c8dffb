"""``/healthz``: whether the app can reach its database and PostGIS."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, Field
from sqlalchemy import text

from landgov.deps import SessionDep

router = APIRouter(tags=["运维"])


class Health(BaseModel):
    """Health of the app and its database."""

    status: str = Field(title="状态")
    database: str = Field(title="数据库")
    postgis: str = Field(title="PostGIS 版本")


@router.get("/healthz", response_model=Health, summary="健康检查")
def healthz(session: SessionDep) -> Health:
    """200 when the database answers with PostGIS; 503 problem details otherwise."""
    version = session.execute(text("SELECT postgis_lib_version()")).scalar_one()
    return Health(status="ok", database="ok", postgis=str(version))
