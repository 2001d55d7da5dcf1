"""what became of the home, recorded by outreach staff on the notice

Revision ID: 0009
Revises: 0008
"""

from alembic import op
import sqlalchemy as sa

import portal.db  # noqa: F401  (custom column types)


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.add_column(sa.Column('tenancy_outcome', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('tenancy_outcome_at', portal.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('tenancy_outcome_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_notice_tenancy_outcome_by_id_staff_user'), 'staff_user',
                                    ['tenancy_outcome_by_id'], ['id'], ondelete='SET NULL')


def downgrade() -> None:
    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_notice_tenancy_outcome_by_id_staff_user'), type_='foreignkey')
        batch_op.drop_column('tenancy_outcome_by_id')
        batch_op.drop_column('tenancy_outcome_at')
        batch_op.drop_column('tenancy_outcome')
