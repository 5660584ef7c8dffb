"""The demo data as COPY rows: one list per table, NULLs as ``None``.

Pure: geometry is turned into hex EWKB in EPSG:4490 here (vectorised, all counties at
once), so the loader only streams rows. Column lists are kept next to the rows they
describe, so the two cannot drift apart.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from landgov.demo.catalogue import INDUSTRIES, PLATFORMS, TOWNS
from landgov.demo.dataset import DemoData
from landgov.demo.indicators import COLUMNS
from landgov.demo.layout import District, parcel_hex, shifted, storage_hex

Row = tuple[Any, ...]


@dataclass(frozen=True)
class Table:
    """Rows for one ``COPY table (columns) FROM STDIN``."""

    name: str
    columns: tuple[str, ...]
    rows: Sequence[Row]

    def copy_sql(self) -> str:
        """The COPY statement (names are fixed here, never user input)."""
        return f"COPY {self.name} ({', '.join(self.columns)}) FROM STDIN"


def nullable(values: npt.NDArray[Any]) -> list[Any]:
    """A column as Python values, NaN / NaT / '' becoming ``None``."""
    if np.issubdtype(values.dtype, np.datetime64):
        return [None if v == "NaT" else v for v in values.astype(str).tolist()]
    if np.issubdtype(values.dtype, np.floating):
        return [None if math.isnan(v) else v for v in values.tolist()]
    return [v if v != "" else None for v in values.tolist()]


def region_tables(district: District) -> list[Table]:
    """county, town, platform and cadastral_subdistrict rows of every county frame."""
    fr = district.frame
    counties = district.counties
    code = np.array([c.code for c in counties])
    real = code == counties[0].code
    label = np.where(real, "", np.array([c.name for c in counties]))
    _, outlines = shifted(np.array([fr.outline], dtype=object), district)
    county_rows = list(zip(code.tolist(), [c.name for c in counties],
                           storage_hex(outlines).tolist(), strict=True))
    return [Table("county", ("code", "name", "geom"), county_rows),
            _towns(district, code, label), _platforms(district, code, real, label),
            _subdistricts(district, code)]


def _towns(district: District, code: npt.NDArray[np.str_],
           label: npt.NDArray[np.str_]) -> Table:
    county, geoms = shifted(district.frame.towns, district)
    number = np.tile(np.arange(1, len(TOWNS) + 1), len(district.counties))
    district_code = np.char.zfill(number.astype(str), 3)
    names = np.char.add(label[county], np.tile(np.array([t[0] for t in TOWNS]),
                                                len(district.counties)))
    rows = zip(np.char.add(code[county], district_code).tolist(), names.tolist(),
               code[county].tolist(), district_code.tolist(), storage_hex(geoms).tolist(),
               strict=True)
    return Table("town", ("code", "name", "county_code", "cadastral_district", "geom"),
                 list(rows))


def _platforms(district: District, code: npt.NDArray[np.str_], real: npt.NDArray[np.bool_],
               label: npt.NDArray[np.str_]) -> Table:
    county, geoms = shifted(district.frame.platforms, district)
    spec = [PLATFORMS[i % len(PLATFORMS)] for i in range(len(county))]
    codes = [p.code if real[c] else f"{p.code}-{code[c]}" for p, c in zip(spec, county,
                                                                         strict=True)]
    names = [f"{label[c]}{p.name}" for p, c in zip(spec, county, strict=True)]
    rows = zip(codes, names, [p.kind for p in spec], storage_hex(geoms).tolist(), strict=True)
    return Table("platform", ("code", "name", "kind", "geom"), list(rows))


def _subdistricts(district: District, code: npt.NDArray[np.str_]) -> Table:
    subs = district.frame.subdistricts
    county, geoms = shifted(subs.geoms, district)
    n = len(district.counties)
    rows = zip(code[county].tolist(),
               np.tile(np.char.zfill((subs.town + 1).astype(str), 3), n).tolist(),
               np.tile(np.char.zfill(subs.number.astype(str), 3), n).tolist(),
               storage_hex(geoms).tolist(), strict=True)
    return Table("cadastral_subdistrict", ("county_code", "district", "subdistrict", "geom"),
                 list(rows))


def parcel_table(data: DemoData) -> Table:
    """Staged parcels, keyed by their position ``k`` in the district."""
    p = data.parcels
    columns = (np.arange(len(p.status)).tolist(), parcel_hex(data.district).tolist(),
               *(nullable(a) for a in (p.name, p.land_use_code, p.land_use_vintage,
                                       p.land_right_type, p.right_start, p.right_end,
                                       p.status, p.note)))
    return Table("demo_parcel", ("k", "geom", "name", "land_use_code", "land_use_vintage",
                                 "land_right_type", "right_start_date", "right_end_date",
                                 "status", "note"), list(zip(*columns, strict=True)))


def firm_table(data: DemoData) -> Table:
    """Staged enterprises, keyed by firm number ``k``."""
    f = data.firms
    industry = [INDUSTRIES[i] for i in f.industry.tolist()]
    columns = (range(len(industry)), f.uscc.tolist(), f.name.tolist(),
               [i.code for i in industry], [i.name for i in industry],
               [i.chain for i in industry], [i.link for i in industry],
               nullable(f.founded), nullable(f.production_start))
    return Table("demo_firm", ("k", "uscc", "name", "industry_code", "industry_name", "chain",
                               "chain_link", "founded_on", "production_start_on"),
                 list(zip(*columns, strict=True)))


def occupancy_table(data: DemoData) -> Table:
    """Staged occupancy rows: parcel ``k``, firm ``k``, share, tenure, dates."""
    use = data.use
    start, end = data.occupancy_dates()
    columns = (range(len(use.occ_firm)), use.occ_parcel.tolist(), use.occ_firm.tolist(),
               use.occ_share.tolist(), use.occ_tenure.tolist(), nullable(start), nullable(end))
    return Table("demo_occupancy", ("k", "parcel_k", "firm_k", "share", "tenure", "start_date",
                                    "end_date"), list(zip(*columns, strict=True)))


def indicator_table(data: DemoData) -> Table:
    """Staged yearly figures, keyed by firm ``k`` and year."""
    ind = data.indicators
    values = [nullable(ind.values[c]) for c in COLUMNS]
    employees = COLUMNS.index("employees")
    values[employees] = [None if v is None else int(v) for v in values[employees]]
    columns = (ind.firm.tolist(), ind.year.tolist(), ind.above_scale.tolist(), *values)
    return Table("demo_indicator", ("firm_k", "year", "above_scale", *COLUMNS),
                 list(zip(*columns, strict=True)))


def chunks(rows: Sequence[Row], size: int) -> Iterator[Sequence[Row]]:
    """``rows`` in slices of ``size`` (progress is reported per slice)."""
    for start in range(0, len(rows), size):
        yield rows[start:start + size]
