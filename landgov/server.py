"""``landgov serve``: run the app under uvicorn (uvloop + httptools)."""

from __future__ import annotations

from typing import Annotated

import typer
import uvicorn

from landgov.settings import get_settings


def serve(
    host: Annotated[str | None, typer.Option(help="监听地址")] = None,
    port: Annotated[int | None, typer.Option(help="端口")] = None,
    workers: Annotated[int, typer.Option(help="进程数")] = 1,
) -> None:
    """Serve the web app and API."""
    settings = get_settings()
    host, port = host or settings.host, port or settings.port
    typer.echo(f"landgov 已启动: http://{host}:{port}/  (API 文档 http://{host}:{port}/docs)")
    uvicorn.run("landgov.app:create_app", factory=True, host=host, port=port, workers=workers,
                log_level="info", proxy_headers=False)
