"""the follow-up's next day per notice (the daily sweep reads only what is due, not every open notice);
followed_up_on goes; the reception's extra times per day and the days a capacity warning was e-mailed

Revision ID: 0033
Revises: 0032
"""

from alembic import op
import sqlalchemy as sa

import portal.db  # noqa: F401  (custom column types)


revision = '0033'
down_revision = '0032'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'booking_extra_session',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('starts', sa.String(length=5), nullable=False),
        sa.Column('ends', sa.String(length=5), nullable=False),
        sa.Column('places', sa.Integer(), nullable=False),
        sa.Column('reason', sa.String(length=200), nullable=False),
        sa.Column('created_by', sa.String(length=100), nullable=False),
        sa.Column('created_at', portal.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_booking_extra_session')),
    )
    with op.batch_alter_table('booking_extra_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_booking_extra_session_day'), ['day'], unique=False)
    op.create_table(
        'booking_capacity_warning',
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('sent_at', portal.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('recipients', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('day', name=op.f('pk_booking_capacity_warning')),
    )
    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.add_column(sa.Column('next_check_on', sa.Date(), nullable=True))
        batch_op.create_index('ix_notice_next_check_on', ['next_check_on'], unique=False)
        batch_op.drop_index('ix_notice_followed_up_on')
        batch_op.drop_column('followed_up_on')
    # Every undecided notice is looked at by the first sweep after the upgrade (its received day has passed),
    # which works out its real next day.
    op.execute(sa.text('UPDATE notice SET next_check_on = received_date '
                       'WHERE decision IS NULL AND superseded = :false AND pipeline_due = :false')
               .bindparams(false=False))


def downgrade() -> None:
    op.drop_table('booking_capacity_warning')
    with op.batch_alter_table('booking_extra_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_booking_extra_session_day'))
    op.drop_table('booking_extra_session')
    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.add_column(sa.Column('followed_up_on', sa.Date(), nullable=True))
        batch_op.create_index('ix_notice_followed_up_on', ['followed_up_on'], unique=False)
        batch_op.drop_index('ix_notice_next_check_on')
        batch_op.drop_column('next_check_on')
