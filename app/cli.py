"""The ``kb`` command: serve the API, migrate the database, load the seed article, import others."""

import argparse
import logging
import sys
from collections.abc import Sequence

import uvicorn
from sqlalchemy import Engine, func, select

from app import migrate
from app.config import get_settings
from app.db import analyze, begin_write, create_db_engine, create_session_factory
from app.errors import NotFoundError
from app.models import Entity
from app.services.export import DumpError, import_dump, iter_dump_chunks
from app.services.keys import Scope, list_keys, mint_key, revoke_key

logger = logging.getLogger("kb")


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line and run one command; the exit code says how it went."""
    parser = argparse.ArgumentParser(prog="kb", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="migrate, seed an empty database, and serve the API")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1)
    serve.add_argument("--no-seed", action="store_true", help="leave an empty database empty")

    migrate_cmd = commands.add_parser("migrate", help="upgrade (or downgrade) the schema")
    migrate_cmd.add_argument("revision", nargs="?", default="head")
    migrate_cmd.add_argument("--down", action="store_true", help="downgrade to the revision")

    commands.add_parser("seed", help="load the seed article (idempotent)")
    import_cmd = commands.add_parser("import", help="import another article of the same format")
    import_cmd.add_argument("paths", nargs="+")
    export_cmd = commands.add_parser("export", help="write the whole database as JSON Lines")
    export_cmd.add_argument("output", nargs="?", default="-", help="a file, or - for stdout")
    dump_cmd = commands.add_parser(
        "import-dump", help="load a JSON Lines dump into an empty database"
    )
    dump_cmd.add_argument("path", help="a file written by `kb export` or GET /export")
    generate_cmd = commands.add_parser("generate", help="add a synthetic corpus (load tests)")
    generate_cmd.add_argument("size", choices=["XS", "S", "M", "L"])
    generate_cmd.add_argument("--seed", type=int, default=1, help="the same seed, the same corpus")

    keys_cmd = commands.add_parser("keys", help="mint, list and revoke API keys")
    keys = keys_cmd.add_subparsers(dest="keys_command", required=True)
    create_key = keys.add_parser("create", help="mint a key; its secret is printed once")
    create_key.add_argument("name", help="who or what the key is for")
    create_key.add_argument(
        "--scope",
        dest="scopes",
        action="append",
        choices=[scope.value for scope in Scope],
        help="read, write or admin (repeatable; default write)",
    )
    keys.add_parser("list", help="every key: prefix, name, scopes, created, revoked")
    revoke_key_cmd = keys.add_parser("revoke", help="revoke a key by its prefix")
    revoke_key_cmd.add_argument("prefix")

    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    settings = get_settings()
    engine = create_db_engine(settings)
    try:
        if args.command == "migrate":
            if args.down:
                migrate.downgrade(engine, args.revision)
            else:
                migrate.upgrade(engine, args.revision)
            return 0
        migrate.upgrade(engine)
        if args.command == "serve":
            if settings.seed_on_empty and not args.no_seed and _is_empty(engine):
                _seed(engine)
            engine.dispose()
            uvicorn.run(
                "app.asgi:app",
                host=args.host,
                port=args.port,
                workers=args.workers,
                proxy_headers=True,
            )
            return 0
        if args.command == "seed":
            return _seed(engine)
        if args.command == "import":
            from seed.loader import import_articles

            return import_articles(create_session_factory(engine), args.paths)
        if args.command == "export":
            return _export(engine, args.output)
        if args.command == "import-dump":
            return _import_dump(engine, args.path)
        if args.command == "generate":
            from app.synth import generate

            print(generate(engine, args.size, seed=args.seed).summary())
            return 0
        if args.command == "keys":
            return _keys(engine, args)
    finally:
        engine.dispose()
    return 2


def _is_empty(engine: Engine) -> bool:
    factory = create_session_factory(engine)
    with factory() as session:
        return not session.scalar(select(func.count()).select_from(Entity))


def _export(engine: Engine, output: str) -> int:
    # Bytes, many lines per write: the dump is already UTF-8 and a write per line adds up.
    with create_session_factory(engine)() as session:
        stream = sys.stdout.buffer if output == "-" else open(output, "wb")  # noqa: SIM115
        try:
            for chunk in iter_dump_chunks(session):
                stream.write(chunk)
        finally:
            if stream is sys.stdout.buffer:
                stream.flush()
            else:
                stream.close()
    return 0


def _import_dump(engine: Engine, path: str) -> int:
    factory = create_session_factory(engine)
    with factory() as session, open(path, encoding="utf-8") as lines:
        begin_write(session)
        try:
            loaded = import_dump(session, lines)
            session.commit()
        except DumpError as error:
            session.rollback()
            logger.error("%s: %s", path, error)
            return 1
    analyze(engine)
    logger.info("loaded %d rows from %s", loaded, path)
    return 0


def _keys(engine: Engine, args: argparse.Namespace) -> int:
    with create_session_factory(engine)() as session:
        if args.keys_command == "create":
            minted = mint_key(session, args.name, [Scope(s) for s in args.scopes or ["write"]])
            session.commit()
            print(minted.secret)
            logger.info("key %s created; its secret is shown once, above", minted.key.prefix)
        elif args.keys_command == "list":
            for key in list_keys(session):
                revoked = key.revoked_at.isoformat() if key.revoked_at else "-"
                scopes = ",".join(key.scopes)
                print(
                    f"{key.prefix}\t{key.name}\t{scopes}\t{key.created_at.isoformat()}\t{revoked}"
                )
        else:
            try:
                revoke_key(session, args.prefix)
            except NotFoundError as error:
                logger.error("%s", error.detail)
                return 1
            session.commit()
            logger.info("key %s revoked", args.prefix)
    return 0


def _seed(engine: Engine) -> int:
    from seed.loader import load_seed

    return load_seed(create_session_factory(engine))


if __name__ == "__main__":
    sys.exit(main())
