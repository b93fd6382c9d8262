"""The contracts worker: relays the outbox and consumes the events contracts listens to."""

from services.contracts.app import SPEC
from shared.worker import run_worker


def main() -> None:
    run_worker(SPEC)


if __name__ == "__main__":
    main()
