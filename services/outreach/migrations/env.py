from services.outreach.app import SPEC
from shared.migrations import run_migrations

run_migrations(SPEC)
