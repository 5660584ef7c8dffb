"""``landgov users`` and ``landgov apikeys``: accounts from the command line."""

from __future__ import annotations

import getpass
import secrets
import sys
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from landgov.auth import queries, service
from landgov.auth.permissions import ROLES
from landgov.db import act_as, database_urls, session_factory
from landgov.errors import FieldError, InvalidInput
from landgov.settings import get_settings

users_app = typer.Typer(help="用户管理", no_args_is_help=True)
keys_app = typer.Typer(help="API Key 管理 (机器客户端)", no_args_is_help=True)
console = Console()
RoleOpt = Annotated[str, typer.Option("--role", help=f"角色: {', '.join(ROLES)}")]
TownOpt = Annotated[str | None, typer.Option("--town", help="镇街代码 (town_officer 必填)")]
DEMO_ACCOUNTS = [("demo_admin", "admin"), ("demo_editor", "land_editor"),
                 ("demo_steward", "data_steward"), ("demo_planner", "planner"),
                 ("demo_viewer", "viewer")]


def _read_password() -> str:
    """The password from standard input when piped, else a prompt asked twice."""
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("密码: ")
    if getpass.getpass("再次输入密码: ") != first:
        raise InvalidInput("两次输入的密码不一致", [FieldError("password", "mismatch")])
    return first


def _cli_session() -> Session:
    """A session whose writes the audit trail attributes to the OS user."""
    session = session_factory()()
    act_as(session, f"cli:{getpass.getuser()}", None)
    return session


@users_app.command("add")
def add(name: Annotated[str, typer.Argument(help="用户名")], role: RoleOpt, town: TownOpt = None,
        display_name: Annotated[str | None, typer.Option(help="姓名")] = None) -> None:
    """Add a user; the password is read from stdin (piped) or prompted."""
    password = _read_password()
    with _cli_session() as session:
        service.add_user(session, name, password, role, town, display_name)
    console.print(f"[green]已创建用户[/] {name} ({ROLES[role].label})")


@users_app.command("passwd")
def passwd(name: Annotated[str, typer.Argument(help="用户名")]) -> None:
    """Set a new password for a user (stdin or prompt)."""
    password = _read_password()
    with _cli_session() as session:
        service.reset_password(session, name, password)
    console.print(f"[green]已更新密码[/] {name}")


@users_app.command("demo")
def demo() -> None:
    """Create the demo accounts once and print where their passwords are (demo use only)."""
    settings = get_settings()
    database = make_url(database_urls(settings).app).database
    path = settings.state_dir / f"demo-accounts-{database}.txt"
    with _cli_session() as session:
        missing = [(n, r) for n, r in DEMO_ACCOUNTS if queries.user_by_name(session, n) is None]
        lines = []
        for name, role in missing:
            password = secrets.token_urlsafe(9)
            service.add_user(session, name, password, role, None, f"演示账号 {ROLES[role].label}")
            lines.append(f"{name}\t{role}\t{password}\n")
    if lines:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as fh:
            fh.writelines(lines)
        path.chmod(0o600)
    if path.exists():
        console.print(f"演示账号 (仅供演示) 见 {path}:")
        console.print(path.read_text(encoding="utf-8").rstrip())


@keys_app.command("create")
def create(role: RoleOpt, owner: Annotated[str, typer.Option("--owner", help="持有单位")],
           town: TownOpt = None) -> None:
    """Create an API key; the key is printed once and stored only as a digest."""
    with _cli_session() as session:
        secret = service.create_key(session, owner, role, town)
    console.print(f"[green]已创建 API Key[/] ({owner}, {role}); 请妥善保存, 不会再次显示:")
    typer.echo(secret)


@keys_app.command("revoke")
def revoke(prefix: Annotated[str, typer.Argument(help="Key 前缀 (8 位)")]) -> None:
    """Revoke a key by its prefix."""
    with _cli_session() as session:
        service.revoke_key(session, prefix)
    console.print(f"[green]已吊销[/] {prefix}")


@keys_app.command("list")
def list_keys() -> None:
    """List keys (prefix, owner, role, state)."""
    table = Table("前缀", "持有单位", "角色", "镇街", "创建时间", "状态")
    with _cli_session() as session:
        for k in queries.list_keys(session):
            table.add_row(k.key_prefix, k.owner, k.role, k.town_code or "",
                          f"{k.created_at:%Y-%m-%d %H:%M}", "已吊销" if k.revoked_at else "有效")
    console.print(table)
