"""GB/T 37346-2019 不动产单元代码 — the "一码" of 一码管地.

A code is 28 characters::

    330602 004 012 GB 00037 W00000000
    county 地籍区 地籍子区 宗地特征码 宗地顺序号 定着物单元

Validation names the first bad position (1-based) and why, because officers type
these codes from paper and need to know which character to look at.

>>> code = UnitCode("330602", "004", "012", "GB", 37)
>>> str(code)
'330602004012GB00037W00000000'
>>> validate_unit_code(str(code))
[]
>>> [e.reason for e in validate_unit_code("330602004012GQ00037W00000000")]
['宗地特征码第二位 Q 不是已定义的宗地类型 (A B C D E F H L N S W X Y)']
"""

from __future__ import annotations

from dataclasses import dataclass

from landgov.errors import FieldError, InvalidCode

LENGTH = 28
OWNERSHIP = {"G": "国家土地所有权", "J": "集体土地所有权", "Z": "土地所有权争议"}
PARCEL_KIND = {
    "A": "集体土地所有权宗地",
    "B": "建设用地使用权宗地(地表)",
    "S": "建设用地使用权宗地(地上)",
    "X": "建设用地使用权宗地(地下)",
    "C": "宅基地使用权宗地",
    "D": "土地承包经营权宗地(耕地)",
    "E": "林地使用权宗地(承包经营以外)",
    "L": "林地承包经营权宗地",
    "N": "农用地其他使用权宗地",
    "F": "草原",
    "H": "海域",
    "W": "使用权未确定或有争议",
    "Y": "其他",
}
FIXTURE_KIND = {"W": "无定着物", "F": "房屋等建筑物", "L": "森林林木", "Q": "其他定着物"}
LAND_ONLY = "W00000000"


@dataclass(frozen=True)
class UnitCode:
    """The parts of a unit code; ``str()`` gives the 28-character code."""

    county: str
    district: str
    subdistrict: str
    feature: str
    sequence: int
    fixture: str = LAND_ONLY

    def __str__(self) -> str:
        return (f"{self.county}{self.district}{self.subdistrict}{self.feature}"
                f"{self.sequence:05d}{self.fixture}")

    @classmethod
    def parse(cls, code: str) -> UnitCode:
        """Split a code into parts, refusing it with the reasons when it is invalid."""
        errors = validate_unit_code(code)
        if errors:
            raise InvalidCode(f"不动产单元代码 {code!r} 无效: {errors[0].reason}", errors)
        return cls(code[0:6], code[6:9], code[9:12], code[12:14], int(code[14:19]), code[19:28])


def _digits(code: str, start: int, end: int, what: str) -> FieldError | None:
    for i in range(start, min(end, len(code))):
        if not ("0" <= code[i] <= "9"):
            return FieldError("unit_code", f"第 {i + 1} 位 {code[i]!r} 应为数字 ({what})", i + 1)
    return None


def _not_zero(code: str, start: int, end: int, what: str) -> FieldError | None:
    if set(code[start:end]) == {"0"}:
        return FieldError("unit_code", f"{what} 不能为全零", start + 1)
    return None


def _feature(code: str) -> list[FieldError]:
    out = []
    if code[12] not in OWNERSHIP:
        out.append(FieldError(
            "unit_code", f"宗地特征码第一位 {code[12]} 不是土地所有权类型 (G J Z)", 13))
    if code[13] not in PARCEL_KIND:
        out.append(FieldError("unit_code", f"宗地特征码第二位 {code[13]} 不是已定义的宗地类型 "
                              f"({' '.join(sorted(PARCEL_KIND))})", 14))
    return out


def _fixture(code: str) -> list[FieldError]:
    kind = code[19]
    if kind not in FIXTURE_KIND:
        return [FieldError("unit_code", f"定着物单元第一位 {kind} 应为 W F L Q 之一", 20)]
    bad = _digits(code, 20, 28, "定着物单元号")
    if bad:
        return [bad]
    if kind == "W" and code[19:] != LAND_ONLY:
        return [FieldError("unit_code", "无定着物 (W) 时定着物单元应为 W00000000", 21)]
    return []


def validate_unit_code(code: str) -> list[FieldError]:
    """All reasons ``code`` is not a valid 不动产单元代码; empty when it is valid."""
    if len(code) != LENGTH:
        return [FieldError("unit_code", f"长度应为 {LENGTH} 位, 实为 {len(code)} 位",
                           min(len(code), LENGTH) + 1 if len(code) < LENGTH else LENGTH + 1)]
    checks = [
        _digits(code, 0, 6, "县级行政区划代码"),
        _digits(code, 6, 9, "地籍区"),
        _digits(code, 9, 12, "地籍子区"),
        _digits(code, 14, 19, "宗地顺序号"),
    ]
    errors = [e for e in checks if e]
    if errors:
        return errors[:1] + _feature(code)
    zeros = [
        _not_zero(code, 0, 6, "县级行政区划代码"),
        _not_zero(code, 6, 9, "地籍区"),
        _not_zero(code, 9, 12, "地籍子区"),
        _not_zero(code, 14, 19, "宗地顺序号"),
    ]
    return [e for e in zeros if e] + _feature(code) + _fixture(code)
