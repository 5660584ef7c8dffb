"""Who is asking: a logged-in user or a machine key, with its role and town scope."""

from __future__ import annotations

from dataclasses import dataclass

from landgov.auth.permissions import ROLES, Permission


@dataclass(frozen=True)
class Principal:
    """An authenticated caller."""

    kind: str  # "user" or "api_key"
    name: str
    role: str
    town_code: str | None = None

    @property
    def actor(self) -> str:
        """How the audit trail names this caller."""
        return f"{self.kind}:{self.name}"

    @property
    def scope_town(self) -> str | None:
        """The town this caller is confined to, if its role is town-scoped."""
        return self.town_code if ROLES[self.role].town_scoped else None

    def may(self, permission: Permission) -> bool:
        """Whether the role grants ``permission``."""
        return permission in ROLES[self.role].permissions
