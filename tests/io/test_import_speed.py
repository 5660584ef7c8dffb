"""What the import's speed work must not change: the in-file overlap rule, the 地籍子区
chosen for a new parcel, and the audit trail's rendering of rows (migration 0015).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from landgov.io.importing.report import ImportRefused
from landgov.io.importing.rows import overlaps_within
from tests.factories import metres_box
from tests.io.test_imports import do_import, gk_box, write_shp


def test_overlaps_within_by_hand():
    # 1: 100 m x 100 m; 2 shares 1's east edge (no overlap); 3 overlaps 1 by
    # 100 m x 0.004 m = 0.4 m² (within the 1 m² tolerance); 4 overlaps 2 by
    # 20 m x 100 m = 2000 m²; 5 has no geometry.
    geoms = np.array([metres_box(1000, 1000, 100, 100), metres_box(1100, 1000, 100, 100),
                      metres_box(1000, 1099.996, 100, 100), metres_box(1180, 1000, 100, 100),
                      None], dtype=object)
    assert overlaps_within(geoms, 1.0) == [(4, 2, "2000.0")]
    assert overlaps_within(geoms, 0.1) == [(3, 1, "0.4"), (4, 2, "2000.0")]
    assert overlaps_within(np.array([None], dtype=object), 1.0) == []


def test_in_file_overlap_refuses_the_whole_file(district: Session, tmp_path: Path):
    before = district.execute(text("SELECT count(*) FROM parcel")).scalar_one()
    path = write_shp(tmp_path, [gk_box(100, 100), gk_box(200, 100), gk_box(150, 300),
                                gk_box(150, 350)], {"宗地名称": ["a", "b", "c", "d"]})
    with pytest.raises(ImportRefused) as caught:
        do_import(district, path)
    problems = [(p.row, p.reason) for p in caught.value.report.problems]
    assert problems == [(4, "与文件第 3 行重叠 5000.0 m²")]
    assert district.execute(text("SELECT count(*) FROM parcel")).scalar_one() == before


def test_new_parcels_get_the_subdistrict_of_their_point_on_surface(district: Session,
                                                                   tmp_path: Path):
    # three of the four 2 km x 1 km sub-districts (factories.py)
    path = write_shp(tmp_path, [gk_box(100, 100), gk_box(2500, 100), gk_box(300, 1500)],
                     {"宗地名称": ["w", "e", "w2"]})
    report = do_import(district, path)
    assert report.created == 3
    wrong = district.execute(text("""
        SELECT count(*) FROM parcel p JOIN land_unit l USING (unit_code)
        WHERE p.valid_to IS NULL AND l.subdistrict_id IS DISTINCT FROM (
            SELECT c.id FROM cadastral_subdistrict c
            WHERE ST_Intersects(c.geom, ST_PointOnSurface(p.geom)) ORDER BY c.id LIMIT 1)
    """)).scalar_one()
    assert wrong == 0


def test_audit_rows_are_to_jsonb_of_the_row(district: Session, tmp_path: Path):
    """0015 renders geometry with ST_AsGeoJSON instead of to_jsonb: the rows are equal."""
    report = do_import(district, write_shp(tmp_path / "a", [gk_box(100, 100), gk_box(300, 100)],
                                           {"宗地名称": ["甲", "乙"]}))
    kept, edited = report.new_codes[1], report.new_codes[2]
    for change in ("note = '改'", "valid_to = now()"):  # an update, then a retirement
        district.execute(text(f"UPDATE parcel SET {change} "
                              "WHERE unit_code = :c AND valid_to IS NULL"), {"c": edited})
    audit = district.execute(text("""
        SELECT a.entity_key, a.action, a.after = to_jsonb(p)
        FROM audit_event a JOIN parcel p ON p.id = (a.after ->> 'id')::bigint
        WHERE a.entity = 'parcel' AND a.entity_key IN (:k, :e) ORDER BY a.id
    """), {"k": kept, "e": edited}).all()
    # the kept parcel's creation and the edited one's retirement are the rows as stored
    assert (kept, "create", True) in audit and (edited, "retire", True) in audit
    assert [a for _, a, _ in audit] == ["create", "create", "update", "retire"]
    expression = district.execute(text("SELECT audit_row_json('parcel'::regclass, 'r')")
                                  ).scalar_one()
    assert "ST_AsGeoJSON(r.geom, 15, 2)::jsonb" in expression
    differing = district.execute(text(  # every stored version, history rows included
        f"SELECT count(*) FROM parcel r WHERE {expression} IS DISTINCT FROM to_jsonb(r)"
    )).scalar_one()
    assert differing == 0
    assert district.execute(text("SELECT audit_row_json('land_unit'::regclass, 'r')")
                            ).scalar_one() == "to_jsonb(r)"
