"""A city system's side of Chancery, written with pika only (docs/integration.md).

    python examples/city_system.py listen --url amqp://city-docs:secret@broker// --queue city-docs.events \
        --pattern 'chancery.visits.invitation.#'
    python examples/city_system.py --url amqp://city-docs:secret@broker// send-invitation \
        --document-id DOC-2027-0412 --title 'Summit of European Capitals' ...
    python examples/city_system.py --url amqp://city-registry:secret@broker// --source /city/registry \
        send-partner --registry-id REG-P-0042 --kind capital --name Vienna --country AT --name-in de=Wien
    python examples/city_system.py --url amqp://city-registry:secret@broker// --source /city/registry \
        send-contact --registry-id REG-C-0107 --partner-registry-id REG-P-0042 --name 'Klara Huber'

Listening: a durable quorum queue of the system's own, bound to `chancery.events`; manual acks after the
work is done; events deduplicated by their CloudEvent `id`. Sending: a CloudEvent to `chancery.inbound`
with publisher confirms, persistent and mandatory (a message nobody is bound for comes back).
"""

from __future__ import annotations

import argparse
import json
import sys
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import pika

EVENTS, INBOUND = "chancery.events", "chancery.inbound"
INVITATION_RECEIVED = "chancery.inbound.invitation.received.v1"
PARTNER_UPDATED = "chancery.inbound.partner.updated.v1"
CONTACT_UPDATED = "chancery.inbound.contact.updated.v1"


def now() -> str:
    return datetime.now(UTC).isoformat().replace("+00:00", "Z")


class CitySystem:
    def __init__(self, url: str, namespace: str = "", source: str = "/city/docs"):
        self.connection = pika.BlockingConnection(pika.URLParameters(url))
        self.channel = self.connection.channel()
        self.channel.confirm_delivery()
        self.prefix = f"{namespace}." if namespace else ""
        self.source = source
        self.seen: set[str] = set()  # a real system keeps these ids in its own database

    def close(self) -> None:
        self.connection.close()

    # --- listening ---

    def bind(self, queue: str, patterns: list[str]) -> str:
        """Declare the system's own durable queue (named `<system>.*`) and bind it to the events."""
        name = self.prefix + queue
        self.channel.queue_declare(name, durable=True, arguments={"x-queue-type": "quorum"})
        for pattern in patterns:
            self.channel.queue_bind(name, self.prefix + EVENTS, routing_key=pattern)
        return name

    def events(self, queue: str, timeout: float = 5.0) -> Iterator[tuple[dict, Callable[[], None]]]:
        """Each new event with the function that acknowledges it; a repeated id is acknowledged and skipped."""
        for method, _properties, body in self.channel.consume(self.prefix + queue, inactivity_timeout=timeout):
            if method is None:
                return
            event = json.loads(body)
            if event["id"] in self.seen:
                self.channel.basic_ack(method.delivery_tag)
                continue

            def ack(tag=method.delivery_tag, event_id=event["id"]):
                self.seen.add(event_id)
                self.channel.basic_ack(tag)

            yield event, ack

    # --- sending ---

    def send(self, event_type: str, subject: str, data: dict, event_id: str | None = None) -> dict:
        """Publish a CloudEvent to chancery.inbound; returns it once the broker has confirmed it."""
        event = {"specversion": "1.0", "id": event_id or str(uuid.uuid4()), "source": self.source,
                 "type": event_type, "time": now(),
                 "subject": subject, "datacontenttype": "application/json", "data": data}
        self.channel.basic_publish(
            self.prefix + INBOUND, event_type, json.dumps(event, ensure_ascii=False).encode(),
            pika.BasicProperties(content_type="application/cloudevents+json", delivery_mode=2,
                                 message_id=event["id"]),
            mandatory=True)  # raises pika.exceptions.UnroutableError when no service is bound for the type
        return event

    def send_invitation(self, **data) -> dict:
        return self.send(INVITATION_RECEIVED, data["document_id"], data)

    # The registry sends the whole record each time it changes, with the time of the change: outreach
    # applies only what is later than what it applied last.

    def send_partner(self, **data) -> dict:
        return self.send(PARTNER_UPDATED, data["registry_id"], {"updated_at": now(), **data})

    def send_contact(self, **data) -> dict:
        return self.send(CONTACT_UPDATED, data["registry_id"], {"updated_at": now(), **data})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default="amqp://guest:guest@localhost:5672/%2F")
    parser.add_argument("--namespace", default="")
    parser.add_argument("--source", default="/city/docs", help="the CloudEvent source naming your system")
    commands = parser.add_subparsers(dest="command", required=True)
    listen = commands.add_parser("listen", help="print events as they arrive (one JSON per line)")
    listen.add_argument("--queue", required=True, help="the system's own queue, e.g. city-docs.events")
    listen.add_argument("--pattern", action="append", default=[], help="bind this routing-key pattern too")
    listen.add_argument("--timeout", type=float, default=30)
    invitation = commands.add_parser("send-invitation", help="send an invitation addressed to the mayor")
    for name in ("document-id", "title", "inviting-party", "country", "city", "starts-on", "ends-on"):
        invitation.add_argument(f"--{name}", required=True)
    invitation.add_argument("--location", choices=["in_city", "abroad"], required=True)
    invitation.add_argument("--received-on", default=datetime.now(UTC).date().isoformat())
    partner = commands.add_parser("send-partner", help="send a partner as the registry holds it")
    for name in ("registry-id", "name", "country"):
        partner.add_argument(f"--{name}", required=True)
    partner.add_argument("--kind", choices=["city", "capital", "region", "authority"], required=True)
    partner.add_argument("--name-in", dest="names", action="append", default=[], metavar="LANGUAGE=NAME",
                         type=lambda text: dict(zip(("language", "name"), text.split("=", 1), strict=True)))
    for name in ("region", "website", "updated-at"):
        partner.add_argument(f"--{name}")
    contact = commands.add_parser("send-contact", help="send a contact person as the registry holds them")
    for name in ("registry-id", "partner-registry-id", "name"):
        contact.add_argument(f"--{name}", required=True)
    contact.add_argument("--language", dest="languages", action="append", default=[])
    for name in ("position", "email", "phone", "updated-at"):
        contact.add_argument(f"--{name}")
    args = parser.parse_args(argv)

    system = CitySystem(args.url, args.namespace, args.source)
    try:
        if args.command == "listen":
            system.bind(args.queue, args.pattern) if args.pattern else None
            for event, ack in system.events(args.queue, args.timeout):
                print(json.dumps(event, ensure_ascii=False), flush=True)
                ack()
        else:
            fields = {key: value for key, value in vars(args).items()
                      if key not in ("url", "namespace", "source", "command") and value is not None}
            send = {"send-invitation": system.send_invitation, "send-partner": system.send_partner,
                    "send-contact": system.send_contact}[args.command]
            print(json.dumps(send(**fields), ensure_ascii=False))
    finally:
        system.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
