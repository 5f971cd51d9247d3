"""FAQ search quality and speed on bench/faq_eval.jsonl.

Prints top-1 / top-3 accuracy per language and per kind, how out-of-scope
questions are handled, and query latency with the real catalogue and with one
grown to 1,000 entries. Run: python bench/faq_eval.py [--show-misses]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.faq.catalog import load_catalog
from bot.faq.index import EntryDocuments, FaqIndex
from bot.faq.search import FaqSearch, Outcome, decide, entry_documents
from bot.i18n import Translator

EVAL_SET = Path(__file__).with_name("faq_eval.jsonl")


def load_queries() -> list[dict[str, object]]:
    with EVAL_SET.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def accuracy(rows: list[tuple[bool, bool]]) -> str:
    if not rows:
        return "   -      -  "
    top1 = sum(r[0] for r in rows) / len(rows)
    top3 = sum(r[1] for r in rows) / len(rows)
    return f"{top1:5.3f}  {top3:5.3f}"


def evaluate(search: FaqSearch, queries: list[dict[str, object]], show_misses: bool) -> None:
    by_lang: dict[str, list[tuple[bool, bool]]] = defaultdict(list)
    by_kind: dict[str, list[tuple[bool, bool]]] = defaultdict(list)
    overall: list[tuple[bool, bool]] = []
    answered_right = answered_wrong = in_scope = 0
    oos_total = oos_answered = oos_suggested = 0
    for q in queries:
        query = str(q["query"])
        decision = search.decide(query)
        ids = [h.entry_id for h in decision.hits]
        if q["expected"] is None:
            oos_total += 1
            oos_answered += decision.outcome is Outcome.ANSWER
            oos_suggested += decision.outcome is Outcome.SUGGEST
            if show_misses and decision.outcome is Outcome.ANSWER:
                print(f"  OOS answered {ids[0]}: {query}")
            continue
        good = {str(q["expected"]), *[str(x) for x in q.get("also", [])]}  # type: ignore[attr-defined]
        hits = search.search(query, top=3)
        ranked = [h.entry_id for h in hits]
        row = (bool(ranked) and ranked[0] in good, bool(good & set(ranked[:3])))
        overall.append(row)
        by_lang[str(q["lang"])].append(row)
        by_kind[str(q["kind"])].append(row)
        in_scope += 1
        if decision.outcome is Outcome.ANSWER:
            if ids[0] in good:
                answered_right += 1
            else:
                answered_wrong += 1
        if show_misses and not row[0]:
            print(
                f"  miss [{q['lang']}/{q['kind']}] want {q['expected']} got {ranked[:3]}: {query}"
            )
    print(f"queries: {len(queries)} ({in_scope} in scope, {oos_total} out of scope)")
    print(f"{'':18} top-1  top-3")
    print(f"{'overall':18} {accuracy(overall)}  (n={len(overall)})")
    for lang, rows in sorted(by_lang.items()):
        print(f"{'lang ' + lang:18} {accuracy(rows)}  (n={len(rows)})")
    for kind, rows in sorted(by_kind.items()):
        print(f"{'kind ' + kind:18} {accuracy(rows)}  (n={len(rows)})")
    print(
        f"in scope: answered directly {answered_right + answered_wrong}/{in_scope}"
        f" ({answered_right} right, {answered_wrong} wrong);"
        " the rest offered choices or a hand-over"
    )
    not_answered = 1 - oos_answered / oos_total if oos_total else 1.0
    print(
        f"out of scope: not answered {not_answered:.3f} ({oos_answered} answered,"
        f" {oos_suggested} offered suggestions,"
        f" {oos_total - oos_answered - oos_suggested} 'nothing relevant')"
    )


def grown(docs: list[EntryDocuments], size: int, seed: int = 7) -> list[EntryDocuments]:
    """A catalogue of `size` entries: the real ones and shuffled, mutated copies."""
    rng = random.Random(seed)
    out = list(docs)
    while len(out) < size:
        base = rng.choice(docs)
        phrasings = []
        for p in base.phrasings:
            words = p.split()
            rng.shuffle(words)
            chars = list(" ".join(words))
            for _ in range(max(1, len(chars) // 8)):
                chars[rng.randrange(len(chars))] = rng.choice(
                    "abcdefghijklmnopqrstuvwxyzកខគឃងចឆជឈញ"
                )
            phrasings.append("".join(chars))
        out.append(EntryDocuments(f"synthetic_{len(out)}", tuple(phrasings), " ".join(phrasings)))
    return out


def latency(index: FaqIndex, queries: list[str], rounds: int = 5) -> tuple[float, float, float]:
    timings = []
    for _ in range(rounds):
        for query in queries:
            start = time.perf_counter()
            decide(index.search(query, top=5))
            timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    return statistics.mean(timings), timings[len(timings) // 2], timings[int(len(timings) * 0.99)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--show-misses", action="store_true")
    args = parser.parse_args()
    i18n = Translator()
    catalog = load_catalog()
    started = time.perf_counter()
    search = FaqSearch(catalog, i18n)
    print(
        f"catalogue: {len(catalog.entry_ids)} entries,"
        f" index built in {(time.perf_counter() - started) * 1000:.0f} ms"
    )
    queries = load_queries()
    evaluate(search, queries, args.show_misses)
    texts = [str(q["query"]) for q in queries]
    mean, median, p99 = latency(search.index, texts)
    print(
        f"latency, real catalogue ({len(catalog.entry_ids)} entries):"
        f" mean {mean:.3f} ms, median {median:.3f} ms, p99 {p99:.3f} ms"
    )
    docs = grown(entry_documents(catalog, i18n), 1000)
    started = time.perf_counter()
    big = FaqIndex(docs)
    built = (time.perf_counter() - started) * 1000
    mean, median, p99 = latency(big, texts)
    print(
        f"latency, 1,000 entries (index built in {built:.0f} ms):"
        f" mean {mean:.3f} ms, median {median:.3f} ms, p99 {p99:.3f} ms"
    )


if __name__ == "__main__":
    main()
