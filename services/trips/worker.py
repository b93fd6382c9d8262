"""The trips worker: relays the outbox and consumes the events trips listens to."""

from services.trips.app import SPEC
from shared.worker import run_worker


def main() -> None:
    run_worker(SPEC)


if __name__ == "__main__":
    main()
