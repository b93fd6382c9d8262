"""The visits worker: relays the outbox and consumes the events visits listens to."""

from services.visits.app import SPEC
from shared.worker import run_worker


def main() -> None:
    run_worker(SPEC)


if __name__ == "__main__":
    main()
