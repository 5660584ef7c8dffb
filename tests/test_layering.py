"""Imports run one way (DESIGN.md): a package imports only packages to its left."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "landgov"
ORDER = ["core", "auth", "coding", "regions", "parcels", "controlline", "evaluation", "governance",
         "reclamation", "zones", "investment", "io", "demo", "tiles", "ogc", "maps", "web",
         "landing", "top"]
CORE = {"settings", "db", "errors", "geo", "deps", "local_postgis", "schema", "hardening", "scratch",
        "tables", "fast_reads", "change_listener",
        "openapi"}
TOP = {"app", "cli", "server", "health", "models", "__main__"}


def layer_of(module: str) -> int:
    first = module.split(".", maxsplit=1)[0]
    if first in CORE:
        return ORDER.index("core")
    if first in TOP:
        return ORDER.index("top")
    return ORDER.index(first)


def test_imports_run_one_way():
    bad = []
    for path in ROOT.rglob("*.py"):
        rel = path.relative_to(ROOT).with_suffix("")
        own = layer_of(".".join(rel.parts) if rel.parts[0] not in ("__init__",) else "top")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("landgov."):
                target = node.module.removeprefix("landgov.")
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names if a.name.startswith("landgov.")]
                if not names:
                    continue
                target = names[0].removeprefix("landgov.")
            else:
                continue
            if layer_of(target) > own:
                bad.append(f"{rel} imports landgov.{target}")
    assert bad == []
