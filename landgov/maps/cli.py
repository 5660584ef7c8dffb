"""``landgov brochure plot|zone CODE --out FILE``: a 推介单 as PDF (or HTML) on disk.

For the investment bureau's own paperwork and for batch printing, without a browser.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer
from rich.console import Console

from landgov.db import session_factory
from landgov.maps import brochure_service

console = Console()
app = typer.Typer(help="地块 / 连片区推介单 (PDF 或 HTML)", no_args_is_help=True)
Out = Annotated[Path | None, typer.Option("--out", help="输出文件 (默认 推介单-<代码>.<格式>)")]
Fmt = Annotated[str, typer.Option("--format", help="pdf 或 html")]


def _write(kind: Literal["plot", "zone"], code: str, out: Path | None, fmt: str) -> None:
    from landgov.errors import FieldError, InvalidInput

    if fmt not in ("pdf", "html"):
        raise InvalidInput(f"格式 {fmt!r} 无效, 可选 pdf 或 html",
                           [FieldError("format", "pdf|html")])
    render = brochure_service.plot_brochure if kind == "plot" else brochure_service.zone_brochure
    with session_factory()() as session:
        body = render(session, code, fmt, town=None)
    path = out or Path(f"推介单-{code}.{fmt}")
    if isinstance(body, bytes):
        path.write_bytes(body)
    else:
        path.write_text(body, encoding="utf-8")
    console.print(f"已写出 {path} ({path.stat().st_size:,} 字节)")


@app.command("plot")
def plot(code: Annotated[str, typer.Argument(help="28 位不动产单元代码")], out: Out = None,
         fmt: Fmt = "pdf") -> None:
    """A plot's 推介单."""
    _write("plot", code, out, fmt)


@app.command("zone")
def zone(code: Annotated[str, typer.Argument(help="连片区编号, 如 ZB3-1")], out: Out = None,
         fmt: Fmt = "pdf") -> None:
    """A 连片 zone's 推介单."""
    _write("zone", code, out, fmt)
