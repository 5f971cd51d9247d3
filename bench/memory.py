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

With --imports, a fresh interpreter instead imports the bot's dependencies one at a time, in
the order the bot needs them, and prints what each adds to the resident set (a package that
another has already pulled in costs nothing the second time).

tracemalloc adds its own bookkeeping, so the traced run's resident set is far larger; the
untraced run's figure is the one to compare.

Run: python bench/memory.py [--trace] [--imports] [--top 25]   (about 10 s untraced)
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

# The bot's dependencies in the order its start-up imports them; --imports prints each's cost.
IMPORT_STEPS = [
    "asyncio",
    "sqlite3",
    "pydantic",
    "pydantic_settings",
    "bot.config",
    "yarl",
    "aiohttp",
    "httpx",
    "telegram",
    "telegram.ext",
    "bot.telegram_calls",
    "aiosqlite",
    "storage.db",
    "fluent.runtime",
    "bot.i18n",
    "numpy",
    "bot.faq.search",
    "bot.app",
    "bot.runner",
]


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


def imports_child() -> None:
    import importlib

    before = status_kib("VmRSS")
    print(f"{'interpreter':<26}{before / 1024:>7.1f} MiB")
    for name in IMPORT_STEPS:
        start = time.perf_counter()
        importlib.import_module(name)
        took = time.perf_counter() - start
        now = status_kib("VmRSS")
        print(f"{'+ ' + name:<26}{(now - before) / 1024:>+7.1f} MiB  ({took * 1000:.0f} ms)")
        before = now
    print(f"{'total':<26}{now / 1024:>7.1f} MiB  ({len(sys.modules)} modules)")


def run_bot(trace: bool, top: int, folder: Path) -> dict[str, Any]:
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
        command = [sys.executable, __file__, "--child", str(report_path), "--top", str(top)]
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
    print(f"after malloc_trim(0) then  {report['rss_after_trim_mib']:.1f} MiB")
    if not trace:
        print("\nresident set by mapping (MiB)")
        for name, mib in sorted(report["smaps"].items(), key=lambda kv: -kv[1])[:top]:
            if mib >= 0.1:
                print(f"  {mib:7.1f}  {name}")
        packages = sorted(report["packages"].items(), key=lambda kv: -kv[1])
        print(f"\nimported packages ({sum(report['packages'].values())} modules):")
        print("  " + ", ".join(f"{name} {count}" for name, count in packages))
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
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--imports-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.top)
        return
    if args.imports_child:
        imports_child()
        return
    if args.imports:
        subprocess.run(
            [sys.executable, __file__, "--imports-child"],
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            check=True,
        )
        return
    with tempfile.TemporaryDirectory() as tmp:
        for trace in (False, True) if args.trace else (False,):
            print_report(run_bot(trace, args.top, Path(tmp)), trace, args.top)


if __name__ == "__main__":
    main()
