"""统一社会信用代码 (GB 32100-2015): the key that links a parcel to a firm.

Legacy spreadsheets are full of codes with a wrong check character, so validation
returns the computed one: the steward can see whether it is a typo in the last place.

>>> check_character("91350100M000100Y4")  # a published example, 91350100M000100Y43
'3'
>>> check_character("91330602MA2BCDEF1")
'Q'
>>> validate_uscc("91330602MA2BCDEF1Q")
[]
>>> validate_uscc("91330602MA2BCDEF1D")[0].reason
'校验码应为 Q, 实为 D'
"""

from __future__ import annotations

from landgov.errors import FieldError, InvalidCode

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
VALUE = {c: i for i, c in enumerate(ALPHABET)}
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
LENGTH = 18


def check_character(first17: str) -> str:
    """The check character for the first 17 characters (which must be in the alphabet)."""
    total = sum(VALUE[c] * w for c, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def validate_uscc(code: str) -> list[FieldError]:
    """All reasons ``code`` is not a valid USCC; empty when it is valid."""
    if len(code) != LENGTH:
        return [FieldError("uscc", f"长度应为 {LENGTH} 位, 实为 {len(code)} 位", None)]
    for i, c in enumerate(code):
        if c not in VALUE:
            hint = "(不使用 I O S V Z)" if c.upper() in "IOSVZ" else "(仅数字与大写字母)"
            return [FieldError("uscc", f"第 {i + 1} 位 {c!r} 不是允许的字符 {hint}", i + 1)]
    for i in range(2, 8):
        if not code[i].isdigit():
            return [FieldError("uscc", f"第 {i + 1} 位应为数字 (登记管理机关行政区划码)", i + 1)]
    expected = check_character(code[:17])
    if code[17] != expected:
        return [FieldError("uscc", f"校验码应为 {expected}, 实为 {code[17]}", 18)]
    return []


def require_uscc(code: str) -> str:
    """Return ``code`` when valid, else refuse it with the reason."""
    errors = validate_uscc(code)
    if errors:
        raise InvalidCode(f"统一社会信用代码 {code!r} 无效: {errors[0].reason}", errors)
    return code
