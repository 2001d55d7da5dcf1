"""messages between resident and reception on an application

Revision ID: 0010
Revises: 0009
"""

from alembic import op
import sqlalchemy as sa

import portal.db  # noqa: F401  (custom column types)


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'application_message',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('application_id', sa.Integer(), nullable=False),
        sa.Column('author', sa.String(length=10), nullable=False),
        sa.Column('staff_id', sa.Integer(), nullable=True),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('created_at', portal.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('read_at', portal.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['application_id'], ['application.id'],
                                name=op.f('fk_application_message_application_id_application')),
        sa.ForeignKeyConstraint(['staff_id'], ['staff_user.id'], ondelete='SET NULL',
                                name=op.f('fk_application_message_staff_id_staff_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_application_message')),
    )
    with op.batch_alter_table('application_message', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_application_message_application_id'), ['application_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('application_message', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_application_message_application_id'))
    op.drop_table('application_message')
