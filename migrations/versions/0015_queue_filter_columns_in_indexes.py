"""the queue's deadline-order indexes carry the other filter columns, so a filtered page's count reads the index alone

Revision ID: 0015
Revises: 0014
"""

from alembic import op


revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None

FILTERS = ['warn_on', 'source', 'urgency']
NEW = {
    'ix_intake_item_open_due': ['is_open', 'due_on', 'id', *FILTERS],
    'ix_intake_item_open_source_due': ['is_open', 'source', 'due_on', 'id', 'warn_on', 'urgency'],
    'ix_intake_item_state_due': ['state', 'due_on', 'id', *FILTERS],
}
OLD = {
    'ix_intake_item_open_due': ['is_open', 'due_on', 'id'],
    'ix_intake_item_open_source_due': ['is_open', 'source', 'due_on', 'id'],
    'ix_intake_item_state_due': ['state', 'due_on', 'id'],
}


def _replace(indexes: dict[str, list[str]]) -> None:
    with op.batch_alter_table('intake_item', schema=None) as batch_op:
        for name, columns in indexes.items():
            batch_op.drop_index(name)
            batch_op.create_index(name, columns, unique=False)


def upgrade() -> None:
    _replace(NEW)


def downgrade() -> None:
    _replace(OLD)
