"""The outreach worker: relays the outbox and consumes the events outreach listens to."""

from services.outreach.app import SPEC
from shared.worker import run_worker


def main() -> None:
    run_worker(SPEC)


if __name__ == "__main__":
    main()
