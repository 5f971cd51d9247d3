"""FAQ matching quality and speed, on the development set's tune and test splits.

For each split, per language (km, en, mixed, rom) and per kind: top-1 and top-3 among
in-scope questions, the share answered directly with the right entry, false answers (in-scope
questions answered directly with a wrong entry; out-of-scope questions answered directly),
and out-of-scope questions rejected (not answered directly). Then the time to build the index
and query latency with the real catalogue and with one grown to 1,000 entries. The real
catalogue's index is built in a thread, as the bot builds it at start: the bench prints its
CPU time and the resident memory the process keeps after it.

Run: python bench/faq_eval.py [--set tune|test|old|all] [--show-misses]
Tune on the tune split only: the test split's questions are never read for tuning.
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import statistics
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np

from bot import memory
from bot.context import BotData
from bot.faq.catalog import Catalog, load_catalog
from bot.faq.index import EntryDocuments, FaqIndex
from bot.faq.phrasings import load_out_of_scope
from bot.faq.search import FaqSearch, Outcome, decide, entry_documents
from bot.i18n import Translator

HERE = Path(__file__).resolve().parent
SETS = {
    "tune": HERE / "faq_dev_tune.jsonl",
    "test": HERE / "faq_dev_test.jsonl",
    "old": HERE / "faq_eval.jsonl",
}
LANGUAGES = ("km", "en", "mixed", "rom")


def load_queries(path: Path) -> list[dict[str, object]]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def kinds_of(query: dict[str, object]) -> list[str]:
    kinds = query.get("kinds")
    if isinstance(kinds, list):
        return [str(k) for k in kinds]
    return [str(query.get("kind", "?"))]


def language_of(query: dict[str, object]) -> str:
    lang = str(query.get("lang", "?"))
    # The older set files romanized Khmer under kind "romanized", language "km".
    return "rom" if "romanized" in kinds_of(query) else lang


@dataclass
class Tally:
    in_scope: int = 0
    top1: int = 0
    top3: int = 0
    right: int = 0
    wrong: int = 0
    oos: int = 0
    oos_answered: int = 0
    misses: list[str] = field(default_factory=list)

    def row(self, name: str) -> str:
        def rate(x: int, n: int) -> str:
            return f"{x / n:6.3f}" if n else "     -"

        n, o = self.in_scope, self.oos
        return (
            f"{name:22} {n:4} {rate(self.top1, n)} {rate(self.top3, n)} {rate(self.right, n)}"
            f" {rate(self.wrong, n)} {o:4} {rate(self.oos_answered, o)}"
            f" {rate(o - self.oos_answered, o)}"
        )


HEADER = (
    f"{'':22} {'n':>4} {'top-1':>6} {'top-3':>6} {'right':>6} {'wrong':>6}"
    f" {'oos':>4} {'oos-ans':>6} {'reject':>6}"
)
LEGEND = (
    "  right = in-scope answered directly with the right entry; wrong = in-scope answered"
    " directly with a wrong entry (false answer);\n  oos-ans = out-of-scope answered directly"
    " (false answer); reject = out-of-scope not answered directly"
)


def evaluate(search: FaqSearch, queries: list[dict[str, object]], show_misses: bool) -> Tally:
    overall = Tally()
    by_lang: dict[str, Tally] = defaultdict(Tally)
    by_kind: dict[str, Tally] = defaultdict(Tally)
    for q in queries:
        query = str(q["query"])
        decision = search.decide(query)
        tallies = [overall, by_lang[language_of(q)], *(by_kind[k] for k in kinds_of(q))]
        answered = decision.outcome is Outcome.ANSWER
        if q["expected"] is None:
            for t in tallies:
                t.oos += 1
                t.oos_answered += answered
            if show_misses and answered:
                overall.misses.append(f"  OOS answered {decision.hits[0].entry_id}: {query}")
            continue
        good = {str(q["expected"]), *[str(x) for x in q.get("also", [])]}  # type: ignore[attr-defined]
        ranked = [h.entry_id for h in search.search(query, top=3)]
        first = bool(ranked) and ranked[0] in good
        for t in tallies:
            t.in_scope += 1
            t.top1 += first
            t.top3 += bool(good & set(ranked))
            if answered:
                t.right += decision.hits[0].entry_id in good
                t.wrong += decision.hits[0].entry_id not in good
        if show_misses and (not first or (answered and decision.hits[0].entry_id not in good)):
            how = decision.outcome.value
            overall.misses.append(
                f"  miss [{language_of(q)}/{','.join(kinds_of(q))}] want {q['expected']}"
                f" got {ranked} ({how}): {query}"
            )
    print(HEADER)
    print(overall.row("overall"))
    for lang in [*LANGUAGES, *sorted(set(by_lang) - set(LANGUAGES))]:
        if lang in by_lang:
            print(by_lang[lang].row("lang " + lang))
    for kind, tally in sorted(by_kind.items()):
        print(tally.row("kind " + kind))
    for miss in overall.misses:
        print(miss)
    return overall


def grown(
    docs: list[EntryDocuments], size: int, phrasings: int = 0, seed: int = 7
) -> list[EntryDocuments]:
    """A catalogue of `size` entries: the real ones and shuffled, mutated copies, each with
    `phrasings` of its model's phrasings (all of them when 0)."""
    rng = random.Random(seed)

    def mutate(text: str) -> str:
        words = text.split()
        rng.shuffle(words)
        chars = list(" ".join(words))
        for _ in range(max(1, len(chars) // 8)):
            chars[rng.randrange(len(chars))] = rng.choice("abcdefghijklmnopqrstuvwxyzកខគឃងចឆជឈញ")
        return "".join(chars)

    out = list(docs)
    while len(out) < size:
        base = rng.choice(docs)
        chosen = rng.sample(
            base.phrasings, min(phrasings, len(base.phrasings)) or len(base.phrasings)
        )
        texts = tuple(mutate(p) for p in chosen)
        out.append(EntryDocuments(f"synthetic_{len(out)}", texts, mutate(base.answer)))
    return out


def latency(index: FaqIndex, queries: list[str], rounds: int = 3) -> str:
    """Wall-clock and CPU time of this thread: on a shared machine the wall clock also counts
    the time other processes held the CPU."""
    wall: list[float] = []
    cpu: list[float] = []
    for _ in range(rounds):
        for query in queries:
            start, start_cpu = time.perf_counter(), time.thread_time()
            hits, rejection = index.rank(query, top=5)
            decide(hits, rejection=rejection)
            cpu.append((time.thread_time() - start_cpu) * 1000)
            wall.append((time.perf_counter() - start) * 1000)
    wall.sort()
    cpu.sort()
    p99 = int(len(wall) * 0.99)
    return (
        f"mean {statistics.mean(wall):.3f} ms, p99 {wall[p99]:.3f} ms"
        f" (CPU: mean {statistics.mean(cpu):.3f} ms, p99 {cpu[p99]:.3f} ms)"
    )


def memory_mib(field: str) -> float:
    """A figure from /proc/self/status (VmRSS, VmHWM) in MiB; NaN where there is none."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def array_bytes(holder: object, seen: set[int] | None = None) -> int:
    """The bytes of the numpy arrays an object holds, through its attributes."""
    seen = set() if seen is None else seen
    total = 0
    for value in vars(holder).values():
        if id(value) in seen:
            continue
        seen.add(id(value))
        if isinstance(value, np.ndarray):
            total += value.nbytes
        elif isinstance(value, list):
            total += sum(array_bytes(v, seen) for v in value if hasattr(v, "__dict__"))
        elif hasattr(value, "__dict__") and not isinstance(value, type):
            total += array_bytes(value, seen)
    return total


def build_as_the_bot_does(catalog: Catalog, i18n: Translator) -> tuple[FaqSearch, str]:
    """Build the index in a thread, as the bot does at start; its time and what it retains."""
    gc.collect()
    before = memory_mib("VmRSS")
    box: list[FaqSearch] = []
    cpu: list[float] = []

    def build() -> FaqSearch:
        started = time.thread_time()
        box.append(FaqSearch(catalog, i18n))
        cpu.append((time.thread_time() - started) * 1000)
        return box[0]

    started = time.perf_counter()
    data = BotData()
    data.build_faq_in_background(build)  # the bot's own path, memory given back included
    assert data.faq is box[0]
    built = (time.perf_counter() - started) * 1000
    gc.collect()
    retained = memory_mib("VmRSS") - before
    peak = memory_mib("VmHWM") - before
    held = array_bytes(box[0].index) / 2**20
    return box[0], (
        f"index of the real catalogue built in {built:.0f} ms (CPU {cpu[0]:.0f} ms),"
        f" retained {retained:.1f} MiB of RSS (its arrays {held:.1f} MiB),"
        f" RSS peak +{peak:.1f} MiB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--set", choices=[*SETS, "all"], default="all")
    parser.add_argument("--show-misses", action="store_true")
    parser.add_argument("--no-speed", action="store_true", help="skip the latency part")
    args = parser.parse_args()
    memory.one_arena()  # as python -m bot does first
    i18n = Translator()
    catalog = load_catalog()
    search, built = build_as_the_bot_does(catalog, i18n)
    docs = entry_documents(catalog, i18n)
    phrasings = sum(len(d.phrasings) for d in docs)
    print(f"catalogue: {len(catalog.entry_ids)} entries, {phrasings} phrasings")
    print(built)
    texts: list[str] = []
    for name, path in SETS.items():
        if args.set not in (name, "all"):
            continue
        if not path.exists():
            print(f"\n== {name}: {path.name} missing")
            continue
        queries = load_queries(path)
        texts += [str(q["query"]) for q in queries]
        print(f"\n== {name}: {path.name}, {len(queries)} questions")
        evaluate(search, queries, args.show_misses)
    print(LEGEND)
    if args.no_speed or not texts:
        return
    real = latency(search.index, texts)
    print(f"\nlatency, real catalogue ({len(catalog.entry_ids)} entries): {real}")
    # 1,000 entries with 30 phrasings each (the real ones keep all theirs), then with as many
    # as the real entries have.
    for per_entry in (30, 0):
        big_docs = grown(docs, 1000, per_entry)
        started, started_cpu = time.perf_counter(), time.thread_time()
        big = FaqIndex(big_docs, load_out_of_scope())
        built = (time.perf_counter() - started) * 1000
        built_cpu = (time.thread_time() - started_cpu) * 1000
        print(
            f"index of 1,000 entries ({sum(len(d.phrasings) for d in big_docs)} phrasings)"
            f" built in {built:.0f} ms (CPU {built_cpu:.0f} ms; classifier:"
            f" {big.model.iterations} training steps)"
        )
        print(f"latency, 1,000 entries: {latency(big, texts)}")


if __name__ == "__main__":
    main()
