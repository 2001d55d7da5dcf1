"""intake queue work

Revision ID: 0004
Revises: 0003
"""

from alembic import op
import sqlalchemy as sa

import portal.db  # noqa: F401  (custom column types)


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('intake_meeting',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('started_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', portal.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['started_by_id'], ['staff_user.id'], name=op.f('fk_intake_meeting_started_by_id_staff_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_intake_meeting')),
    sa.UniqueConstraint('held_on', name=op.f('uq_intake_meeting_held_on'))
    )
    op.create_table('intake_delay_notice',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('expected_on', sa.Date(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('subject', sa.Text(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('sent_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', portal.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['item_id'], ['intake_item.id'], name=op.f('fk_intake_delay_notice_item_id_intake_item'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['sent_by_id'], ['staff_user.id'], name=op.f('fk_intake_delay_notice_sent_by_id_staff_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_intake_delay_notice'))
    )
    with op.batch_alter_table('intake_delay_notice', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_intake_delay_notice_item_id'), ['item_id'], unique=False)

    op.create_table('intake_handoff',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('handoff_id', sa.String(length=36), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('target', sa.String(length=500), nullable=True),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', portal.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('delivered_at', portal.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['item_id'], ['intake_item.id'], name=op.f('fk_intake_handoff_item_id_intake_item'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['requested_by_id'], ['staff_user.id'], name=op.f('fk_intake_handoff_requested_by_id_staff_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_intake_handoff')),
    sa.UniqueConstraint('handoff_id', name=op.f('uq_intake_handoff_handoff_id')),
    sa.UniqueConstraint('item_id', name=op.f('uq_intake_handoff_item_id'))
    )
    with op.batch_alter_table('intake_handoff', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_intake_handoff_status'), ['status'], unique=False)

    op.create_table('intake_meeting_decision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('caseworker_id', sa.Integer(), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=False),
    sa.Column('decided_at', portal.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['caseworker_id'], ['staff_user.id'], name=op.f('fk_intake_meeting_decision_caseworker_id_staff_user')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['staff_user.id'], name=op.f('fk_intake_meeting_decision_decided_by_id_staff_user')),
    sa.ForeignKeyConstraint(['item_id'], ['intake_item.id'], name=op.f('fk_intake_meeting_decision_item_id_intake_item'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['meeting_id'], ['intake_meeting.id'], name=op.f('fk_intake_meeting_decision_meeting_id_intake_meeting')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_intake_meeting_decision'))
    )
    with op.batch_alter_table('intake_meeting_decision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_intake_meeting_decision_item_id'), ['item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_intake_meeting_decision_meeting_id'), ['meeting_id'], unique=False)

    with op.batch_alter_table('intake_item', schema=None) as batch_op:
        batch_op.add_column(sa.Column('is_open', sa.Boolean(), nullable=False, server_default=sa.true()))
        batch_op.add_column(sa.Column('contact_name', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('contact_phone', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('contact_email', sa.String(length=254), nullable=True))
        batch_op.add_column(sa.Column('documents_complete_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('waiting_since', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('paused_working_days', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('due_on', sa.Date(), nullable=False, server_default='9999-12-31'))
        batch_op.add_column(sa.Column('warn_on', sa.Date(), nullable=False, server_default='9999-12-31'))
        batch_op.add_column(sa.Column('claimed_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('claimed_at', portal.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('assigned_to_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('assigned_at', portal.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('close_reason', sa.Text(), nullable=True))
        batch_op.create_index('ix_intake_item_assigned_state', ['assigned_to_id', 'state'], unique=False)
        batch_op.create_index(batch_op.f('ix_intake_item_assigned_at'), ['assigned_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_intake_item_claimed_by_id'), ['claimed_by_id'], unique=False)
        batch_op.create_index('ix_intake_item_open_due', ['is_open', 'due_on', 'id'], unique=False)
        batch_op.create_index('ix_intake_item_state_due', ['state', 'due_on', 'id'], unique=False)
        batch_op.create_index('ix_intake_item_urgency_due', ['urgency', 'due_on', 'id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_intake_item_claimed_by_id_staff_user'), 'staff_user', ['claimed_by_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_intake_item_assigned_to_id_staff_user'), 'staff_user', ['assigned_to_id'], ['id'])

    # Existing rows: closed and handed-over items leave the open queue; deadlines are recomputed by the app
    # (rows keep the "no deadline" date until then). The defaults only served the existing rows.
    op.execute("UPDATE intake_item SET is_open = (state NOT IN ('handed_over', 'closed'))")
    with op.batch_alter_table('intake_item', schema=None) as batch_op:
        batch_op.alter_column('is_open', server_default=None)
        batch_op.alter_column('paused_working_days', server_default=None)
        batch_op.alter_column('due_on', server_default=None)
        batch_op.alter_column('warn_on', server_default=None)



def downgrade() -> None:
    with op.batch_alter_table('intake_item', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_intake_item_assigned_to_id_staff_user'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_intake_item_claimed_by_id_staff_user'), type_='foreignkey')
        batch_op.drop_index('ix_intake_item_urgency_due')
        batch_op.drop_index('ix_intake_item_state_due')
        batch_op.drop_index('ix_intake_item_open_due')
        batch_op.drop_index(batch_op.f('ix_intake_item_claimed_by_id'))
        batch_op.drop_index('ix_intake_item_assigned_state')
        batch_op.drop_index(batch_op.f('ix_intake_item_assigned_at'))
        batch_op.drop_column('close_reason')
        batch_op.drop_column('assigned_at')
        batch_op.drop_column('assigned_to_id')
        batch_op.drop_column('claimed_at')
        batch_op.drop_column('claimed_by_id')
        batch_op.drop_column('warn_on')
        batch_op.drop_column('due_on')
        batch_op.drop_column('paused_working_days')
        batch_op.drop_column('waiting_since')
        batch_op.drop_column('documents_complete_on')
        batch_op.drop_column('contact_email')
        batch_op.drop_column('contact_phone')
        batch_op.drop_column('contact_name')
        batch_op.drop_column('is_open')

    with op.batch_alter_table('intake_meeting_decision', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_intake_meeting_decision_meeting_id'))
        batch_op.drop_index(batch_op.f('ix_intake_meeting_decision_item_id'))

    op.drop_table('intake_meeting_decision')
    with op.batch_alter_table('intake_handoff', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_intake_handoff_status'))

    op.drop_table('intake_handoff')
    with op.batch_alter_table('intake_delay_notice', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_intake_delay_notice_item_id'))

    op.drop_table('intake_delay_notice')
    op.drop_table('intake_meeting')

