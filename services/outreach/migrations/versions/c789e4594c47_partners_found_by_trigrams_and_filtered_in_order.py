"""partners found by trigrams and filtered in their order: `q` served by a trigram index on PostgreSQL, each filter
followed by the order by name, the creation time (decisions 0170, 0210)

Revision ID: c789e4594c47
Revises: 7d918165a595
Create Date: 2026-12-07 15:05:00.000000

"""
from typing import Sequence, Union

from alembic import op


# revision identifiers, used by Alembic.
revision: str = 'c789e4594c47'
down_revision: Union[str, Sequence[str], None] = '7d918165a595'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def _on_postgresql() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('partners', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_partners_kind'))
        batch_op.drop_index(batch_op.f('ix_partners_country'))
        batch_op.create_index('ix_partners_kind_name', ['kind', 'name', 'id'], unique=False)
        batch_op.create_index('ix_partners_country_name', ['country', 'name', 'id'], unique=False)
        batch_op.create_index('ix_partners_created_at_id', ['created_at', 'id'], unique=False)
    if _on_postgresql():
        # pg_trgm is a trusted extension (PostgreSQL 13 and later): the database's owner may create it.
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.create_index('ix_partners_search_text_trigrams', 'partners', ['search_text'], unique=False,
                        postgresql_using='gin', postgresql_ops={'search_text': 'gin_trgm_ops'})


def downgrade() -> None:
    """Downgrade schema."""
    if _on_postgresql():
        op.drop_index('ix_partners_search_text_trigrams', table_name='partners')
    with op.batch_alter_table('partners', schema=None) as batch_op:
        batch_op.drop_index('ix_partners_created_at_id')
        batch_op.drop_index('ix_partners_country_name')
        batch_op.drop_index('ix_partners_kind_name')
        batch_op.create_index(batch_op.f('ix_partners_country'), ['country'], unique=False)
        batch_op.create_index(batch_op.f('ix_partners_kind'), ['kind'], unique=False)
