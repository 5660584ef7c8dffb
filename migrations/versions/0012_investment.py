"""Industry chains, investment projects (招商项目), available plots.

(Slot reserved; filled in by the issue that builds it.)

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-25
"""

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
