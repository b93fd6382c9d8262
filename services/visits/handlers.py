"""What the visits service does when other services' events arrive: nothing yet."""

from shared.bus.consumer import Subscription

SUBSCRIPTIONS: list[Subscription] = []
