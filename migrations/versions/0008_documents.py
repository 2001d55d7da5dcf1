"""documents uploaded for checklist items

Revision ID: 0008
Revises: 0007
"""

from alembic import op
import sqlalchemy as sa

import portal.db  # noqa: F401  (custom column types)


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('document',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('checklist_item_id', sa.Integer(), nullable=False),
    sa.Column('stored_file_id', sa.Integer(), nullable=False),
    sa.Column('original_name', sa.String(length=255), nullable=False),
    sa.Column('media_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('reason_code', sa.String(length=40), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('uploaded_by_person_id', sa.Integer(), nullable=True),
    sa.Column('uploaded_at', portal.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('reviewed_by', sa.Integer(), nullable=True),
    sa.Column('reviewed_at', portal.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['checklist_item_id'], ['checklist_item.id'],
                            name=op.f('fk_document_checklist_item_id_checklist_item')),
    sa.ForeignKeyConstraint(['reviewed_by'], ['staff_user.id'], name=op.f('fk_document_reviewed_by_staff_user')),
    sa.ForeignKeyConstraint(['stored_file_id'], ['stored_file.id'],
                            name=op.f('fk_document_stored_file_id_stored_file')),
    sa.ForeignKeyConstraint(['uploaded_by_person_id'], ['person.id'],
                            name=op.f('fk_document_uploaded_by_person_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_document'))
    )
    op.create_index(op.f('ix_document_checklist_item_id'), 'document', ['checklist_item_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_document_checklist_item_id'), table_name='document')
    op.drop_table('document')
