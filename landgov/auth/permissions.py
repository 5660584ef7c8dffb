"""Roles and what each may do: the one table every route's guard reads.

Routes name a permission, never a role, so adding a role or widening one is a change
here only. Later domains add their permissions and grant them here.

>>> Permission.PARCELS_WRITE in ROLES["land_editor"].permissions
True
>>> Permission.PARCELS_WRITE in ROLES["planner"].permissions
False
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Permission(StrEnum):
    """An action on a kind of record."""

    ACCOUNT_READ = "account:read"
    PARCELS_READ = "parcels:read"
    PARCELS_WRITE = "parcels:write"
    REGIONS_READ = "regions:read"
    CODES_READ = "codes:read"
    AUDIT_READ = "audit:read"
    EVALUATION_READ = "evaluation:read"
    EVALUATION_RUN = "evaluation:run"
    GOVERNANCE_WRITE = "governance:write"
    INDICATORS_WRITE = "indicators:write"
    IMPORTS = "imports:write"
    EXPORTS = "exports:read"
    CASES_READ = "cases:read"
    RECLAMATION_READ = "reclamation:read"
    RECLAMATION_WRITE = "reclamation:write"
    CONTROL_LINE_READ = "controlline:read"
    CONTROL_LINE_WRITE = "controlline:write"
    ZONES_READ = "zones:read"
    ZONES_BUILD = "zones:build"
    INVESTMENT_READ = "investment:read"
    PROJECTS_WRITE = "projects:write"


@dataclass(frozen=True)
class Role:
    """A role: its Chinese label, its permissions, whether it is scoped to one town."""

    label: str
    permissions: frozenset[Permission]
    town_scoped: bool = False


_BASE = frozenset({Permission.ACCOUNT_READ, Permission.REGIONS_READ, Permission.CODES_READ})
_READER = _BASE | {Permission.PARCELS_READ, Permission.EVALUATION_READ, Permission.CASES_READ,
                   Permission.RECLAMATION_READ, Permission.CONTROL_LINE_READ,
                   Permission.ZONES_READ, Permission.INVESTMENT_READ}
# 招商局 sees what it offers to investors: zones, available plots, projects, chains —
# not the firms' evaluation or the governance cases.
_INVESTMENT = _BASE | {Permission.ZONES_READ, Permission.INVESTMENT_READ,
                       Permission.PROJECTS_WRITE}
# Bulk export (whole layers as files) is for the offices that work with the data;
# viewers and 招商 read through the API and maps only.
_EXPORTER = _READER | {Permission.EXPORTS}

ROLES: dict[str, Role] = {
    "admin": Role("系统管理员", frozenset(Permission)),
    "land_editor": Role("自然资源局 宗地编辑",
                        _EXPORTER | {Permission.PARCELS_WRITE, Permission.IMPORTS,
                                     Permission.RECLAMATION_WRITE,
                                     Permission.CONTROL_LINE_WRITE, Permission.ZONES_BUILD}),
    "data_steward": Role("经信局 数据管理",
                         _EXPORTER | {Permission.EVALUATION_RUN, Permission.GOVERNANCE_WRITE,
                                    Permission.INDICATORS_WRITE}),
    "town_officer": Role("镇街 工作人员",
                         _EXPORTER | {Permission.GOVERNANCE_WRITE, Permission.RECLAMATION_WRITE},
                         town_scoped=True),
    "planner": Role("规划人员", _EXPORTER | {Permission.ZONES_BUILD}),
    "investment": Role("招商局", _INVESTMENT),
    "viewer": Role("只读用户", _READER),
}
