import pytest
from hypothesis import given
from hypothesis import strategies as st

from landgov.coding.unit_code import (
    FIXTURE_KIND,
    OWNERSHIP,
    PARCEL_KIND,
    UnitCode,
    validate_unit_code,
)
from landgov.errors import InvalidCode

GOOD = "330602004012GB00037W00000000"


def test_hand_checked_example_parses_into_its_parts():
    code = UnitCode.parse(GOOD)
    assert (code.county, code.district, code.subdistrict) == ("330602", "004", "012")
    assert (code.feature, code.sequence, code.fixture) == ("GB", 37, "W00000000")
    assert str(code) == GOOD



@pytest.mark.parametrize(
    ("code", "position", "fragment"),
    [
        ("330602004012GB00037W0000000", 28, "长度"),
        ("3306020O4012GB00037W00000000", 8, "应为数字"),
        ("330602004012XB00037W00000000", 13, "所有权"),
        ("330602004012GQ00037W00000000", 14, "宗地类型"),
        ("330602004012GB00000W00000000", 15, "全零"),
        ("330602000012GB00037W00000000", 7, "全零"),
        ("330602004012GB00037W00000001", 21, "W00000000"),
        ("330602004012GB00037K00000000", 20, "W F L Q"),
        ("330602004012GB00037F0001000A", 28, "应为数字"),
    ],
)
def test_each_corruption_is_refused_with_position_and_reason(code, position, fragment):
    errors = validate_unit_code(code)
    assert errors, code
    assert errors[0].position == position
    assert fragment in errors[0].reason


def test_parse_refuses_with_domain_error():
    with pytest.raises(InvalidCode) as exc:
        UnitCode.parse("330602004012GQ00037W00000000")
    assert exc.value.errors[0].position == 14


digits = st.text(alphabet="0123456789", min_size=1, max_size=1)
codes = st.builds(
    UnitCode,
    county=st.integers(110000, 999999).map(str),
    district=st.integers(1, 999).map(lambda n: f"{n:03d}"),
    subdistrict=st.integers(1, 999).map(lambda n: f"{n:03d}"),
    feature=st.tuples(st.sampled_from(sorted(OWNERSHIP)), st.sampled_from(sorted(PARCEL_KIND))).map("".join),
    sequence=st.integers(1, 99999),
    fixture=st.one_of(
        st.just("W00000000"),
        st.tuples(st.sampled_from(sorted(set(FIXTURE_KIND) - {"W"})), st.integers(0, 99_999_999)).map(
            lambda t: f"{t[0]}{t[1]:08d}"
        ),
    ),
)


@given(codes)
def test_every_generated_code_validates_and_round_trips(code):
    text = str(code)
    assert len(text) == 28
    assert validate_unit_code(text) == []
    assert UnitCode.parse(text) == code


def test_building_unit_code_is_valid():
    assert validate_unit_code("330602004012GB00037F00010002") == []
