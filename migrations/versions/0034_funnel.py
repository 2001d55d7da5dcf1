"""letter_return, letter_variant, letter_variant_assignment: returned letters (the address doubtful until
staff confirm it) and letter-variant tests with each notice's recorded arm (issue 28)

Revision ID: 0034
Revises: 0031
"""

from alembic import op
import sqlalchemy as sa

import portal.db  # noqa: F401  (custom column types)


revision = '0034'
down_revision = '0031'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('letter_variant',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('notice_kind', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('texts', sa.JSON(), nullable=False),
    sa.Column('share_percent', sa.Integer(), nullable=False),
    sa.Column('seed', sa.String(length=32), nullable=False),
    sa.Column('started_at', portal.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('stopped_at', portal.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['staff_user.id'], name=op.f('fk_letter_variant_created_by_id_staff_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_letter_variant'))
    )
    with op.batch_alter_table('letter_variant', schema=None) as batch_op:
        batch_op.create_index('uq_letter_variant_running_kind', ['notice_kind'], unique=True, postgresql_where=sa.text('stopped_at IS NULL'), sqlite_where=sa.text('stopped_at IS NULL'))

    op.create_table('letter_return',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('letter_id', sa.Integer(), nullable=False),
    sa.Column('notice_id', sa.Integer(), nullable=False),
    sa.Column('tenancy_key', sa.String(length=220), nullable=False),
    sa.Column('source', sa.String(length=10), nullable=False),
    sa.Column('returned_at', portal.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.Column('address_confirmed_at', portal.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('address_confirmed_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['address_confirmed_by_id'], ['staff_user.id'], name=op.f('fk_letter_return_address_confirmed_by_id_staff_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['letter_id'], ['letter.id'], name=op.f('fk_letter_return_letter_id_letter'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['notice_id'], ['notice.id'], name=op.f('fk_letter_return_notice_id_notice'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['staff_id'], ['staff_user.id'], name=op.f('fk_letter_return_staff_id_staff_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_letter_return')),
    sa.UniqueConstraint('letter_id', name=op.f('uq_letter_return_letter_id'))
    )
    with op.batch_alter_table('letter_return', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_letter_return_notice_id'), ['notice_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_letter_return_tenancy_key'), ['tenancy_key'], unique=False)

    op.create_table('letter_variant_assignment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('notice_id', sa.Integer(), nullable=False),
    sa.Column('variant_id', sa.Integer(), nullable=False),
    sa.Column('arm', sa.String(length=10), nullable=False),
    sa.Column('assigned_at', portal.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['notice_id'], ['notice.id'], name=op.f('fk_letter_variant_assignment_notice_id_notice'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['variant_id'], ['letter_variant.id'], name=op.f('fk_letter_variant_assignment_variant_id_letter_variant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_letter_variant_assignment')),
    sa.UniqueConstraint('notice_id', name=op.f('uq_letter_variant_assignment_notice_id'))
    )
    with op.batch_alter_table('letter_variant_assignment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_letter_variant_assignment_variant_id'), ['variant_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('letter_variant_assignment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_letter_variant_assignment_variant_id'))

    op.drop_table('letter_variant_assignment')
    with op.batch_alter_table('letter_return', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_letter_return_tenancy_key'))
        batch_op.drop_index(batch_op.f('ix_letter_return_notice_id'))

    op.drop_table('letter_return')
    with op.batch_alter_table('letter_variant', schema=None) as batch_op:
        batch_op.drop_index('uq_letter_variant_running_kind', postgresql_where=sa.text('stopped_at IS NULL'), sqlite_where=sa.text('stopped_at IS NULL'))

    op.drop_table('letter_variant')
