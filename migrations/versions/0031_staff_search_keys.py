"""the staff search: folded name keys (first word first, last word first) on person, notice and intake item,
and references of notices and letters, each on an index; the state an intake item had before it was claimed

Revision ID: 0031
Revises: 0030
"""

import re
import unicodedata

from alembic import op
import sqlalchemy as sa


revision = '0031'
down_revision = '0030'
branch_labels = None
depends_on = None

def name_keys(name):
    """As portal.search_keys.name_keys on the day of this migration (copied, so later changes do not alter it)."""
    decomposed = unicodedata.normalize('NFKD', (name or '').casefold())
    plain = ''.join(ch for ch in decomposed if not unicodedata.combining(ch))
    words = [word for word in re.split(r'[\W_]+', plain) if word]
    if not words:
        return None, None
    return ''.join(words)[:200], ''.join(words[-1:] + words[:-1])[:200]


NAMES = (('person', 'name'), ('notice', 'tenant_name'), ('intake_item', 'contact_name'))


def upgrade() -> None:
    for table, _ in NAMES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('name_key', sa.String(length=200), nullable=True))
            batch_op.add_column(sa.Column('name_key_last', sa.String(length=200), nullable=True))
    connection = op.get_bind()
    for table, column in NAMES:
        rows = connection.execute(sa.text(f'SELECT id, {column} FROM {table} WHERE {column} IS NOT NULL')).all()
        update = sa.text(f'UPDATE {table} SET name_key = :first, name_key_last = :last WHERE id = :id')
        values = [{'id': row[0], 'first': first, 'last': last}
                  for row in rows for first, last in [name_keys(row[1])] if first]
        for start in range(0, len(values), 5000):
            connection.execute(update, values[start:start + 5000])
    with op.batch_alter_table('intake_item', schema=None) as batch_op:
        batch_op.add_column(sa.Column('claimed_from_state', sa.String(length=30), nullable=True))
    # Not filled for items held now: which of them were new when claimed is not known (a released item used to
    # stay "in review"), so those keep today's behaviour once.
    for table, _ in NAMES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_index(f'ix_{table}_name_key', ['name_key'], unique=False)
            batch_op.create_index(f'ix_{table}_name_key_last', ['name_key_last'], unique=False)
    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.create_index('ix_notice_reference', ['reference'], unique=False)
    with op.batch_alter_table('letter', schema=None) as batch_op:
        batch_op.create_index('ix_letter_reference', ['reference'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('intake_item', schema=None) as batch_op:
        batch_op.drop_column('claimed_from_state')
    with op.batch_alter_table('letter', schema=None) as batch_op:
        batch_op.drop_index('ix_letter_reference')
    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.drop_index('ix_notice_reference')
    for table, _ in NAMES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(f'ix_{table}_name_key_last')
            batch_op.drop_index(f'ix_{table}_name_key')
            batch_op.drop_column('name_key_last')
            batch_op.drop_column('name_key')
