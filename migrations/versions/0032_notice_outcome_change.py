"""notice_outcome_change: each move of a notice's outcome and why (outreach.notices.state); notice.sender_protected:
the sender's own protected-identity flag, kept apart from `protected` (handled as protected, from any source)

Notices stored before this migration keep sender_protected NULL: which of their sources set `protected` was not
kept, so it is left unknown rather than guessed. Their earlier moves were not recorded either; none are made up.

Revision ID: 0032
Revises: 0035
"""

from alembic import op
import sqlalchemy as sa

import portal.db  # noqa: F401  (custom column types)


revision = '0032'
down_revision = '0035'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('notice_outcome_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('notice_id', sa.Integer(), nullable=False),
    sa.Column('previous', sa.String(length=20), nullable=True),
    sa.Column('outcome', sa.String(length=20), nullable=False),
    sa.Column('why', sa.Text(), nullable=False),
    sa.Column('at', portal.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['notice_id'], ['notice.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('notice_outcome_change', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notice_outcome_change_notice_id'), ['notice_id'], unique=False)
    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sender_protected', sa.Boolean(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.drop_column('sender_protected')
    with op.batch_alter_table('notice_outcome_change', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notice_outcome_change_notice_id'))
    op.drop_table('notice_outcome_change')
