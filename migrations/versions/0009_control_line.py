"""工业用地控制线 ledger (改一补一 / 先补后占), checked by a constraint trigger.

(Slot reserved; filled in by the issue that builds it.)

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-25
"""

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
