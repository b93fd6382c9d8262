"""gift declarations

Revision ID: a7c31d52e9b4
Revises: f10b8e0bbe04
Create Date: 2026-12-02 03:40:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = 'a7c31d52e9b4'
down_revision: Union[str, Sequence[str], None] = 'f10b8e0bbe04'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('gifts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('declaration_reason', sa.String(length=30), nullable=True))
        batch_op.add_column(sa.Column('declaration_threshold', sa.String(length=30), nullable=True))
        batch_op.add_column(sa.Column('declaration_due_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('declared_on', sa.Date(), nullable=True))
        batch_op.create_index(batch_op.f('ix_gifts_declaration_reason'), ['declaration_reason'], unique=False)

    assess_received_gifts()


def assess_received_gifts() -> None:
    """Gifts registered before the declaration rule are assessed by it, with the thresholds configured now."""
    from services.visits.domain.gifts import GiftDirection, declaration_due
    from services.visits.settings import gift_rules

    rules, gifts = gift_rules(None), sa.table(
        'gifts', sa.column('id', sa.String), sa.column('direction', sa.String),
        sa.column('value_amount', sa.Numeric(12, 2)), sa.column('value_currency', sa.String),
        sa.column('exchanged_on', sa.Date), sa.column('declaration_reason', sa.String),
        sa.column('declaration_threshold', sa.String), sa.column('declaration_due_on', sa.Date))
    connection = op.get_bind()
    for gift in connection.execute(sa.select(gifts)).mappings().all():
        due = declaration_due(rules, GiftDirection(gift['direction']), gift['value_amount'], gift['value_currency'],
                              gift['exchanged_on'])
        if due:
            connection.execute(gifts.update().where(gifts.c.id == gift['id']).values(
                declaration_reason=due.reason.value, declaration_threshold=due.threshold,
                declaration_due_on=due.due_on))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('gifts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_gifts_declaration_reason'))
        batch_op.drop_column('declared_on')
        batch_op.drop_column('declaration_due_on')
        batch_op.drop_column('declaration_threshold')
        batch_op.drop_column('declaration_reason')
