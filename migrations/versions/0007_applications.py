"""e-applications and their document checklist

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

import portal.db

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('application',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('co_applicant_person_id', sa.Integer(), nullable=True),
    sa.Column('co_applicant_confirmed_at', portal.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('status', sa.String(length=30), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('previous_application_id', sa.Integer(), nullable=True),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('reference', sa.String(length=20), nullable=False),
    sa.Column('started_at', portal.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', portal.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('submitted_at', portal.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('intake_item_id', sa.Integer(), nullable=True),
    sa.Column('outside_area', sa.Boolean(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('reminded_at', portal.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['co_applicant_person_id'], ['person.id'],
                            name=op.f('fk_application_co_applicant_person_id_person')),
    sa.ForeignKeyConstraint(['intake_item_id'], ['intake_item.id'],
                            name=op.f('fk_application_intake_item_id_intake_item')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_application_person_id_person')),
    sa.ForeignKeyConstraint(['previous_application_id'], ['application.id'],
                            name=op.f('fk_application_previous_application_id_application')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_application')),
    sa.UniqueConstraint('reference', name=op.f('uq_application_reference'))
    )
    op.create_index(op.f('ix_application_co_applicant_person_id'), 'application', ['co_applicant_person_id'],
                    unique=False)
    op.create_index('ix_application_person_status', 'application', ['person_id', 'status'], unique=False)
    op.create_table('checklist_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=60), nullable=False),
    sa.Column('person_role', sa.String(length=20), nullable=True),
    sa.Column('state', sa.String(length=30), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('extra', sa.Boolean(), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('later_since', portal.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', portal.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', portal.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['application.id'],
                            name=op.f('fk_checklist_item_application_id_application')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_checklist_item'))
    )
    op.create_index(op.f('ix_checklist_item_application_id'), 'checklist_item', ['application_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_checklist_item_application_id'), table_name='checklist_item')
    op.drop_table('checklist_item')
    op.drop_index('ix_application_person_status', table_name='application')
    op.drop_index(op.f('ix_application_co_applicant_person_id'), table_name='application')
    op.drop_table('application')
