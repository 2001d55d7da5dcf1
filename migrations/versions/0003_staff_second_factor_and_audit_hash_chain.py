"""staff second factor and audit hash chain

Revision ID: 0003
Revises: 0002
"""

from alembic import op
import sqlalchemy as sa

import portal.db  # noqa: F401  (custom column types)


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    audit_chain_head = op.create_table('audit_chain_head',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('last_hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_chain_head'))
    )
    op.bulk_insert(audit_chain_head, [{"id": 1, "seq": 0, "last_hash": "0" * 64}])
    op.create_table('staff_recovery_code',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('staff_user_id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('used_at', portal.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['staff_user_id'], ['staff_user.id'], name=op.f('fk_staff_recovery_code_staff_user_id_staff_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_recovery_code'))
    )
    with op.batch_alter_table('staff_recovery_code', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staff_recovery_code_staff_user_id'), ['staff_user_id'], unique=False)

    # The chain starts with this schema: the product had no audit events before it (nothing was deployed).
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('chain_seq', sa.Integer(), nullable=False))
        batch_op.add_column(sa.Column('prev_hash', sa.String(length=64), nullable=False))
        batch_op.add_column(sa.Column('hash', sa.String(length=64), nullable=False))
        batch_op.create_unique_constraint(batch_op.f('uq_audit_event_chain_seq'), ['chain_seq'])
    _sqlite_append_only_triggers()

    with op.batch_alter_table('staff_user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('totp_secret', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('totp_enabled_at', portal.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('totp_last_step', sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('staff_user', schema=None) as batch_op:
        batch_op.drop_column('totp_last_step')
        batch_op.drop_column('totp_enabled_at')
        batch_op.drop_column('totp_secret')

    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_audit_event_chain_seq'), type_='unique')
        batch_op.drop_column('hash')
        batch_op.drop_column('prev_hash')
        batch_op.drop_column('chain_seq')
    _sqlite_append_only_triggers()

    with op.batch_alter_table('staff_recovery_code', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staff_recovery_code_staff_user_id'))

    op.drop_table('staff_recovery_code')
    op.drop_table('audit_chain_head')


def _sqlite_append_only_triggers() -> None:
    """SQLite's batch mode rebuilds the table, which drops its triggers: put them back."""
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute("DROP TRIGGER IF EXISTS audit_event_no_update")
    op.execute("DROP TRIGGER IF EXISTS audit_event_no_delete")
    op.execute("CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event "
               "BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END")
    op.execute("CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event "
               "BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END")
