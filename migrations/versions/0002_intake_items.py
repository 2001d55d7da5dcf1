"""intake items and their history

Revision ID: 0002
Revises: 0001
"""

from alembic import op
import sqlalchemy as sa

import portal.db  # noqa: F401  (custom column types)


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('intake_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('source_key', sa.String(length=80), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('state', sa.String(length=30), nullable=False),
    sa.Column('urgency', sa.String(length=30), nullable=False),
    sa.Column('priority', sa.Integer(), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=True),
    sa.Column('interpreter_needed', sa.Boolean(), nullable=False),
    sa.Column('legal_deadline', sa.Date(), nullable=True),
    sa.Column('received_at', portal.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_at', portal.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', portal.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_intake_item_person_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_intake_item')),
    sa.UniqueConstraint('source_key', name=op.f('uq_intake_item_source_key'))
    )
    with op.batch_alter_table('intake_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_intake_item_legal_deadline'), ['legal_deadline'], unique=False)
        batch_op.create_index(batch_op.f('ix_intake_item_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_intake_item_source'), ['source'], unique=False)
        batch_op.create_index(batch_op.f('ix_intake_item_state'), ['state'], unique=False)

    op.create_table('intake_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('at', portal.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('actor_label', sa.String(length=254), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['intake_item.id'], name=op.f('fk_intake_event_item_id_intake_item'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_intake_event'))
    )
    with op.batch_alter_table('intake_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_intake_event_item_id'), ['item_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('intake_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_intake_event_item_id'))

    op.drop_table('intake_event')
    with op.batch_alter_table('intake_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_intake_item_state'))
        batch_op.drop_index(batch_op.f('ix_intake_item_source'))
        batch_op.drop_index(batch_op.f('ix_intake_item_person_id'))
        batch_op.drop_index(batch_op.f('ix_intake_item_legal_deadline'))

    op.drop_table('intake_item')
