"""``landgov codes``: check unit codes and USCCs from the command line."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from landgov.coding.service import validate_code
from landgov.errors import InvalidCode

app = typer.Typer(help="一码管地: 校验不动产单元代码与统一社会信用代码", no_args_is_help=True)
console = Console()


@app.command("validate")
def validate(
    code: Annotated[str, typer.Argument(help="28 位不动产单元代码或 18 位统一社会信用代码")],
) -> None:
    """Validate CODE; exit 2 with the position and reason when it is invalid."""
    result = validate_code(code)
    if not result.valid:
        first = result.errors[0]
        raise InvalidCode(f"{result.kind_label} {code} 无效: {first.reason}")
    console.print(f"[green]有效[/] {result.kind_label} {code}")
