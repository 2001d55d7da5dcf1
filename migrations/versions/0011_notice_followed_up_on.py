"""the day the outreach follow-up last looked at a notice (one look a day instead of one per pass);
case_id index partial

Revision ID: 0011
Revises: 0010
"""

from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.add_column(sa.Column('followed_up_on', sa.Date(), nullable=True))
        batch_op.create_index('ix_notice_followed_up_on', ['followed_up_on'], unique=False)
        # Partial, so the NULLs of notices that are their own case do not make the planner scan the table.
        batch_op.drop_index('ix_notice_case_id')
        batch_op.create_index('ix_notice_case_id', ['case_id'], unique=False,
                              sqlite_where=sa.text('case_id IS NOT NULL'),
                              postgresql_where=sa.text('case_id IS NOT NULL'))


def downgrade() -> None:
    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.drop_index('ix_notice_case_id')
        batch_op.create_index('ix_notice_case_id', ['case_id'], unique=False)
        batch_op.drop_index('ix_notice_followed_up_on')
        batch_op.drop_column('followed_up_on')
