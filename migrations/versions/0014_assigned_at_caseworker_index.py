"""the assignment-time index holds the caseworker too, so the intake-meeting board counts recent cases from it

Revision ID: 0014
Revises: 0013
"""

from alembic import op


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('intake_item', schema=None) as batch_op:
        batch_op.create_index('ix_intake_item_assigned_at_caseworker', ['assigned_at', 'assigned_to_id'],
                              unique=False)
        batch_op.drop_index('ix_intake_item_assigned_at')


def downgrade() -> None:
    with op.batch_alter_table('intake_item', schema=None) as batch_op:
        batch_op.create_index('ix_intake_item_assigned_at', ['assigned_at'], unique=False)
        batch_op.drop_index('ix_intake_item_assigned_at_caseworker')
