"""Per-client rate limits on the API: each authenticated subject gets its own moving windows.

The windows live in the storage named by CHANCERY_RATE_LIMIT_STORAGE: `memory://` (the default) counts
per web process, so with N processes a client may make up to N times the limit; `redis://...` counts across
every process and replica (decision 0008), each service's windows under keys of its own.
"""

from __future__ import annotations

import math
import time

from limits import RateLimitItem, parse_many, storage, strategies

from shared.http.auth import Principal
from shared.http.problems import Problem


class RateLimiter:
    def __init__(self, limits_text: str, storage_uri: str, service: str):
        self.items: list[RateLimitItem] = parse_many(limits_text) if limits_text.strip() else []
        self.strategy = strategies.MovingWindowRateLimiter(storage.storage_from_string(storage_uri))
        self.service = service  # one Redis serves every service: a limit is per service, as in memory

    def check(self, principal: Principal) -> None:
        """Count one request of the principal; refuse it with 429 and Retry-After when a window is full."""
        key = f"chancery:{self.service}:subject:{principal.subject}"
        for item in self.items:
            if not self.strategy.hit(item, key):
                raise too_many_requests(item, self._seconds_until_free(item, key))

    def _seconds_until_free(self, item: RateLimitItem, key: str) -> int:
        reset_at = self.strategy.get_window_stats(item, key).reset_time
        return max(1, math.ceil(reset_at - time.time()))


def too_many_requests(item: RateLimitItem, retry_after: int) -> Problem:
    return Problem(429, "Too many requests",
                   f"At most {item.amount} requests per {item.multiples} {item.GRANULARITY.name}(s); "
                   f"retry in {retry_after} s", slug="rate-limited", headers={"Retry-After": str(retry_after)})
