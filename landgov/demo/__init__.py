"""The seeded demo district (``landgov demo load``).

Pure generation, in the order the data is built:

* ``catalogue`` — towns, platforms, industries and names the district is drawn from;
* ``areas`` — outline, towns, platforms, industrial zones, 地籍子区 (EPSG:4549);
* ``blocks`` — street grids and the parcels cut from their blocks;
* ``layout`` — the district frame, repeated as synthetic counties for large requests;
* ``occupancy`` — status, low-efficiency blocks, who uses which parcel and how much;
* ``enterprises`` — industry, chain, profile, dates, names, USCC of every firm;
* ``indicators`` — 2023–2025 figures, with planted data-quality cases;
* ``parcel_records`` — the parcel register's columns; ``dataset`` ties it together.

Writing: ``rows`` (COPY rows, geometry in EPSG:4490), ``loader`` + ``sql/`` (COPY and
set-based inserts in one transaction), ``cli`` (the Typer command with progress bars).
"""
