"""CSV for spreadsheets: UTF-8 with a BOM (Excel on Chinese Windows reads it as UTF-8)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from landgov.tables import Table

BOM = "\ufeff".encode()


def csv_chunks(table: Table, rows_per_chunk: int = 2000) -> Iterator[bytes]:
    """The table as CSV, produced in chunks so a long list streams."""
    yield BOM
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    headers = [f"{c.group}-{c.header}" if c.group else c.header for c in table.columns]
    writer.writerow(["序号", *headers] if table.numbered else headers)
    for n, row in enumerate(table.rows, start=1):
        values = [c.value(row) for c in table.columns]
        writer.writerow([n, *values] if table.numbered else values)
        if n % rows_per_chunk == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")
