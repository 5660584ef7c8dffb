"""Validation of either kind of code, told apart by length."""

from __future__ import annotations

from dataclasses import dataclass, field

from landgov.coding import unit_code, uscc
from landgov.errors import FieldError

KIND_LABEL = {"unit_code": "不动产单元代码", "uscc": "统一社会信用代码"}


@dataclass(frozen=True)
class Validation:
    """What validating one code found."""

    code: str
    kind: str
    errors: list[FieldError]
    parts: dict[str, str] = field(default_factory=dict)

    @property
    def valid(self) -> bool:
        """Whether no error was found."""
        return not self.errors

    @property
    def kind_label(self) -> str:
        """Chinese name of the code's kind."""
        return KIND_LABEL[self.kind]


def validate_code(code: str) -> Validation:
    """Validate a 28-character unit code, or else treat ``code`` as a USCC.

    >>> validate_code("330602004012GB00037W00000000").parts["sequence"]
    '00037'
    >>> validate_code("91330602MA2BCDEF1D").errors[0].position
    18
    """
    if len(code) == unit_code.LENGTH:
        errors = unit_code.validate_unit_code(code)
        parts = {} if errors else {
            "county": code[0:6], "district": code[6:9], "subdistrict": code[9:12],
            "feature": code[12:14], "sequence": code[14:19], "fixture": code[19:28],
        }
        return Validation(code, "unit_code", errors, parts)
    if len(code) == uscc.LENGTH:
        errors = uscc.validate_uscc(code)
        parts = {} if errors else {
            "registration_authority": code[0], "entity_type": code[1],
            "admin_code": code[2:8], "organisation_code": code[8:17], "check": code[17],
        }
        return Validation(code, "uscc", errors, parts)
    reason = (f"长度 {len(code)} 既不是不动产单元代码的 {unit_code.LENGTH} 位, "
              f"也不是统一社会信用代码的 {uscc.LENGTH} 位")
    return Validation(code, "unit_code" if len(code) > 20 else "uscc",
                      [FieldError("code", reason)])
