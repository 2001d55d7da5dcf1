"""index of unread messages, for the queue page's list of residents who wrote

Revision ID: 0012
Revises: 0011
"""

from alembic import op


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('application_message', schema=None) as batch_op:
        batch_op.create_index('ix_application_message_unread', ['read_at', 'author'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('application_message', schema=None) as batch_op:
        batch_op.drop_index('ix_application_message_unread')
