"""`faq check` for the phrasings: enough of them, no duplicates, each closest to its own entry."""

from __future__ import annotations

import re

import numpy as np

from bot.faq.catalog import Catalog
from bot.faq.index import EntryDocuments, FaqIndex
from bot.faq.normalize import normalize
from bot.faq.phrasings import PHRASING_SETS, Phrasings
from bot.i18n import Translator

# How many phrasings each entry needs in each set, to cover how people ask.
MIN_PHRASINGS = {"km": 40, "en": 40, "rom": 15}
_KHMER = re.compile(r"[\u1780-\u17ff]")


def check_phrasings(
    catalog: Catalog, i18n: Translator, phrasings: Phrasings, minimum: dict[str, int] | None = None
) -> list[str]:
    """Everything wrong with the phrasings, one line each; empty when they are fine."""
    minimum = MIN_PHRASINGS if minimum is None else minimum
    problems: list[str] = []
    known = set(catalog.entry_ids)
    seen: dict[str, str] = {}
    for name in PHRASING_SETS:
        by_entry = phrasings.get(name, {})
        source = f"phrasings/{name}.toml"
        problems += [f"{source}: unknown entry {e!r}" for e in by_entry if e not in known]
        for entry_id in catalog.entry_ids:
            items = by_entry.get(entry_id, [])
            if len(items) < minimum.get(name, 0):
                problems.append(
                    f"{source}: {entry_id}: {len(items)} phrasings, at least {minimum[name]} wanted"
                )
            for phrasing in items:
                where = f"{source}: {entry_id}: {phrasing!r}"
                norm = normalize(phrasing)
                if not norm:
                    problems.append(f"{where} is empty")
                    continue
                if (name == "km") != bool(_KHMER.search(phrasing)) and name != "en":
                    problems.append(f"{where} is not in {name} script")
                if norm in seen:
                    problems.append(f"{where} duplicates {seen[norm]}")
                    continue
                seen[norm] = f"{name}/{entry_id}"
    if not problems:
        problems += confusions(catalog, phrasings)
    return problems


def confusions(catalog: Catalog, phrasings: Phrasings) -> list[str]:
    """Phrasings closer to another entry than to their own: both the nearest other phrasing
    and the closest entry's whole text belong to that other entry."""
    documents = [
        EntryDocuments(e, tuple(p for n in PHRASING_SETS for p in phrasings.get(n, {}).get(e, [])))
        for e in catalog.entry_ids
    ]
    index = FaqIndex(documents)
    problems = []
    for own, document in enumerate(documents):
        for position, phrasing in enumerate(document.phrasings):
            nearest, whole = index.leave_one_out(document.entry_id, position)
            other = int(np.argmax(nearest))
            if other != own and int(np.argmax(whole)) == other:
                problems.append(
                    f"{document.entry_id}: {phrasing!r} is closer to"
                    f" {documents[other].entry_id} (phrasing {nearest[other]:.2f}, entry"
                    f" {whole[other]:.2f}) than to its own entry (phrasing {nearest[own]:.2f},"
                    f" entry {whole[own]:.2f})"
                )
    return problems
