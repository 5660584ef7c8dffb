"""docs/security.md's roles × routes table is the app's route table, row for row.

Run ``python -m tests.auth.test_security_doc`` to print the table after adding routes.
"""

from __future__ import annotations

from pathlib import Path

from landgov.auth.permissions import ROLES
from tests.auth.test_route_table import routes

DOC = Path(__file__).resolve().parents[2] / "docs" / "security.md"
HEADER = ("| route | method | permission | " + " | ".join(ROLES) + " |\n"
          "|---|---|---|" + "---|" * len(ROLES))


def table() -> str:
    rows = [HEADER]
    for method, path, permission in sorted(routes(), key=lambda r: (r[1], r[0])):
        if permission is None:
            cells = ["公开"] * len(ROLES)
            name = "public"
        else:
            cells = ["✓" if permission in role.permissions else "—" for role in ROLES.values()]
            name = permission.value
        rows.append(f"| `{path}` | {method} | {name} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def test_the_documented_table_is_the_route_table():
    assert table() in DOC.read_text(encoding="utf-8"), (
        "docs/security.md is out of date: replace its table with "
        "`python -m tests.auth.test_security_doc`")


if __name__ == "__main__":
    print(table())
