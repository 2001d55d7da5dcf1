"""server-side sessions, a per-account session version, password-reset links, login throttling per address

Revision ID: 0019
Revises: 0018
"""

from alembic import op
import sqlalchemy as sa

import portal.db  # noqa: F401  (custom column types)


# Follows 0018 from main since the merge of main into the sessions branch (it was written on 0015).
revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('web_session',
    sa.Column('store_id', sa.String(length=80), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('expires_at', portal.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('store_id', name=op.f('pk_web_session'))
    )
    with op.batch_alter_table('web_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_web_session_expires_at'), ['expires_at'], unique=False)

    op.create_table('staff_login_throttle',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('staff_user_id', sa.Integer(), nullable=False),
    sa.Column('address', sa.String(length=45), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('locks', sa.Integer(), nullable=False),
    sa.Column('locked_until', portal.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_failure_at', portal.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['staff_user_id'], ['staff_user.id'], name=op.f('fk_staff_login_throttle_staff_user_id_staff_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_login_throttle')),
    sa.UniqueConstraint('staff_user_id', 'address', name=op.f('uq_staff_login_throttle_staff_user_id_address'))
    )

    with op.batch_alter_table('staff_user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_version', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('reset_token_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('reset_expires_at', portal.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_staff_user_reset_token_hash'), ['reset_token_hash'])


def downgrade() -> None:
    with op.batch_alter_table('staff_user', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_staff_user_reset_token_hash'), type_='unique')
        batch_op.drop_column('reset_expires_at')
        batch_op.drop_column('reset_token_hash')
        batch_op.drop_column('session_version')
    op.drop_table('staff_login_throttle')
    with op.batch_alter_table('web_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_web_session_expires_at'))
    op.drop_table('web_session')
