"""50 clients update the same parcel over HTTP with If-Match: one winner per version,
the rest get 412, no gap in the history, no lost update."""

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import httpx
from sqlalchemy import text
from sqlalchemy.orm import Session

from landgov.auth.service import create_key
from tests.factories import geojson, metres_box
from tests.reliability.conftest import live_server

CLIENTS = 50
MAX_ATTEMPTS = 400


def test_fifty_writers_on_one_parcel(committing, commit_database):
    with Session(committing) as s:
        key = create_key(s, "并发测试", "land_editor")
    headers = {"X-API-Key": key}
    with live_server(commit_database.app_url) as base:
        created = httpx.post(f"{base}/api/v1/parcels", headers=headers, timeout=30,
                             json={"geometry": geojson(metres_box(100, 100, 100, 100)), "note": ""})
        assert created.status_code == 201, created.text
        code = created.json()["unit_codes"][0]
        url = f"{base}/api/v1/parcels/{code}"
        wins: list[int] = []
        refusals = Counter()
        lock = threading.Lock()
        start = threading.Barrier(CLIENTS)

        def writer(i: int) -> None:
            with httpx.Client(headers=headers, timeout=30) as http:
                start.wait()
                for _ in range(MAX_ATTEMPTS):
                    current = http.get(url)
                    version = int(current.headers["etag"].strip('"'))
                    note = current.json()["properties"]["note"] or ""
                    res = http.patch(url, headers={"If-Match": f'"{version}"'},
                                     json={"note": f"{note}[{i}]"})
                    with lock:
                        if res.status_code == 200:
                            wins.append(version)
                            return
                        refusals[res.status_code] += 1
                    assert res.status_code == 412, res.text
                raise AssertionError(f"client {i} never won")

        with ThreadPoolExecutor(CLIENTS) as pool:
            list(pool.map(writer, range(CLIENTS)))

    assert sorted(wins) == list(range(1, CLIENTS + 1))  # exactly one winner per version
    assert set(refusals) <= {412}
    with committing.connect() as conn:
        versions = conn.execute(text("SELECT version FROM parcel WHERE unit_code = :c ORDER BY version"),
                                {"c": code}).scalars().all()
        note = conn.execute(text("SELECT note FROM parcel WHERE unit_code = :c AND valid_to IS NULL"),
                            {"c": code}).scalar()
    assert versions == list(range(1, CLIENTS + 2))  # no gap
    assert sorted(int(x) for x in note.strip("[]").split("][")) == list(range(CLIENTS))  # no lost update
