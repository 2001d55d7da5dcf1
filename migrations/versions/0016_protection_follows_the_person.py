"""protection is the person's (source, when); a notice's name check; letters that carry an address and
letters withheld because the address became secret; a staff member's unit for need-to-know

Revision ID: 0016
Revises: 0015
"""

from alembic import op
import sqlalchemy as sa

import portal.db


revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.add_column(sa.Column('protection_source', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('protected_at', portal.db.UTCDateTime(timezone=True), nullable=True))
    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name_check', sa.String(length=20), nullable=True))
        batch_op.create_index('ix_notice_tenancy_protected', ['tenancy_key', 'protected'], unique=False)
    with op.batch_alter_table('letter', schema=None) as batch_op:
        batch_op.add_column(sa.Column('address_printed', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('withheld', sa.Boolean(), nullable=False, server_default=sa.false()))
    # Outreach letters made before this revision may carry the address: assume they do, so that protecting
    # their person withholds them too.
    op.execute("UPDATE letter SET address_printed = TRUE WHERE kind IN ('outreach_first', 'outreach_second')")
    with op.batch_alter_table('staff_user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('unit', sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('staff_user', schema=None) as batch_op:
        batch_op.drop_column('unit')
    with op.batch_alter_table('letter', schema=None) as batch_op:
        batch_op.drop_column('withheld')
        batch_op.drop_column('address_printed')
    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.drop_index('ix_notice_tenancy_protected')
        batch_op.drop_column('name_check')
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_column('protected_at')
        batch_op.drop_column('protection_source')
