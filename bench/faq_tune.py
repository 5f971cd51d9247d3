"""Choose the fusion weights and the decision policy on the tune split, and only there.

For each candidate it measures, on bench/faq_dev_tune.jsonl: top-1, in-scope answered
directly and right, false answers (in scope, wrong entry), out of scope answered. It prints
the best candidates whose false answers and out-of-scope answers stay under the limits, to
be copied into bot/faq/index.py (MODEL_SHARE, COVERAGE_POWER) and bot/faq/search.py (Policy).

Run: python bench/faq_tune.py [--max-wrong 0.035] [--max-oos 0.06]
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.faq.catalog import load_catalog
from bot.faq.index import Hit, fuse
from bot.faq.search import FaqSearch, Outcome, Policy, decide
from bot.i18n import Translator

TUNE = Path(__file__).with_name("faq_dev_tune.jsonl")


@dataclass(frozen=True)
class Result:
    top1: float
    right: float
    wrong: float
    oos_answered: float
    share: float
    power: float
    policy: Policy


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--max-wrong", type=float, default=0.035)
    parser.add_argument("--max-oos", type=float, default=0.06)
    args = parser.parse_args()
    search = FaqSearch(load_catalog(), Translator())
    ids = [e.entry_id for e in search.index.entries]
    has_reject = len(search.index.classes) > len(ids)
    queries = [json.loads(line) for line in TUNE.open(encoding="utf-8") if line.strip()]
    parts = [search.index.components(str(q["query"])) for q in queries]
    expected = [q["expected"] for q in queries]
    in_scope = sum(e is not None for e in expected)
    oos = len(expected) - in_scope
    results: list[Result] = []
    for share, power in itertools.product((0.6, 0.7, 0.8, 0.9), (2.0, 3.0, 4.0)):
        ranked: list[list[Hit]] = []
        rejections: list[float] = []
        for similarity, probability, coverage in parts:
            fused = fuse(similarity, probability, coverage, share, power)
            rejections.append(float(fused[-1]) if has_reject else 0.0)
            fused = fused[: len(ids)]
            order = np.argsort(-fused)[:5]
            ranked.append(
                [Hit(ids[i], float(fused[i]), float(similarity[i])) for i in order if fused[i] > 0]
            )
        top1 = sum(bool(h) and h[0].entry_id == e for h, e in zip(ranked, expected, strict=True))
        for values in itertools.product(
            (0.08, 0.12, 0.16),
            (0.12, 0.15, 0.18, 0.21, 0.25, 0.30),
            (0.0, 0.03, 0.06, 0.10),
            (0.25, 1.0),
            (0.10,),
            (0.7, 1.0) if has_reject else (1.0,),
            (0.0, 0.85),
        ):
            policy = Policy(*values[:5], reject_share=values[5], agreement=values[6])
            right = wrong = oos_answered = 0
            for hits, want, rejection in zip(ranked, expected, rejections, strict=True):
                decision = decide(hits, policy, rejection)
                if decision.outcome is not Outcome.ANSWER:
                    continue
                if want is None:
                    oos_answered += 1
                elif hits[0].entry_id == want:
                    right += 1
                else:
                    wrong += 1
            results.append(
                Result(
                    top1 / in_scope,
                    right / in_scope,
                    wrong / in_scope,
                    oos_answered / oos,
                    share,
                    power,
                    policy,
                )
            )
    allowed = [r for r in results if r.wrong <= args.max_wrong and r.oos_answered <= args.max_oos]
    allowed.sort(key=lambda r: (-(r.right + r.top1), r.wrong + r.oos_answered))
    print(f"tune split: {len(queries)} questions ({in_scope} in scope, {oos} out of scope)")
    for r in allowed[:15]:
        print(
            f"top-1 {r.top1:.3f} right {r.right:.3f} wrong {r.wrong:.3f} oos-ans"
            f" {r.oos_answered:.3f}  MODEL_SHARE={r.share} COVERAGE_POWER={r.power} {r.policy}"
        )


if __name__ == "__main__":
    main()
