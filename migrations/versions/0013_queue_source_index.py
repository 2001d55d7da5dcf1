"""index of the open queue by source and deadline, for the queue page's source filter

Revision ID: 0013
Revises: 0012
"""

from alembic import op


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('intake_item', schema=None) as batch_op:
        batch_op.create_index('ix_intake_item_open_source_due', ['is_open', 'source', 'due_on', 'id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('intake_item', schema=None) as batch_op:
        batch_op.drop_index('ix_intake_item_open_source_due')
