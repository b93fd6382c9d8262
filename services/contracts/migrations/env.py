from services.contracts.app import SPEC
from shared.migrations import run_migrations

run_migrations(SPEC)
