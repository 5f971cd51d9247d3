"""Where the running bot's idle memory goes.

The real bot (the same start-up path as `python -m bot`: bot.__main__.main(["run"])) runs in a
child process against the fake Bot API (tests/fake_telegram.py), long polling, with one message
waiting, as in bench/throughput.py. One second after its first answer the child reports on
itself, from inside:

- its resident set (VmRSS), split by /proc/self/smaps into the heap and other anonymous
  memory, thread stacks, and the pages of each shared library and file it maps;
- the packages imported by then, with how many modules each;
- its resident set again after malloc_trim(0): what glibc still held freed;
- with --trace, a second run under tracemalloc (started before the first import, so every
  start-up cost is seen; slow): what Python holds in total, by the package whose code
  allocated it, what was added after the imports by the bot's line that led to it, and the
  largest single allocation sites.

With --imports, instead, what each library costs once imported: for each, a fresh interpreter
imports all the others, then that one, and prints what it added to the resident set (so what
libraries share, such as asyncio, ssl or email, is charged to none of them); then the same for
the bot's own modules.

With --stages, the bot's start-up in one process, piece by piece as runner.run makes it
(imports, settings, translations, database, application, FAQ index, getMe), with what each
adds to the resident set.

tracemalloc adds its own bookkeeping, so the traced run's resident set is far larger; the
untraced run's figure is the one to compare.

Run: python bench/memory.py [--trace | --imports | --stages] [--python PYTHON] [--top 25]
(about 10 s untraced)
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

QUESTION = "who leads the AI strategy"
MIB = 1024 * 1024
FRAMES = 10

# The libraries the running bot imports, each with the modules that pull in all of it.
LIBRARIES = {
    "pydantic, pydantic-settings": ["pydantic_settings", "pydantic"],
    "aiohttp": ["aiohttp"],
    "python-telegram-bot, with httpx": ["telegram", "telegram.ext"],
    "fluent.runtime, babel": ["fluent.runtime"],
    "numpy": ["numpy"],
    "aiosqlite, sqlite3": ["aiosqlite"],
    "prometheus-client": ["prometheus_client"],
    "khmerspell": ["khmerspell"],
}
BASE = "asyncio, ssl (what every library needs)"
# Everything `python -m bot` imports on its way to running the bot.
BOT_MODULES = ["bot.__main__", "bot.runner"]


def status_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def smaps_breakdown() -> dict[str, float]:
    """Resident MiB per mapping: files by name, anonymous memory as heap/stack/anonymous."""
    resident: dict[str, float] = defaultdict(float)
    name = ""
    for line in Path("/proc/self/smaps").read_text().splitlines():
        first = line.split(maxsplit=1)[0]
        if re.fullmatch(r"[0-9a-f]+-[0-9a-f]+", first):
            parts = line.split(maxsplit=5)
            path = parts[5].strip() if len(parts) > 5 else ""
            if path.startswith("/"):
                name = _short(path)
            elif path in ("[heap]", "[stack]"):
                name = path
            else:
                name = "[anonymous: malloc arenas and mmapped blocks, thread stacks]"
        elif first == "Rss:":
            resident[name] += int(line.split()[1]) / 1024
    return dict(resident)


def _short(path: str) -> str:
    """A mapped file, by the package it belongs to (site-packages/<pkg>/...) or its name."""
    match = re.search(r"site-packages/([^/]+)", path)
    if match:
        return f"lib: {match.group(1).split('.')[0]}"
    if "/python3" in path or "libpython" in path:
        return "the interpreter and its standard extension modules"
    return "file: " + Path(path).name


def sqlite_memory_used() -> int:
    """SQLite's own heap in this process (page cache, schema, statements): the library's
    sqlite3_memory_used(), from the copy of it the interpreter has loaded."""
    import ctypes

    for line in Path("/proc/self/maps").read_text().splitlines():
        path = line.split()[-1]
        if "libsqlite3" in path:
            used = ctypes.CDLL(path).sqlite3_memory_used
            used.restype = ctypes.c_int64
            return int(used())
    return 0


def package_of(filename: str) -> str:
    match = re.search(r"site-packages/([^/]+)", filename)
    if match:
        return match.group(1).removesuffix(".py")
    root = str(ROOT) + os.sep
    if filename.startswith(root):
        rel = filename[len(root) :].split(os.sep)
        return "/".join(rel[:2]) if rel[0] in ("bot", "storage") and len(rel) > 2 else rel[0]
    if filename.startswith("<"):
        return filename
    return "stdlib"


def _allocator(traceback: Any) -> str:
    """The package of the innermost frame that is not the import machinery: for a module's
    code objects (unmarshalled by importlib) that is the package whose import statement
    loaded it."""
    for frame in reversed(traceback):
        if not frame.filename.startswith("<frozen importlib"):
            return package_of(frame.filename)
    return "<importlib>"


def _where(traceback: Any) -> str:
    innermost = traceback[-1]
    return f"{innermost.filename}:{innermost.lineno} via {_bot_caller(traceback)}"


def _bot_caller(traceback: Any) -> str:
    """The innermost line of the bot's own code (bot/, storage/) that led to an allocation."""
    root = str(ROOT) + os.sep
    for frame in reversed(traceback):
        if frame.filename.startswith((root + "bot" + os.sep, root + "storage" + os.sep)):
            return f"{frame.filename[len(root) :]}:{frame.lineno}"
    return f"(outside the bot) {package_of(traceback[-1].filename)}"


