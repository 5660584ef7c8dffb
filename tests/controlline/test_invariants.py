"""A seeded random mix of writes, allowed and forbidden, against the ledger's invariants.

After every step: the line total never falls, the unused credit is never negative, and
industrial land inside the line + land converted = the industrial land inside it at the
start (only a recorded, covered conversion can take land out). Refused steps must leave
nothing behind. Commit-time checks fire at each statement (SET CONSTRAINTS ALL IMMEDIATE).
"""

from __future__ import annotations

import random
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from landgov.controlline import service
from tests.controlline.helpers import addition_body, immediate, import_line, parcel

TO_LOGISTICS = {"land_use_code": "0508", "land_use_vintage": "gbt21010_2017"}
# Forbidden raw SQL, each touching at least one row when its table has any.
RAW_REFUSED = {
    "control_line": "UPDATE control_line SET valid_to = now() WHERE id = "
                    "(SELECT max(id) FROM control_line WHERE valid_to IS NULL)",
    "control_line_addition": "DELETE FROM control_line_addition WHERE id = "
                             "(SELECT max(id) FROM control_line_addition)",
    "control_line_offset": "DELETE FROM control_line_offset",
    "parcel": "UPDATE parcel SET land_use_code = '0701' WHERE id = (SELECT min(id) FROM parcel "
              "WHERE valid_to IS NULL AND land_use_code = '0601')",
}


class World:
    """The test's state: the client, the session, the additions made so far."""

    def __init__(self, client: Any, session: Any) -> None:
        self.client, self.session = client, session
        self.additions: list[int] = []
        self.slot = 0
        self.raw_turn = 0

    def industrial_codes(self) -> list[str]:
        return list(self.session.execute(text(
            "SELECT unit_code FROM parcel WHERE valid_to IS NULL AND land_use_code = '0601' "
            "ORDER BY unit_code")).scalars())

    def refused(self) -> None:
        self.session.rollback()
        immediate(self.session)

    def figures(self) -> tuple[float, float, float, float]:
        now = self.session.execute(text("SELECT now()")).scalar_one()
        book = service.ledger(self.session)
        _, industrial, _ = service.area_at(self.session, now)
        return book.line_total_mu, book.credit_mu, book.converted_total_mu, industrial


def step(world: World, rng: random.Random) -> str:
    kind = rng.choice(["add", "convert", "convert", "patch", "raw"])
    if kind == "add":
        world.slot += 1  # 100 m wide slots north of the line, never overlapping
        res = world.client.post("/api/v1/control-line/additions", json=addition_body(
            100 * world.slot, 1200, 100, rng.choice([50, 100, 150]), name=f"补{world.slot}"))
        assert res.status_code == 201, res.text
        world.additions.append(res.json()["id"])
    elif kind == "convert" and world.industrial_codes():
        code = rng.choice(world.industrial_codes())
        ids = rng.sample(world.additions, min(len(world.additions), rng.choice([1, 2])))
        res = world.client.post("/api/v1/control-line/conversions",
                                json={"unit_code": code, **TO_LOGISTICS, "addition_ids": ids})
        assert res.status_code in (201, 422), res.text
        if res.status_code != 201:
            world.refused()
        kind += f" {res.status_code}"
    elif kind == "patch" and world.industrial_codes():
        code = rng.choice(world.industrial_codes())
        res = world.client.patch(f"/api/v1/parcels/{code}", json=TO_LOGISTICS,
                                 headers={"If-Match": '"1"'})
        assert res.status_code == 422, res.text
        world.refused()
    elif kind == "raw":
        tables = [t for t in RAW_REFUSED
                  if world.session.execute(text(f"SELECT EXISTS (SELECT 1 FROM {t})")).scalar()]
        world.raw_turn += 1  # take the forbidden kinds in turn
        table = tables[world.raw_turn % len(tables)]
        with pytest.raises(DBAPIError):
            world.session.execute(text(RAW_REFUSED[table]))
        world.refused()
        kind += f" {table}"
    return kind


def test_random_writes_never_lower_the_total(client, district):
    import_line(district)
    for i in range(3):
        for j in range(2):
            parcel(district, 100 + 300 * i, 100 + 300 * j)  # six 30 亩 parcels inside
    immediate(district)
    world = World(client, district)
    start_line, _, _, start_industrial = world.figures()
    assert (start_line, start_industrial) == (1500.0, 180.0)
    previous_line = start_line
    rng = random.Random(7)
    kinds = []
    for _ in range(30):
        kinds.append(step(world, rng))
        line, credit, converted, industrial = world.figures()
        assert line >= previous_line
        assert credit >= 0
        assert industrial + converted == pytest.approx(start_industrial, abs=0.02)
        previous_line = line
    # both outcomes of a conversion and every forbidden kind of raw write were exercised
    assert {"convert 201", "convert 422", "patch", "raw control_line", "raw parcel",
            "raw control_line_addition"} <= set(kinds), kinds
