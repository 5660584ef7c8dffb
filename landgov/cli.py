"""The ``landgov`` command. Sub-commands delegate to the domains' Typer apps.

Bad input exits with code 2 and one line saying why (a :class:`LandgovError`'s detail).
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.console import Console

from landgov.db import translate_errors
from landgov.errors import LandgovError

console = Console(stderr=True)
app = typer.Typer(help="landgov — 工业用地全域治理平台", no_args_is_help=True,
                  pretty_exceptions_enable=False)
db_app = typer.Typer(help="数据库: 本地 PostGIS 与迁移", no_args_is_help=True)
app.add_typer(db_app, name="db")


def _log(message: str) -> None:
    console.print(f"[cyan]›[/] {message}")


@db_app.command("up")
def db_up() -> None:
    """Bring up the local PostGIS (install, start, create roles and database), then migrate.

    With LANDGOV_DATABASE_URL set, only checks PostGIS and migrates.
    """
    from landgov import db, local_postgis, schema
    from landgov.settings import get_settings

    settings = get_settings()
    if not settings.database_url:
        server = local_postgis.up(settings, _log)
        _log(f"本地 PostGIS 运行于 {server.host}:{server.port}")
    urls = db.database_urls(settings)
    version = db.check_postgis(db.make_engine(urls.owner))
    _log(f"PostGIS {version}; 执行数据库迁移")
    schema.upgrade(urls.owner)
    _log("数据库已是最新版本")


@db_app.command("upgrade")
def db_upgrade(revision: Annotated[str, typer.Argument(help="目标版本")] = "head") -> None:
    """Run the Alembic migrations up to REVISION (default: head)."""
    from landgov import db, schema
    from landgov.settings import get_settings

    urls = db.database_urls(get_settings())
    db.check_postgis(db.make_engine(urls.owner))
    schema.upgrade(urls.owner, revision)
    _log(f"已迁移至 {revision}")


@app.command("bench")
def bench(smoke: Annotated[bool, typer.Option("--smoke", help="小规模, 只验证基准可运行")] = False
          ) -> None:
    """Run the benchmarks in bench/ (each prints its figure beside its limit or peer)."""
    import subprocess

    from landgov.schema import ROOT

    args = [sys.executable, "-m", "bench", *(["--smoke"] if smoke else [])]
    raise typer.Exit(subprocess.run(args, cwd=ROOT, check=False).returncode)  # noqa: S603


def _register_domains() -> None:
    from landgov.auth.cli import keys_app, users_app
    from landgov.coding.cli import app as codes_app
    from landgov.demo.cli import app as demo_app
    from landgov.evaluation.cli import evaluate
    from landgov.io.importing.cli import import_file
    from landgov.server import serve

    app.add_typer(demo_app, name="demo")
    from landgov.investment.cli import app as investment_app

    app.add_typer(investment_app, name="investment")
    app.add_typer(codes_app, name="codes")
    app.add_typer(users_app, name="users")
    app.add_typer(keys_app, name="apikeys")
    from landgov.controlline.cli import app as controlline_app

    app.add_typer(controlline_app, name="controlline")
    app.command("serve")(serve)
    app.command("evaluate")(evaluate)
    app.command("import")(import_file)
    from landgov.io.cli import export

    app.command("export")(export)
    from landgov.reclamation.cli import app as report_app

    app.add_typer(report_app, name="report")
    from landgov.zones.cli import app as zones_app

    app.add_typer(zones_app, name="zones")
    from landgov.governance.cases.cli import app as cases_app

    app.add_typer(cases_app, name="cases")
    from landgov.maps.cli import app as brochure_app

    app.add_typer(brochure_app, name="brochure")


_register_domains()


def main() -> None:
    """Entry point: run the app, turning domain errors into exit code 2."""
    try:
        with translate_errors():
            code = app(standalone_mode=False)
    except LandgovError as exc:
        typer.echo(f"错误: {exc.detail}", err=True)
        sys.exit(2)
    except typer.Abort:
        sys.exit(1)
    except Exception as exc:  # click's usage errors carry their own exit code
        code = getattr(exc, "exit_code", None)
        if code is None:
            raise
        if hasattr(exc, "show"):
            exc.show()
        sys.exit(code)
    sys.exit(code if isinstance(code, int) else 0)
