"""booking_event: each booking's history (booked, picked, moved, cancelled, cancelled online, attended, no-show)
for the notice's timeline

Revision ID: 0030
Revises: 0019
"""

from alembic import op
import sqlalchemy as sa

import portal.db  # noqa: F401  (custom column types)


revision = '0030'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'booking_event',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('booking_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=30), nullable=False),
        sa.Column('starts_at', portal.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column('actor', sa.String(length=100), nullable=False),
        sa.Column('at', portal.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['booking_id'], ['booking.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('booking_event', schema=None) as batch_op:
        batch_op.create_index('ix_booking_event_booking_id', ['booking_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('booking_event', schema=None) as batch_op:
        batch_op.drop_index('ix_booking_event_booking_id')
    op.drop_table('booking_event')