def report_from_inside(path: Path, top: int, imported: tuple[float, Any]) -> None:
    """What the child writes when the parent signals that the bot is idle."""
    import gc
    import tracemalloc

    gc.collect()
    report: dict[str, Any] = {
        "rss_mib": status_kib("VmRSS") / 1024,
        "rss_after_imports_mib": imported[0],
        "threads": threading.active_count(),
        "native_threads": len(os.listdir("/proc/self/task")),
        "smaps": smaps_breakdown(),
    }
    packages: Counter[str] = Counter()
    for name in list(sys.modules):
        packages[name.split(".")[0]] += 1
    report["packages"] = dict(packages)
    report["sqlite_mib"] = sqlite_memory_used() / MIB
    from bot.memory import give_back_freed_memory

    give_back_freed_memory()
    report["rss_after_trim_mib"] = status_kib("VmRSS") / 1024
    if tracemalloc.is_tracing():
        snapshot = tracemalloc.take_snapshot()
        traced, _peak = tracemalloc.get_traced_memory()
        report["traced_mib"] = traced / MIB
        report["tracemalloc_overhead_mib"] = tracemalloc.get_tracemalloc_memory() / MIB
        by_package: Counter[str] = Counter()
        for stat in snapshot.statistics("traceback"):
            by_package[_allocator(stat.traceback)] += stat.size
        report["by_package"] = {k: v / MIB for k, v in by_package.most_common(top)}
        since: Counter[str] = Counter()
        for diff in snapshot.compare_to(imported[1], "traceback"):
            since[_bot_caller(diff.traceback)] += diff.size_diff
        report["since_imports"] = {k: v / MIB for k, v in since.most_common(top)}
        report["by_line"] = [
            (_where(stat.traceback), stat.size / MIB, stat.count)
            for stat in snapshot.statistics("traceback")[:top]
        ]
    path.write_text(json.dumps(report))


def child(report_path: Path, top: int) -> None:
    if os.environ.get("MEMORY_TRACE") == "1":
        import tracemalloc

        tracemalloc.start(FRAMES)
    # What `python -m bot` imports before it runs, imported here first to be told apart from
    # what running adds (main() would import the same modules a moment later).
    import bot.runner  # noqa: F401
    from bot.__main__ import main

    imported = _imports_done()
    signal.signal(signal.SIGUSR1, lambda *_: report_from_inside(report_path, top, imported))
    sys.exit(main(["run"]))


def _imports_done() -> tuple[float, Any]:
    import gc
    import tracemalloc

    gc.collect()
    snapshot = tracemalloc.take_snapshot() if tracemalloc.is_tracing() else None
    return status_kib("VmRSS") / 1024, snapshot


