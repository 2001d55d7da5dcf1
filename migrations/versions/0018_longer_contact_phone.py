"""a contact phone answer holds 100 characters: residents write two numbers and when to call

Revision ID: 0018
Revises: 0016
"""

from alembic import op
import sqlalchemy as sa


revision = '0018'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('intake_item', schema=None) as batch_op:
        batch_op.alter_column('contact_phone', existing_type=sa.String(length=40), type_=sa.String(length=100),
                              existing_nullable=True)


def downgrade() -> None:
    # Longer answers are cut rather than lost with the column: the downgrade must not fail on real data.
    op.execute("UPDATE intake_item SET contact_phone = substr(contact_phone, 1, 40) "
               "WHERE length(contact_phone) > 40")
    with op.batch_alter_table('intake_item', schema=None) as batch_op:
        batch_op.alter_column('contact_phone', existing_type=sa.String(length=100), type_=sa.String(length=40),
                              existing_nullable=True)
