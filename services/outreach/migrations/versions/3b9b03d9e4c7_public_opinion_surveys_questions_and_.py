"""Public opinion surveys, their questions and the responses imported from CSV

Revision ID: 3b9b03d9e4c7
Revises: d1b314827c96
Create Date: 2026-11-24 07:25:08.372221

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '3b9b03d9e4c7'
down_revision: Union[str, Sequence[str], None] = 'd1b314827c96'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('surveys',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('purpose', sa.Text(), nullable=True),
    sa.Column('commissioned_from', sa.String(length=200), nullable=False),
    sa.Column('fieldwork_from', sa.Date(), nullable=False),
    sa.Column('fieldwork_until', sa.Date(), nullable=False),
    sa.Column('campaign_id', sa.String(length=36), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('surveys', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_surveys_campaign_id'), ['campaign_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_surveys_fieldwork_from'), ['fieldwork_from'], unique=False)

    op.create_table('survey_questions',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('survey_id', sa.String(length=36), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=50), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('options', sa.JSON(), nullable=False),
    sa.Column('scale_min', sa.Integer(), nullable=False),
    sa.Column('scale_max', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['survey_id'], ['surveys.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('survey_id', 'code', name='uq_survey_questions_code')
    )
    with op.batch_alter_table('survey_questions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_questions_survey_id'), ['survey_id'], unique=False)

    op.create_table('survey_responses',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('survey_id', sa.String(length=36), nullable=False),
    sa.Column('respondent_id', sa.String(length=100), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('imported_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['survey_id'], ['surveys.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('survey_id', 'respondent_id', name='uq_survey_responses_respondent')
    )
    with op.batch_alter_table('survey_responses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_responses_survey_id'), ['survey_id'], unique=False)



def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('survey_responses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_responses_survey_id'))

    op.drop_table('survey_responses')
    with op.batch_alter_table('survey_questions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_questions_survey_id'))

    op.drop_table('survey_questions')
    with op.batch_alter_table('surveys', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_surveys_fieldwork_from'))
        batch_op.drop_index(batch_op.f('ix_surveys_campaign_id'))

    op.drop_table('surveys')
