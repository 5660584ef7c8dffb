"""``landgov brochure plot|zone CODE --out FILE`` against the committed test district."""

from sqlalchemy.orm import Session

from landgov.parcels.schemas import ParcelCreate
from landgov.parcels.service import create_parcel
from tests.auth.test_cli import run
from tests.factories import geojson, metres_box


def test_brochure_pdf_on_disk_and_bad_input(committing, commit_database, tmp_path):
    with Session(committing) as s:
        code = create_parcel(s, ParcelCreate(geometry=geojson(metres_box(200, 300, 300, 300)),
                                             status="idle")).unit_codes[0]
    out = tmp_path / "b.pdf"
    res = run(commit_database, "brochure", "plot", code, "--out", str(out))
    assert res.returncode == 0, res.stderr
    assert out.read_bytes().startswith(b"%PDF-") and code.encode() in out.read_bytes()
    missing = run(commit_database, "brochure", "zone", "ZB999-1", "--out", str(tmp_path / "z"))
    assert missing.returncode == 2 and "ZB999-1 不存在" in missing.stderr
    assert len(missing.stderr.strip().splitlines()) == 1 and not (tmp_path / "z").exists()
