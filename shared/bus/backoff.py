"""How long a loop waits before trying the broker or the database again."""

from __future__ import annotations


class Backoff:
    """Exponential delays with a ceiling, reset after a success.

    The ceiling is low (decision 0070): a loop waiting for the broker or the database tries again at least
    every 5 s, so it is back within 10 s of their return, and a connection attempt costs little."""

    def __init__(self, first: float = 0.5, ceiling: float = 5.0):
        self.first, self.ceiling, self.current = first, ceiling, first

    def next(self) -> float:
        delay, self.current = self.current, min(self.current * 2, self.ceiling)
        return delay

    def reset(self) -> None:
        self.current = self.first
