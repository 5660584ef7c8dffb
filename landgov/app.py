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
from landgov.controlline.router import router as controlline_router
from landgov.evaluation.router import router as evaluation_router
from landgov.fast_reads import FastReads
from landgov.governance.cases.router import router as cases_router
from landgov.governance.router import router as governance_router
from landgov.health import router as health_router
from landgov.investment import fast_path as plots_fast_path
from landgov.investment.router import routers as investment_routers
from landgov.io.importing.router import router as imports_router
from landgov.io.router import router as exports_router
from landgov.maps.router import STATIC as MAPS_STATIC
from landgov.maps.router import router as maps_router
from landgov.ogc.router import router as ogc_router
from landgov.parcels.router import router as parcels_router
from landgov.reclamation.router import STATIC as RECLAMATION_STATIC
from landgov.reclamation.router import router as reclamation_router
from landgov.regions.router import router as regions_router
from landgov.settings import get_settings
from landgov.tiles import fast_path as tiles_fast_path
from landgov.tiles.router import router as tiles_router
from landgov.zones.router import router as zones_router

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
    # cached tiles and plot pages for remembered callers, before FastAPI (inside hardening)
    app.add_middleware(FastReads, routes=(tiles_fast_path.ROUTE, plots_fast_path.ROUTE))
    hardening.install(app, max_body=settings.max_request_bytes,
                      per_minute=settings.rate_limit_per_minute,
                      larger=(("/api/v1/imports", settings.max_import_bytes),
                              ("/api/v1/cases", settings.case_upload_max_bytes)))
    if settings.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origins,
                           allow_methods=["*"], allow_headers=["*"],
                           expose_headers=["ETag", "X-Request-ID", "Content-Crs", "Location"])
    # /api/v1/... per domain (investment: chains, plots, projects), then OGC API - Features
    # under /ogc, vector and raster tiles under /tiles, Folium pages and 推介单 under /maps
    for router in (health_router, auth_router, codes_router, parcels_router, regions_router,
                   controlline_router, evaluation_router, governance_router, cases_router,
                   reclamation_router, zones_router, *investment_routers, exports_router,
                   imports_router, ogc_router, tiles_router, maps_router):
        app.include_router(router)
    app.mount("/maps/static", StaticFiles(directory=MAPS_STATIC), name="maps-static")
    app.mount("/static", StaticFiles(directory=LANDING), name="static")
    # 盘活 dashboard: a public shell; its data come from the API with the user's token
    app.mount("/reclamation", StaticFiles(directory=RECLAMATION_STATIC, html=True),
              name="reclamation")
    if settings.web_dist_dir.is_dir():
        app.mount("/vendor", StaticFiles(directory=settings.web_dist_dir / "vendor",
                                         check_dir=False), name="vendor")
    # the parcel editor (web/src, bundled by web/build-editor.mjs), page at /
    editor = settings.web_dist_dir / "editor"
    app.mount("/editor", StaticFiles(directory=editor, check_dir=False), name="editor")

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

    @app.get("/", include_in_schema=False, response_model=None)
    def editor_page() -> FileResponse | HTMLResponse:
        # The parcel editor; a public shell, its data come from the API with the token.
        page = editor / "index.html"
        if not page.is_file():
            return HTMLResponse("<!doctype html><meta charset=utf-8><title>landgov</title>"
                                "<p>宗地编辑器尚未构建: 请运行 <code>make install</code> "
                                "(npm 构建 web/dist)。API 文档见 <a href=/docs>/docs</a>。",
                                status_code=503)
        return FileResponse(page, media_type="text/html; charset=utf-8",
                            headers={"Cache-Control": "no-cache"})

    return app
