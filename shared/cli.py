"""The `chancery` command: tokens, migrations, the worker, and running the whole suite."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from importlib.metadata import version

from shared.config import load_settings
from shared.suite import SERVICES, spec_of

MIGRATE_USAGE = ("chancery migrate [SERVICE ...] | status [SERVICE ...] | history SERVICE | "
                 "downgrade SERVICE REVISION")


def _token(args) -> int:
    from shared.http.auth import mint_development_token

    roles = [role.strip() for role in args.roles.split(",") if role.strip()]
    try:
        print(mint_development_token(load_settings("visits"), args.sub, roles, args.ttl, args.department))
    except ValueError as error:
        print(error, file=sys.stderr)
        return 2
    return 0


def _migrate(args) -> int:
    """Upgrade the named services (default all) to head; or the `status`, `history` or `downgrade` of them."""
    action, words = (args.words[0], args.words[1:]) if args.words[:1] in (["status"], ["history"], ["downgrade"]) \
        else ("upgrade", args.words)
    named = words[:1] if action == "downgrade" else words
    unknown = [word for word in named if word not in SERVICES]
    if unknown or len(words) != {"history": 1, "downgrade": 2}.get(action, len(words)):
        known = f"; no service {', '.join(unknown)} (one of {', '.join(SERVICES)})" if unknown else ""
        print(f"usage: {MIGRATE_USAGE}{known}", file=sys.stderr)
        return 2
    for line in _migration_lines(action, words):
        print(line)
    return 0


def _migration_lines(action: str, words: list[str]) -> Iterator[str]:
    from shared import migrations

    if action == "history":
        yield from migrations.history(spec_of(words[0]), load_settings(words[0]))
    elif action == "downgrade":
        migrations.downgrade(spec_of(words[0]), load_settings(words[0]), words[1])
        yield migrations.status(spec_of(words[0]), load_settings(words[0]))
    for name in (words or SERVICES) if action in ("upgrade", "status") else ():
        if action == "status":
            yield migrations.status(spec_of(name), load_settings(name))
        else:
            migrations.upgrade(spec_of(name), load_settings(name))
            yield f"{name}: migrated to head"


def _revision(args) -> int:
    from shared.migrations import make_revision

    make_revision(spec_of(args.service), args.message)
    return 0


def _rotate_pii(args) -> int:
    from shared.pii import install_keys, rotate
    from shared.service import ServiceRuntime

    for name in args.services or SERVICES:
        spec, settings = spec_of(name), load_settings(name)
        install_keys(settings)
        rewritten = rotate(ServiceRuntime.build(spec, settings).database.engine, spec.metadata)
        print(f"{name}: {rewritten} personal-data values re-encrypted under the first key")
    return 0


def _seed(args) -> int:
    from shared.seed import SeedError, run_seeds
    from shared.suite import SEED_ORDER

    for name in args.services:
        spec_of(name)  # refuses an unknown name
    try:
        seeded = run_seeds(tuple(args.services) or SEED_ORDER)
    except SeedError as error:
        print(f"seed: {error}", file=sys.stderr)
        return 1
    print(f"seeded: {', '.join(seeded) or 'nothing (no service has a seed module)'}")
    return 0


def _worker(args) -> int:
    from shared.worker import run_worker

    run_worker(spec_of(args.service))
    return 0


def _run(_args) -> int:
    from shared.launcher import run_suite

    return run_suite()


def _permissions(_args) -> int:
    from shared.permissions import permissions_markdown

    print(permissions_markdown(), end="")
    return 0


def _asyncapi(_args) -> int:
    from shared.asyncapi import ASYNCAPI_FILE, write_asyncapi

    write_asyncapi()
    print(f"wrote {ASYNCAPI_FILE}")
    return 0


def _dlq(args) -> int:
    import json

    from shared.bus.dead_letters import DeadLetters

    dead_letters = DeadLetters(load_settings(args.service))
    chosen = set(args.message_ids) or None
    if args.dlq_command in ("replay", "purge") and chosen is None and not args.all:
        print(f"name the message ids to {args.dlq_command}, or pass --all", file=sys.stderr)
        return 2
    if args.dlq_command == "list":
        for letter in dead_letters.list(args.limit):
            print(json.dumps(letter.summary(), ensure_ascii=False))
    elif args.dlq_command == "show":
        shown = dead_letters.show(args.message_id)
        if shown is None:
            print(f"no dead letter {args.message_id} in {dead_letters.queue}", file=sys.stderr)
            return 1
        print(json.dumps({**shown.summary(), "headers": shown.headers, "body": shown.body},
                         ensure_ascii=False, indent=2, default=str))
    elif args.dlq_command == "purge" and chosen is None and not args.yes and not _confirmed_purge(args.service):
        print("nothing purged", file=sys.stderr)
        return 1
    else:
        done = getattr(dead_letters, args.dlq_command)(chosen)
        print(f"{args.dlq_command}: {len(done)} message(s) from {dead_letters.queue}")
        for message_id in done:
            print(message_id)
    return 0


def _confirmed_purge(service: str) -> bool:
    """Purging every dead letter is for good: the operator types the service's name (a script passes --yes)."""
    print(f"This drops every dead letter of {service} for good. Type {service!r} to go on: ", end="",
          file=sys.stderr, flush=True)
    return sys.stdin.readline().strip() == service


