"""Evidence files: hashed round trip, refusals that leave nothing behind, tampering."""

from __future__ import annotations

import hashlib
from urllib.parse import quote

import pytest
from sqlalchemy import text

from landgov.auth.principal import Principal
from landgov.governance.cases import service
from tests.evaluation.conftest import YEAR
from tests.governance.cases.conftest import EVIDENCE_LIMIT, case_of

PDF = b"%PDF-1.4\n% landgov test\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def case_id(listed, district):
    service.open_from_list(district, Principal("user", "s", "data_steward"), YEAR, None)
    return case_of(district, listed["dirty"])


def stored(root):
    """Every file under the evidence directory (temporary ones included)."""
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def rows(db):
    return db.execute(text("SELECT count(*) FROM governance_case_evidence")).scalar_one()


def post(client, case_id, files, to_state="已列入", **data):
    return client.post(f"/api/v1/cases/{case_id}/transitions",
                       data={"to_state": to_state, "event_date": service.today().isoformat(),
                             "note": "附核实材料", **data},
                       files=[("files", f) for f in files])


def test_upload_and_download_round_trip(case_id, as_role, district, evidence_dir):
    steward = as_role("data_steward")
    res = post(steward, case_id, [("核实报告 (盖章).pdf", PDF, "application/pdf"),
                                  ("C:\\现场\\照片.png", PNG, "image/png")])
    assert res.status_code == 200, res.text
    files = res.json()["evidence"]
    assert [f["original_name"] for f in files] == ["核实报告 (盖章).pdf", "照片.png"]
    assert files[0]["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert files[0]["size_bytes"] == len(PDF) and files[0]["media_type"] == "application/pdf"
    assert files[1]["media_type"] == "image/png"
    assert files[0]["event_id"] == res.json()["events"][-1]["id"]
    sha = files[0]["sha256"]
    assert (evidence_dir / sha[:2] / sha).read_bytes() == PDF
    got = steward.get(files[0]["url"])
    assert got.status_code == 200 and got.content == PDF
    assert got.headers["content-type"] == "application/pdf"
    assert f"filename*=UTF-8''{quote('核实报告 (盖章).pdf')}" in got.headers["content-disposition"]
    # an officer of the case's town may read it; another role without cases:read may not
    assert as_role("town_officer").get(files[0]["url"]).status_code == 200
    assert as_role("investment").get(files[0]["url"]).status_code == 403
    assert steward.get(f"/api/v1/cases/{case_id}/evidence/999999").status_code == 404


def test_the_same_bytes_are_stored_once(case_id, as_role, district, evidence_dir):
    steward = as_role("data_steward")
    assert post(steward, case_id, [("a.pdf", PDF, "application/pdf")]).status_code == 200
    assert post(steward, case_id, [("b.pdf", PDF, "application/pdf")], to_state="腾退中",
                ).status_code == 200
    assert rows(district) == 2
    assert [p.name for p in stored(evidence_dir)] == [hashlib.sha256(PDF).hexdigest()]


def test_a_tampered_file_is_not_served(case_id, as_role, evidence_dir):
    steward = as_role("data_steward")
    url = post(steward, case_id, [("a.pdf", PDF, "application/pdf")]).json()["evidence"][0]["url"]
    stored(evidence_dir)[0].write_bytes(PDF.replace(b"test", b"TEST"))
    res = steward.get(url)
    assert res.status_code == 500 and "哈希不符" in res.json()["detail"]


@pytest.mark.parametrize(("name", "content", "status", "words"), [
    ("big.pdf", b"%PDF-" + b"x" * EVIDENCE_LIMIT, 413, "上限"),
    ("tool.exe", b"MZ\x90\x00", 422, "类型不允许"),
    ("fake.pdf", PNG, 422, "不符"),
    ("empty.png", b"", 422, "为空"),
], ids=["oversize", "forbidden-type", "content-mismatch", "empty"])
def test_refused_files_leave_nothing(case_id, as_role, district, evidence_dir, name, content,
                                     status, words):
    steward = as_role("data_steward")
    res = post(steward, case_id, [("ok.pdf", PDF, "application/pdf"),
                                  (name, content, "application/octet-stream")])
    assert res.status_code == status, res.text
    assert words in res.json()["detail"]
    assert rows(district) == 0 and stored(evidence_dir) == []
    detail = steward.get(f"/api/v1/cases/{case_id}").json()
    assert detail["state"] == "待核实" and len(detail["events"]) == 1


def test_a_refused_transition_keeps_no_file(case_id, as_role, district, evidence_dir):
    res = post(as_role("data_steward"), case_id, [("a.pdf", PDF, "application/pdf")],
               to_state="已出清")
    assert res.status_code == 409
    assert rows(district) == 0 and stored(evidence_dir) == []
    officer = post(as_role("town_officer"), case_id, [("a.pdf", PDF, "application/pdf")])
    assert officer.status_code == 403 and stored(evidence_dir) == []


def test_a_failed_commit_removes_the_placed_file(case_id, district, evidence_dir, monkeypatch):
    steward = Principal("user", "s", "data_steward")
    req = service.TransitionRequest("已列入", service.today(), "附件")

    def broken_commit():
        raise RuntimeError("connection lost at commit")

    monkeypatch.setattr(district, "commit", broken_commit)
    import io
    with pytest.raises(RuntimeError):
        service.transition(district, steward, case_id, req, [("a.pdf", io.BytesIO(PDF))])
    monkeypatch.undo()
    assert rows(district) == 0 and stored(evidence_dir) == []


def test_case_uploads_have_their_own_body_limit(case_id, district, monkeypatch):
    from fastapi.testclient import TestClient

    from landgov.app import create_app
    from landgov.auth.service import create_key
    from landgov.db import get_session
    from landgov.settings import get_settings

    monkeypatch.setenv("LANDGOV_MAX_REQUEST_BYTES", "1000")
    monkeypatch.setenv("LANDGOV_CASE_UPLOAD_MAX_BYTES", "100000")
    get_settings.cache_clear()
    app = create_app()
    app.dependency_overrides[get_session] = lambda: district
    key = create_key(district, "测试", "data_steward", None)
    with TestClient(app, headers={"X-API-Key": key}) as client:
        res = post(client, case_id, [("a.pdf", PDF + b"0" * 1500, "application/pdf")])
        assert res.status_code == 200, res.text
        other = client.post("/api/v1/parcels", content=b"{" + b" " * 1500 + b"}",
                            headers={"content-type": "application/json"})
        assert other.status_code == 413


def test_openapi_documents_the_upload(app, anon):
    doc = anon.get("/openapi.json").json()
    op = doc["paths"]["/api/v1/cases/{case_id}/transitions"]["post"]
    assert "multipart/form-data" in op["requestBody"]["content"]
    assert anon.get("/api/v1/cases/1").status_code == 401
