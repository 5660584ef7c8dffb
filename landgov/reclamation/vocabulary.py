"""Code lists of the 盘活 ledger, each code with its Chinese label (DOMAIN.md).

The database checks a record's mode against the same list (migration 0010 reads it),
so a mode added here needs a migration that widens the check.
"""

from __future__ import annotations

# Ways land is brought back into use (DOMAIN.md "Modes of bringing land back").
MODES: dict[str, str] = {
    "purchase_reserve": "收购储备",
    "agreed_takeback": "协议收回",
    "self_renewal": "自主更新",
    "merger": "兼并重组",
    "redevelopment": "二次开发",
}

# Case states the ledger reads (names as in DOMAIN.md and governance/cases/workflow.py).
CLEARED = "已出清"
RECLAIMED = "已盘活"
