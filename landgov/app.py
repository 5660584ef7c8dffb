"""The FastAPI application: each domain's router, the landing map, static assets."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request, Response
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import DBAPIError

from landgov import db, errors, hardening, openapi
from landgov.auth.router import router as auth_router
from landgov.coding.router import router as codes_router
from landgov.evaluation.router import router as evaluation_router
from landgov.governance.router import router as governance_router
from landgov.health import router as health_router
from landgov.io.importing.router import router as imports_router
from landgov.io.router import router as exports_router
from landgov.ogc.router import router as ogc_router
from landgov.parcels.router import router as parcels_router
from landgov.regions.router import router as regions_router
from landgov.settings import get_settings
from landgov.tiles.router import router as tiles_router

LANDING = Path(__file__).resolve().parent / "landing" / "static"


async def _database_refusal(request: Request, exc: Exception) -> Response:
    """A database refusal that reached the app (not caught by a service) as problem details."""
    assert isinstance(exc, DBAPIError)
    translated = db.translate(exc)
    if translated is None:
        raise exc
    return errors.problem_response(translated, request.url.path)


def create_app() -> FastAPI:
    """Build the app (uvicorn calls this as a factory)."""
    settings = get_settings()
    app = FastAPI(
        docs_url=None,
        responses=errors.problem_responses(),
        redoc_url=None,
        title="landgov 工业用地全域治理平台 API",
        version="0.1.0",
        description="一码管地: 宗地、企业、亩均效益与治理清单。坐标为 CGCS2000 (EPSG:4490)。",
    )
    errors.install(app)
    app.add_exception_handler(DBAPIError, _database_refusal)
    openapi.install(app)
    hardening.install(app, max_body=settings.max_request_bytes,
                      per_minute=settings.rate_limit_per_minute,
                      larger=(("/api/v1/imports", settings.max_import_bytes),))
    if settings.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origins,
                           allow_methods=["*"], allow_headers=["*"],
                           expose_headers=["ETag", "X-Request-ID", "Content-Crs", "Location"])
    for router in (health_router, auth_router, codes_router, parcels_router, regions_router,
                   evaluation_router, governance_router, exports_router, imports_router):
        app.include_router(router)
    app.include_router(ogc_router)  # OGC API - Features under /ogc
    app.include_router(tiles_router)  # vector / raster tiles under /tiles
    app.mount("/static", StaticFiles(directory=LANDING), name="static")
    if settings.web_dist_dir.is_dir():
        app.mount("/vendor", StaticFiles(directory=settings.web_dist_dir / "vendor",
                                         check_dir=False), name="vendor")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        # Swagger UI from our own assets: the intranet has no CDN.
        return get_swagger_ui_html(
            openapi_url="/openapi.json", title="landgov API 文档",
            swagger_js_url="/vendor/swagger-ui/swagger-ui-bundle.js",
            swagger_css_url="/vendor/swagger-ui/swagger-ui.css",
            swagger_favicon_url="/vendor/swagger-ui/favicon-32x32.png",
            oauth2_redirect_url="/vendor/swagger-ui/oauth2-redirect.html",
        )

    @app.get("/", include_in_schema=False)
    def landing() -> FileResponse:
        return FileResponse(LANDING / "index.html", media_type="text/html; charset=utf-8")

    return app
