"""`python -m bot faq ...`: for content editors and measurement.

`faq report` and `faq phrasings export` read the bot's database: through the bot's own settings
(DATABASE_PATH) and storage functions, and hand what they read to the FAQ package as plain data.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Iterator
from pathlib import Path

from bot.config import SettingsError, load_settings_without_token
from bot.faq.catalog import Catalog, check, load_catalog
from bot.faq.phrasing_check import check_phrasings
from bot.faq.phrasings import HEADERS, PHRASING_SETS, add_learned, dump, load_phrasings
from bot.faq.search import FaqSearch
from bot.i18n import Translator
from storage import faq as faq_store
from storage.db import Database


def add_commands(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    faq = commands.add_parser("faq", help="FAQ tools: faq check, faq search, faq report")
    sub = faq.add_subparsers(dest="faq_command", metavar="FAQ_COMMAND", required=True)
    search = sub.add_parser("search", help="rank FAQ entries for a query")
    search.add_argument("query", nargs="?", help="the question (or use --stdin)")
    search.add_argument("--lang", choices=["km", "en"], help="language of the printed questions")
    search.add_argument("--top", type=int, default=5, help="how many results (default 5)")
    search.add_argument("--json", action="store_true", help="one JSON object per query")
    search.add_argument("--stdin", action="store_true", help="one query per line on standard input")
    sub.add_parser(
        "check", help="validate the FAQ content and phrasings; exit 1 naming what is wrong"
    )
    report = sub.add_parser(
        "report", help="what the FAQ missed and how answers were rated, from the bot's database"
    )
    report.add_argument(
        "--db", type=Path, default=None, help="the SQLite file (default: DATABASE_PATH or data/)"
    )
    report.add_argument("--top", type=int, default=20, help="how many missed questions")
    phrasings = sub.add_parser("phrasings", help="the phrasings moderators taught the FAQ")
    phrasings_sub = phrasings.add_subparsers(
        dest="phrasings_command", metavar="PHRASINGS_COMMAND", required=True
    )
    export = phrasings_sub.add_parser(
        "export",
        help="write the data files (bot/faq/phrasings/*.toml) with the learned phrasings added",
    )
    export.add_argument(
        "--db", type=Path, default=None, help="the SQLite file (default: DATABASE_PATH or data/)"
    )
    export.add_argument(
        "--out", type=Path, default=Path("phrasings-export"), help="folder to write en/km/rom.toml"
    )


def run(args: argparse.Namespace) -> int:
    i18n = Translator()
    catalog = load_catalog()
    if args.faq_command == "check":
        return _check(catalog, i18n)
    if args.faq_command in ("report", "phrasings"):
        try:
            path = args.db or load_settings_without_token().database_path
        except SettingsError as exc:
            print(f"configuration error: {exc}", file=sys.stderr)
            return 2
        if not path.exists():
            print(f"faq {args.faq_command}: no database at {path}", file=sys.stderr)
            return 2
        if args.faq_command == "phrasings":
            return _export(asyncio.run(_learned(path)), args.out, catalog)
        return asyncio.run(_report(path, args.top))
    return _search(args, FaqSearch(catalog, i18n), i18n)


def _check(catalog: Catalog, i18n: Translator) -> int:
    problems = check(catalog, i18n)
    if not problems:
        problems = check_phrasings(catalog, i18n, load_phrasings())
    for problem in problems:
        print(problem)
    if problems:
        print(f"faq check: {len(problems)} problem(s)", file=sys.stderr)
        return 1
    count = len(load_catalog().entry_ids)
    print(f"faq check: {count} entries in {', '.join(i18n.languages)}: OK")
    return 0


async def _learned(path: Path) -> list[faq_store.Learned]:
    async with Database(path) as db:
        return await faq_store.learned(db)


def _export(learned: list[faq_store.Learned], out: Path, catalog: Catalog) -> int:
    """The data files as they would be with the learned phrasings: review, then commit."""
    merged = load_phrasings()
    added = add_learned(merged, ((i.entry_id, i.phrasing, i.language) for i in learned))
    out.mkdir(parents=True, exist_ok=True)
    for name in PHRASING_SETS:
        ordered = {e: merged[name].get(e, []) for e in catalog.entry_ids}
        ordered.update({e: p for e, p in merged[name].items() if e not in ordered})
        (out / f"{name}.toml").write_text(dump(ordered, HEADERS[name]), encoding="utf-8")
    print(f"faq phrasings export: {added} learned phrasing(s) added; files in {out}")
    return 0


async def _report(path: Path, top: int) -> int:
    async with Database(path) as db:
        missed = await faq_store.top_unanswered(db, max(1, top))
        votes = await faq_store.feedback_counts(db)
        learned = await faq_store.learned(db)
    gained: dict[str, int] = {}
    for phrasing in learned:
        gained[phrasing.entry_id] = gained.get(phrasing.entry_id, 0) + 1
    print("Entries that gained phrasings (moderators linked questions to them):")
    for entry_id, count in sorted(gained.items(), key=lambda x: (-x[1], x[0])):
        print(f"  {entry_id:<18} {count:>5}")
    if not gained:
        print("  (none yet)")
    print("Questions still unanswered (times asked, language, normalised text):")
    for item in missed:
        print(f"  {item.asked:>5}  {item.language}  {item.question}")
    if not missed:
        print("  (none)")
    print("Did this help? (entry: yes / no)")
    for vote in votes:
        print(f"  {vote.entry_id:<18} {vote.helpful:>5} / {vote.not_helpful}")
    if not votes:
        print("  (no votes yet)")
    return 0


def _search(args: argparse.Namespace, search: FaqSearch, i18n: Translator) -> int:
    queries: Iterator[str]
    if args.stdin:
        queries = (line.rstrip("\n") for line in sys.stdin)
    elif args.query is not None:
        queries = iter([args.query])
    else:
        print("faq search: give a QUERY or --stdin", file=sys.stderr)
        return 2
    top = max(1, args.top)
    for query in queries:
        decision = search.decide(query)
        hits = search.search(query, top=top)
        if args.json:
            print(
                json.dumps(
                    {
                        "query": query,
                        "answered": decision.answered,
                        "results": [{"id": h.entry_id, "score": round(h.score, 4)} for h in hits],
                    },
                    ensure_ascii=False,
                ),
                flush=True,
            )
            continue
        print(f"{query}  →  {decision.outcome.value}")
        for hit in hits:
            question = i18n.get(args.lang or "en", f"faq-{hit.entry_id}-q")
            print(f"  {hit.score:.3f}  {hit.entry_id:<18} {question}")
    return 0
