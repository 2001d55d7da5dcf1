"""interpreter need held once, on the person: carried over from intake items, e-applications and notices

Revision ID: 0035
Revises: 0034

Before this revision the need was on each intake item (ticked from the e-application's answer or by the
reception), and a notice's language stayed on the notice unless the pipeline had reached it. Now the person holds
the need, the interpreter's language and who said it (portal.interpreter); an item keeps its own only when it has
no person (a caller who gave no personnummer).

Carried over, per person: needed when any of their items or submitted applications says so; not needed when an
application said no and nothing said yes; the language the latest application named, else the language of an
item that needed one. A person with no language gets the latest notice's.
"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

import portal.db

revision = '0035'
down_revision = '0034'
branch_labels = None
depends_on = None

person = sa.table('person', sa.column('id', sa.Integer), sa.column('language', sa.String),
                  sa.column('interpreter_needed', sa.Boolean), sa.column('interpreter_language', sa.String),
                  sa.column('interpreter_source', sa.String), sa.column('interpreter_at', portal.db.UTCDateTime))
item = sa.table('intake_item', sa.column('id', sa.Integer), sa.column('person_id', sa.Integer),
                sa.column('language', sa.String), sa.column('interpreter_needed', sa.Boolean))
application = sa.table('application', sa.column('id', sa.Integer), sa.column('person_id', sa.Integer),
                       sa.column('status', sa.String), sa.column('answers', sa.JSON))


def upgrade() -> None:
    # Plain ALTER TABLE, not batch mode: on SQLite a batch copies and drops `person`, and dropping it would set
    # the audit log's person_id to NULL, which the append-only audit log refuses once it holds events.
    op.add_column('person', sa.Column('interpreter_needed', sa.Boolean(), nullable=True))
    op.add_column('person', sa.Column('interpreter_language', sa.String(length=100), nullable=True))
    op.add_column('person', sa.Column('interpreter_source', sa.String(length=254), nullable=True))
    op.add_column('person', sa.Column('interpreter_at', portal.db.UTCDateTime(timezone=True), nullable=True))
    conn = op.get_bind()
    needed: dict[int, bool] = {}
    language: dict[int, str] = {}
    for row in conn.execute(sa.select(application.c.person_id, application.c.answers)
                            .where(application.c.status != 'draft').order_by(application.c.id)):
        about = (row.answers or {}).get('about') or {}
        answer = about.get('interpreter')
        if answer == 'yes':
            needed[row.person_id] = True
            written = str(about.get('interpreter_language') or '').strip()
            if written:
                language[row.person_id] = written[:100]
        elif answer == 'no':
            needed.setdefault(row.person_id, False)
    for row in conn.execute(sa.select(item.c.person_id, item.c.language)
                            .where(item.c.person_id.is_not(None), item.c.interpreter_needed.is_(True))
                            .order_by(item.c.id)):
        needed[row.person_id] = True
        if row.language and row.language != 'sv':
            language.setdefault(row.person_id, row.language)
    now = datetime.now(UTC)
    for person_id, need in needed.items():
        conn.execute(person.update().where(person.c.id == person_id).values(
            interpreter_needed=need, interpreter_language=language.get(person_id) if need else None,
            interpreter_source='tidigare uppgift', interpreter_at=now))
    # The person holds it now: one record, not one per item.
    conn.execute(item.update().where(item.c.person_id.is_not(None)).values(interpreter_needed=False))
    op.execute("UPDATE person SET language = (SELECT n.language FROM notice n WHERE n.person_id = person.id "
               "AND n.language IS NOT NULL ORDER BY n.id DESC LIMIT 1) WHERE language IS NULL")


def downgrade() -> None:
    conn = op.get_bind()
    conn.execute(item.update().where(item.c.person_id.in_(
        sa.select(person.c.id).where(person.c.interpreter_needed.is_(True)))).values(interpreter_needed=True))
    for column in ('interpreter_at', 'interpreter_source', 'interpreter_language', 'interpreter_needed'):
        op.drop_column('person', column)  # SQLite 3.35+ drops a column in place (see upgrade)
