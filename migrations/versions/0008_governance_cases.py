"""Governance cases (治理案件): state machine, events, evidence files.

(Slot reserved; filled in by the issue that builds it.)

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-25
"""

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