def _roles_epilog() -> str:
    from shared.http.auth import ROLES

    return "roles:\n" + "\n".join(f"  {role:<20} {description}" for role, description in ROLES.items())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="chancery", description=__doc__)
    parser.add_argument("--version", action="version", version=f"%(prog)s {version('chancery')}")
    commands = parser.add_subparsers(dest="command", required=True)

    token = commands.add_parser("token", help="print a development JWT", epilog=_roles_epilog(),
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    token.add_argument("--sub", required=True, help="the user's name")
    token.add_argument("--roles", required=True, help="comma-separated roles (listed below), e.g. protocol,auditor")
    token.add_argument("--department", help="the user's department (a department head decides its staff's trips)")
    token.add_argument("--ttl", type=int, default=8 * 3600, help="lifetime in seconds (default 8 hours)")
    token.set_defaults(handler=_token)

    migrate = commands.add_parser(
        "migrate", usage=MIGRATE_USAGE, formatter_class=argparse.RawDescriptionHelpFormatter,
        help="migrate the databases of the named services (default all), or show or move their revision",
        description="With services only: upgrade each to the newest revision (default every service).\n"
                    "status: each database's revision and how far it is behind the newest.\n"
                    "history: the service's revisions, newest first, the database's marked (current).\n"
                    "downgrade: back to REVISION (an id, -1 for one step, base for none).\n"
                    f"Services: {', '.join(SERVICES)}.")
    migrate.add_argument("words", nargs="*", metavar="WORD", help=argparse.SUPPRESS)
    migrate.set_defaults(handler=_migrate)

    revision = commands.add_parser("revision", help="autogenerate a migration from a service's models")
    revision.add_argument("service", choices=SERVICES)
    revision.add_argument("-m", "--message", required=True)
    revision.set_defaults(handler=_revision)

    pii = commands.add_parser("pii", help="personal data: re-encrypt under the first CHANCERY_PII_KEYS key")
    pii_commands = pii.add_subparsers(dest="pii_command", required=True)
    rotate = pii_commands.add_parser("rotate", help="re-encrypt every personal-data value (default all services)")
    rotate.add_argument("services", nargs="*", metavar="SERVICE", help=", ".join(SERVICES))
    rotate.set_defaults(handler=_rotate_pii)

    seed = commands.add_parser("seed", help="load demo data into the running suite through its APIs (repeatable)")
    seed.add_argument("services", nargs="*", metavar="SERVICE", help=", ".join(SERVICES))
    seed.set_defaults(handler=_seed)

    worker = commands.add_parser("worker", help="run a service's worker (outbox relay and consumer)")
    worker.add_argument("service", choices=SERVICES)
    worker.set_defaults(handler=_worker)

    dlq = commands.add_parser("dlq", help="a service's dead letters: list, show, replay, purge")
    dlq_commands = dlq.add_subparsers(dest="dlq_command", required=True)
    for action, help_text in (("list", "one JSON line per dead letter, oldest first"),
                              ("show", "one dead letter with its headers and body"),
                              ("replay", "send dead letters back to the service's queue"),
                              ("purge", "drop dead letters for good")):
        command = dlq_commands.add_parser(action, help=help_text)
        command.add_argument("service", choices=SERVICES)
        command.set_defaults(handler=_dlq, message_ids=[], all=False, yes=False)
        if action == "list":
            command.add_argument("--limit", type=int, default=100)
        elif action == "show":
            command.add_argument("message_id")
        else:
            command.add_argument("message_ids", nargs="*", metavar="MESSAGE_ID")
            command.add_argument("--all", action="store_true", help="every dead letter of the service")
            if action == "purge":
                command.add_argument("--yes", action="store_true",
                                     help="with --all: do not ask to type the service's name (scripts)")

    commands.add_parser("run", help="migrate and start the whole suite").set_defaults(handler=_run)
    commands.add_parser("permissions", help="print the role × route matrix (docs/permissions.md)") \
        .set_defaults(handler=_permissions)
    commands.add_parser("asyncapi", help="write docs/asyncapi.yaml from the event catalogs and the topology") \
        .set_defaults(handler=_asyncapi)

    args = parser.parse_args(argv)
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