def imports_child(last: str) -> None:
    """Imports every library but one, then that one: what it adds is its own cost, whatever
    it shares with the others (asyncio, ssl, email, ...) already paid for."""
    import importlib

    if last == BASE:
        first, then = [], ["asyncio", "ssl"]
    else:
        others = [m for name, modules in LIBRARIES.items() if name != last for m in modules]
        first, then = ["asyncio", "ssl", *others], LIBRARIES.get(last, BOT_MODULES)
    for module in first:
        importlib.import_module(module)
    before = status_kib("VmRSS")
    for module in then:
        importlib.import_module(module)
    print(json.dumps([before / 1024, status_kib("VmRSS") / 1024, len(sys.modules)]))


def import_costs(python: str) -> None:
    def child(last: str) -> list[float]:
        out = subprocess.run(
            [python, __file__, "--imports-child", last],
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        figures: list[float] = json.loads(out)
        return figures

    bare = subprocess.run(
        [python, "-c", "import sys; sys.stdout.write(open('/proc/self/status').read())"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    interpreter = next(int(line.split()[1]) for line in bare.splitlines() if "VmRSS" in line)
    print(f"{'the interpreter alone':<42}{interpreter / 1024:>6.1f} MiB")
    before, after, _ = child(BASE)
    print(f"  {BASE:<40}{after - before:>+6.1f} MiB")
    own = after - before
    print("each library imported after all the others (what it alone adds):")
    for name in [*LIBRARIES, "the bot's own modules (bot/, storage/)"]:
        before, after, modules = child(name)
        own += after - before
        print(f"  {name:<40}{after - before:>+6.1f} MiB")
    shared = after - interpreter / 1024 - own
    print(f"  {'shared by several (the standard library)':<40}{shared:>+6.1f} MiB")
    print(f"{'all imported':<42}{after:>6.1f} MiB ({int(modules)} modules)")


def stages_child() -> None:
    """The bot's start-up, piece by piece as runner.run does it, with the resident set after
    each (the imports first, as `python -m bot` makes them)."""
    import asyncio
    import gc

    from bot import memory

    memory.one_arena()
    last = status_kib("VmRSS") / 1024
    print(f"{'the interpreter and this script':<62}{last:>6.1f} MiB")

    def mark(what: str) -> None:
        nonlocal last
        gc.collect()
        now = status_kib("VmRSS") / 1024
        print(f"{'+ ' + what:<62}{now - last:>+6.1f} MiB")
        last = now

    import bot.__main__
    import bot.runner  # noqa: F401
    from bot.app import build_application
    from bot.config import load_settings
    from bot.i18n import Translator
    from storage.db import Database

    mark("imports")
    settings = load_settings()
    mark("settings")
    translator = Translator()
    mark("translations (Fluent bundles, Babel's data for en and km)")

    async def start() -> None:
        db = Database(settings.database_path)
        async with db:
            await db.migrate()
            mark("database opened and migrated (one connection, its thread)")
            app = build_application(settings, db, translator)
            mark("application and handlers built")
            # The FAQ index is built in its own thread, which then trims the heap, as at start.
            await asyncio.to_thread(lambda: app.bot_data.faq)
            mark("FAQ index built (arrays, model, and what its build left)")
            async with app:
                mark("application initialised (getMe, connections)")
        print(f"{'total':<62}{last:>6.1f} MiB")

    asyncio.run(start())


def start_up_stages(python: str) -> None:
    from tests.fake_telegram import FakeTelegram
    from tests.harness import bot_env

    with (
        FakeTelegram(token="123456:BENCH-TOKEN-abcdefghijklmnopqrstuvwxyz") as fake,
        tempfile.TemporaryDirectory() as tmp,
    ):
        env = bot_env(fake, Path(tmp) / "bot.sqlite3", LOG_LEVEL="WARNING")
        env = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(ROOT), **env}
        subprocess.run([python, __file__, "--stages-child"], env=env, cwd=tmp, check=True)


def run_bot(trace: bool, top: int, folder: Path, python: str) -> dict[str, Any]:
    from tests.fake_telegram import FakeTelegram
    from tests.harness import bot_env

    with FakeTelegram(token="123456:BENCH-TOKEN-abcdefghijklmnopqrstuvwxyz") as fake:
        person = 100_001
        fake.user(person, language_code="en")
        fake._act(lambda world: world.post(world.require_user(person), person, {"text": QUESTION}))
        report_path = folder / f"report-{int(trace)}.json"
        env = bot_env(fake, folder / f"bot-{int(trace)}.sqlite3", LOG_LEVEL="WARNING")
        env = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(ROOT), **env}
        if trace:
            env["MEMORY_TRACE"] = "1"
        command = [python, __file__, "--child", str(report_path), "--top", str(top)]
        started = time.time()
        proc = subprocess.Popen(command, env=env, cwd=folder, stderr=subprocess.DEVNULL)
        try:
            while not any(r.method.lower() == "sendmessage" for r in fake.requests):
                time.sleep(0.01)
                if time.time() - started > 240:
                    raise RuntimeError("the bot did not answer within 240 s")
            first = time.time() - started
            time.sleep(1.0)
            proc.send_signal(signal.SIGUSR1)
            while not report_path.exists():
                time.sleep(0.05)
            time.sleep(0.1)
            report: dict[str, Any] = json.loads(report_path.read_text())
            report["startup_s"] = first
            return report
        finally:
            proc.terminate()
            proc.wait(30)


def print_report(report: dict[str, Any], trace: bool, top: int) -> None:
    print(f"\n== {'traced by tracemalloc' if trace else 'untraced'}")
    print(f"start-up to first answer  {report['startup_s']:.2f} s")
    print(
        f"idle resident set         {report['rss_mib']:.1f} MiB"
        f" ({report['rss_after_imports_mib']:.1f} once imported;"
        f" {report['threads']} Python threads, {report['native_threads']} in all)"
    )
    print(f"after malloc_trim(0) then {report['rss_after_trim_mib']:>6.1f} MiB")
    print(f"SQLite's own heap         {report['sqlite_mib']:>6.1f} MiB")
    if not trace:
        print("\nresident set by mapping (MiB)")
        for name, mib in sorted(report["smaps"].items(), key=lambda kv: -kv[1])[:top]:
            if mib >= 0.1:
                print(f"  {mib:7.1f}  {name}")
        packages = sorted(report["packages"].items(), key=lambda kv: -kv[1])
        print(f"\nimported packages ({sum(report['packages'].values())} modules):")
        big = [(name, count) for name, count in packages if count >= 3]
        rest = sum(count for _, count in packages if count < 3)
        print("  " + ", ".join(f"{name} {count}" for name, count in big) + f"; {rest} others")
        return
    print(
        f"traced by Python            {report['traced_mib']:.1f} MiB"
        f" (tracemalloc's own {report['tracemalloc_overhead_mib']:.1f} MiB)"
    )
    print("\nPython allocations by the package whose code made them (MiB)")
    for name, mib in report["by_package"].items():
        print(f"  {mib:7.2f}  {name}")
    print("\nadded since the imports, by the bot's line that led to it (MiB)")
    for name, mib in report["since_imports"].items():
        print(f"  {mib:7.2f}  {name}")
    print("\nlargest allocation sites (MiB, blocks)")
    for where, mib, count in report["by_line"]:
        print(f"  {mib:7.2f} {count:>8}  {where.replace(str(ROOT) + os.sep, '')}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--imports", action="store_true", help="the cost of each import instead")
    parser.add_argument(
        "--trace", action="store_true", help="then a run under tracemalloc (slow: about 2 min)"
    )
    parser.add_argument("--top", type=int, default=25, help="rows per table")
    parser.add_argument(
        "--python",
        default=sys.executable,
        help="the interpreter that runs the bot: e.g. one of a virtual environment holding only"
        " the bot's own dependencies, as the Docker image does (a development environment"
        " adds the test tools, and httpx imports its command line when they are there)",
    )
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--imports-child", help=argparse.SUPPRESS)
    parser.add_argument(
        "--stages", action="store_true", help="the resident set after each piece of start-up"
    )
    parser.add_argument("--stages-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.top)
        return
    if args.imports_child:
        imports_child(args.imports_child)
        return
    if args.imports:
        import_costs(args.python)
        return
    if args.stages_child:
        stages_child()
        return
    if args.stages:
        start_up_stages(args.python)
        return
    with tempfile.TemporaryDirectory() as tmp:
        for trace in (False, True) if args.trace else (False,):
            print_report(run_bot(trace, args.top, Path(tmp), args.python), trace, args.top)


if __name__ == "__main__":
    main()
