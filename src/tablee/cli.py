"""The `tablee` command.

`tablee engine …` never starts Django: the engine is plain Python and starts fast. Every other
sub-command sets Django up first. Handlers live next to the capability they serve; this module
only parses arguments and dispatches.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence

from tablee.errors import CommandError

__all__ = ["CommandError", "build_parser", "main"]


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tablee.settings")
    from tablee.config import ConfigError

    try:
        import django

        django.setup()
    except ConfigError as exc:
        raise CommandError(f"configuration: {exc}") from None


def _serve(args: argparse.Namespace) -> int:
    from tablee.config import ConfigError
    from tablee.server import default_threads, default_workers, serve

    try:
        workers = default_workers() if args.workers is None else args.workers
        threads = default_threads() if args.threads is None else args.threads
    except ConfigError as exc:
        raise CommandError(f"configuration: {exc}") from None
    return serve(port=args.port, host=args.host, workers=workers, threads=threads)


def _migrate(args: argparse.Namespace) -> int:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=args.verbosity)
    return 0


def _worker(args: argparse.Namespace) -> int:
    from django.core.management import call_command

    from tablee import config

    # Background work yields the processor to the people waiting on a page: a big import or a plan
    # takes a little longer, their requests do not (bench/bench_import.py). 0 keeps full priority.
    try:
        niceness = config.env_int("TABLEE_WORKER_NICE", 5, minimum=0)
    except config.ConfigError as exc:
        raise CommandError(f"configuration: {exc}") from None
    if niceness:
        os.nice(niceness)
    options = {"queue_name": "*", "reload": False, "verbosity": args.verbosity}
    if args.batch:
        options["batch"] = True
    if args.max_tasks:
        options["max_tasks"] = args.max_tasks
    if args.tick:
        options["tick_seconds"] = args.tick
    call_command("tablee_worker", **options)
    return 0


def _manage(args: argparse.Namespace) -> int:
    from django.core.management import execute_from_command_line

    execute_from_command_line(["tablee manage", *args.rest])
    return 0


def _demo(args: argparse.Namespace) -> int:
    from django.conf import settings

    if not settings.DEBUG:
        # The demo's password is printed in the README: never on a real site.
        raise CommandError("tablee demo runs only with TABLEE_DEBUG=1: its password is public")
    if args.size == "large":
        from tablee.demo_large import load_large_demo

        load_large_demo(out=sys.stdout)
        return 0
    from tablee.demo import load_demo

    load_demo(out=sys.stdout)
    return 0


def _association_create(args: argparse.Namespace) -> int:
    from tablee.members.commands import association_create

    return association_create(slug=args.slug, name=args.name, out=sys.stdout)


def _members_import(args: argparse.Namespace) -> int:
    from tablee.members.commands import members_import

    return members_import(slug=args.slug, path=args.file, out=sys.stdout, err=sys.stderr, invite=args.invite,
                          overwrite=args.overwrite)


def _members_invite(args: argparse.Namespace) -> int:
    from tablee.members.commands import members_invite

    return members_invite(slug=args.slug, emails=args.emails, out=sys.stdout)


def _members_promote(args: argparse.Namespace) -> int:
    from tablee.members.commands import members_promote

    return members_promote(slug=args.slug, email=args.email, role=args.role, out=sys.stdout)


def _token_create(args: argparse.Namespace) -> int:
    from tablee.members.commands import token_create

    return token_create(emails=args.emails, out=sys.stdout)


def _token_revoke(args: argparse.Namespace) -> int:
    from tablee.members.commands import token_revoke

    return token_revoke(email=args.email, token_id=args.token_id, out=sys.stdout)


def _backup(args: argparse.Namespace) -> int:
    from tablee.backup import BackupError, backup

    try:
        done = backup(path=args.file)
    except BackupError as exc:
        raise CommandError(str(exc)) from None
    print(f"{done.path}: {done.size} bytes ({done.engine}) in {done.seconds:.2f} s")
    return 0


def _restore(args: argparse.Namespace) -> int:
    from tablee.backup import BackupError, restore

    try:
        seconds = restore(path=args.file, force=args.force)
    except BackupError as exc:
        raise CommandError(str(exc)) from None
    print(f"restored {args.file} in {seconds:.2f} s")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tablee",
        description="Tablée: small tables, deep conversations. / Petites tables, vraies conversations.",
    )
    parser.add_argument("-v", "--verbosity", type=int, default=1, choices=[0, 1, 2, 3])
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser("serve", help="serve the web app with gunicorn (production server)")
    p.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    p.add_argument("--host", default=os.environ.get("TABLEE_HOST", "127.0.0.1"))
    p.add_argument("--workers", type=int, default=None,
                   help="gunicorn worker processes (default: TABLEE_WORKERS, else two per core)")
    p.add_argument("--threads", type=int, default=None,
                   help="threads per worker (default: TABLEE_THREADS, else 2)")
    p.set_defaults(handler=_serve, django=True)

    p = sub.add_parser("migrate", help="create or update the database tables")
    p.set_defaults(handler=_migrate, django=True)

    p = sub.add_parser("worker", help="run background tasks (emails, table plans)")
    p.add_argument("--batch", action="store_true", help="run what is queued, then exit")
    p.add_argument("--max-tasks", type=int, default=None, help="exit after this many tasks")
    p.add_argument("--tick", type=float, default=None,
                   help="seconds between reminder and outbox-sweep rounds (default 60)")
    p.set_defaults(handler=_worker, django=True)

    p = sub.add_parser("manage", help="any Django management command", add_help=False)
    p.add_argument("rest", nargs=argparse.REMAINDER)
    p.set_defaults(handler=_manage, django=True)

    p = sub.add_parser("demo", help="create or refresh the demo association and print how to sign in")
    p.add_argument("--size", choices=["small", "large"], default="small",
                   help="large: a separate federation (50 chapters, 20,000 members, two years of breakfasts with "
                   "published plans, a member with 20,000 contacts) for benchmarks")
    p.set_defaults(handler=_demo, django=True)

    p = sub.add_parser("association", help="manage associations")
    asub = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    q = asub.add_parser("create", help="create an association")
    q.add_argument("slug", metavar="SLUG")
    q.add_argument("name", metavar="NAME")
    q.set_defaults(handler=_association_create, django=True)

    p = sub.add_parser("members", help="import members, change their role")
    msub = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    q = msub.add_parser(
        "import",
        help="import members from a CSV file (all or nothing)",
        description="Header: email,first_name,last_name,organization,sector,languages,offers,needs,"
        "interests (email, first_name, last_name required; French names such as courriel, prénom, "
        "nom also accepted). List fields are separated by ';'. Comma or semicolon delimiter; UTF-8 "
        "(with or without BOM) or Windows-1252. Existing people are matched by email; the file only "
        "fills their empty values (--overwrite replaces filled ones too, for members of SLUG) and an "
        "empty cell keeps the current value. If any row is invalid nothing is imported and every "
        "bad line is listed.",
    )
    q.add_argument("slug", metavar="SLUG")
    q.add_argument("file", metavar="FILE.csv")
    q.add_argument("--invite", action="store_true",
                   help="then email an invitation to each imported member who has never signed in")
    q.add_argument("--overwrite", action="store_true",
                   help="replace the values members of SLUG already filled in (default: keep them, fill empty ones)")
    q.set_defaults(handler=_members_import, django=True)
    q = msub.add_parser(
        "invite",
        help="(re)invite members by email; without EMAIL, every member who has never signed in",
    )
    q.add_argument("slug", metavar="SLUG")
    q.add_argument("emails", nargs="*", metavar="EMAIL")
    q.set_defaults(handler=_members_invite, django=True)
    q = msub.add_parser("promote", help="set a member's role in an association")
    q.add_argument("slug", metavar="SLUG")
    q.add_argument("email", metavar="EMAIL")
    q.add_argument("--role", required=True, choices=["organizer", "member"])
    q.set_defaults(handler=_members_promote, django=True)

    p = sub.add_parser("token", help="API bearer tokens")
    tsub = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    q = tsub.add_parser("create", help="create a token for each account; prints email,token lines")
    q.add_argument("emails", nargs="+", metavar="EMAIL")
    q.set_defaults(handler=_token_create, django=True)

    q = tsub.add_parser("revoke", help="revoke all of an account's tokens, or one with --id")
    q.add_argument("email", metavar="EMAIL")
    q.add_argument("--id", dest="token_id", type=int, default=None, metavar="N", help="revoke only token N")
    q.set_defaults(handler=_token_revoke, django=True)

    p = sub.add_parser("backup", help="write a consistent copy of the database to FILE (safe while serving)")
    p.add_argument("file", metavar="FILE")
    p.set_defaults(handler=_backup, django=True)

    p = sub.add_parser("restore", help="load a backup into an empty database (--force replaces a non-empty one)")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--force", action="store_true", help="replace the data of a database that is not empty")
    p.set_defaults(handler=_restore, django=True)

    # Parsed by tablee.engine.cli itself so that it never imports Django.
    sub.add_parser("engine", help="the table engine (mdgp, golfers, plan); see `tablee engine --help`", add_help=False)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "engine":
        from tablee.engine.cli import main as engine_main

        return engine_main(argv[1:])
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Callable[[argparse.Namespace], int] = args.handler
    try:
        if getattr(args, "django", False):
            _setup_django()
        return handler(args)
    except CommandError as exc:
        print(f"tablee: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
