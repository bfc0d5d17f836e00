"""Check a question file written for training or blind measurement.

Plain Python (no project imports), so question writers can run it without the assistant:

    python3 evals/tools/check_questions.py FILE.jsonl [--corpus corpus] [--show]

For every question it checks the fixed format, that each gold line range exists, and that every
``must_contain`` string occurs in the gold lines (case-insensitive, whitespace collapsed). It
measures how many of the question's content words also occur in the evidence (``overlap``):
questions under 0.5 count as phrased in the user's own words. ``--show`` prints each question
with its gold lines, for reading them back.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path

KINDS = {
    "figure",
    "table_cell",
    "definition",
    "explanation",
    "list",
    "multi_part",
    "status",
    "comparison",
    "multi_doc",
    "unanswerable",
}
STOP = set(
    [
        "de",
        "het",
        "een",
        "en",
        "of",
        "in",
        "op",
        "aan",
        "van",
        "voor",
        "met",
        "door",
        "bij",
        "tot",
        "uit",
        "over",
        "naar",
        "om",
        "te",
        "is",
        "zijn",
        "was",
        "waren",
        "wordt",
        "worden",
        "werd",
        "werden",
        "heeft",
        "hebben",
        "had",
        "hadden",
        "kan",
        "kunnen",
        "zal",
        "zullen",
        "zou",
        "zouden",
        "moet",
        "moeten",
        "mag",
        "dat",
        "die",
        "dit",
        "deze",
        "wat",
        "wie",
        "welke",
        "welk",
        "waar",
        "wanneer",
        "waarom",
        "hoe",
        "hoeveel",
        "hoelang",
        "er",
        "niet",
        "geen",
        "ook",
        "nog",
        "al",
        "wel",
        "dan",
        "als",
        "maar",
        "want",
        "dus",
        "zo",
        "zoals",
        "hun",
        "hij",
        "zij",
        "ze",
        "we",
        "wij",
        "ik",
        "je",
        "jij",
        "u",
        "uw",
        "mijn",
        "ons",
        "onze",
        "hem",
        "haar",
        "men",
        "iets",
        "iemand",
        "alle",
        "veel",
        "meer",
        "meest",
        "minder",
        "sinds",
        "tijdens",
        "volgens",
        "precies",
        "eigenlijk",
        "ongeveer",
        "welke",
        "staat",
        "staan",
        "gaat",
        "gaan",
        "komt",
        "komen",
        "zijn",
        "doen",
        "doet",
        "gedaan",
        "precies",
        "the",
    ]
)


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", text).strip()


def content_words(text: str) -> list[str]:
    return [w for w in re.findall(r"[a-z0-9]+", fold(text)) if len(w) > 2 and w not in STOP]


def overlap(question: str, evidence: str) -> float:
    words = content_words(question)
    if not words:
        return 0.0
    ev = content_words(evidence)
    stems = {w[:5] for w in ev}
    joined = " ".join(ev)
    hits = sum(1 for w in words if w[:5] in stems or (len(w) > 5 and w in joined))
    return hits / len(words)


def load_corpus(folder: Path) -> dict[str, list[str]]:
    docs = {}
    for path in sorted(folder.iterdir()):
        if path.suffix in {".txt", ".md"} and path.name != "README.md":
            docs[path.stem] = path.read_text(encoding="utf-8").splitlines()
    return docs


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("files", nargs="+")
    ap.add_argument("--corpus", default=str(Path(__file__).resolve().parents[2] / "corpus"))
    ap.add_argument("--show", action="store_true")
    args = ap.parse_args()
    docs = load_corpus(Path(args.corpus))
    errors = 0
    seen: set[str] = set()
    kinds: Counter[str] = Counter()
    low = 0
    answerable = 0
    for name in args.files:
        for n, raw in enumerate(Path(name).read_text(encoding="utf-8").splitlines(), 1):
            if not raw.strip():
                continue
            where = f"{name}:{n}"
            try:
                q = json.loads(raw)
            except json.JSONDecodeError as exc:
                print(f"ERROR {where}: not JSON ({exc})")
                errors += 1
                continue
            problems = []
            for field, typ in [
                ("id", str),
                ("question", str),
                ("kind", str),
                ("answer", str),
                ("must_contain", list),
                ("sources", list),
            ]:
                if not isinstance(q.get(field), typ):
                    problems.append(f"field {field!r} missing or not {typ.__name__}")
            if problems:
                print(f"ERROR {where}: " + "; ".join(problems))
                errors += 1
                continue
            if q["id"] in seen:
                problems.append(f"duplicate id {q['id']}")
            seen.add(q["id"])
            if q["kind"] not in KINDS:
                problems.append(f"unknown kind {q['kind']!r}")
            kinds[q["kind"]] += 1
            if q["kind"] == "unanswerable":
                if q["must_contain"] or q["sources"]:
                    problems.append("unanswerable needs must_contain [] and sources []")
            else:
                if not q["must_contain"] or not q["sources"]:
                    problems.append("answerable needs must_contain and sources")
            evidence = []
            for src in q["sources"]:
                doc = src.get("document")
                lines = src.get("lines")
                if doc not in docs:
                    problems.append(f"unknown document {doc!r}")
                    continue
                if (
                    not isinstance(lines, list)
                    or len(lines) != 2
                    or not all(isinstance(x, int) for x in lines)
                    or not 1 <= lines[0] <= lines[1] <= len(docs[doc])
                ):
                    problems.append(f"bad lines {lines!r} for {doc} ({len(docs[doc])} lines)")
                    continue
                if lines[1] - lines[0] > 8:
                    problems.append(
                        f"gold range {lines} is over 9 lines: give the answer-bearing lines"
                    )
                evidence.extend(docs[doc][lines[0] - 1 : lines[1]])
            text = fold(" ".join(evidence))
            for s in q["must_contain"]:
                if not isinstance(s, str) or not s.strip():
                    problems.append("empty must_contain string")
                elif fold(s) not in text:
                    problems.append(f"must_contain {s!r} not in the gold lines")
            if q["kind"] != "unanswerable":
                answerable += 1
                ov = overlap(q["question"], " ".join(evidence))
                low += ov < 0.5
            else:
                ov = float("nan")
            if problems:
                errors += 1
                print(f"ERROR {where} [{q['id']}]: " + "; ".join(problems))
            if args.show:
                print(
                    f"--- {q['id']} [{q['kind']}] overlap={ov:.2f}\n"
                    f"Q: {q['question']}\nA: {q['answer']}\nmust_contain: {q['must_contain']}"
                )
                for src in q["sources"]:
                    doc, (a, b) = src["document"], src["lines"]
                    for i in range(a, b + 1):
                        if doc in docs and 1 <= i <= len(docs[doc]):
                            print(f"   {doc}:{i}: {docs[doc][i - 1]}")
    total = sum(kinds.values())
    print(f"\n{total} questions, {errors} with errors")
    print("kinds: " + ", ".join(f"{k} {v}" for k, v in kinds.most_common()))
    if total:
        print(f"unanswerable: {kinds['unanswerable'] / total:.1%}")
    if answerable:
        print(
            f"answerable with content-word overlap < 0.5 (own words): {low}/{answerable} = "
            f"{low / answerable:.1%}"
        )
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
