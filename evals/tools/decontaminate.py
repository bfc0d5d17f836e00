"""Drop training questions worded like a dev, held-out or blind question.

Training questions are written by helpers who never see the evaluation sets, but two writers
reading the same paragraph sometimes ask the same thing in nearly the same words. A training
question whose content words overlap an evaluation question's by Jaccard >= THRESHOLD is left
out, so the evaluation sets keep measuring new wordings. Only counts are printed: the
evaluation questions are compared, never shown.

    python3 evals/tools/decontaminate.py NEW.jsonl [...] --out KEPT.jsonl
"""

from __future__ import annotations

import argparse
import glob
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
THRESHOLD = 0.5
EVAL_SETS = ("evals/dev.jsonl", "evals/heldout.jsonl", "evals/blind/batch-*.jsonl")


def words(text: str) -> frozenset[str]:
    return frozenset(w for w in re.findall(r"\w+", text.lower()) if len(w) > 2)


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / max(1, len(a | b))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("files", nargs="+", type=Path)
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()
    evals = [
        words(json.loads(line)["question"])
        for pattern in EVAL_SETS
        for path in sorted(glob.glob(str(ROOT / pattern)))
        for line in Path(path).read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    kept, dropped = [], 0
    for path in args.files:
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            q = json.loads(line)
            mine = words(q["question"])
            if any(jaccard(mine, other) >= THRESHOLD for other in evals):
                dropped += 1
            else:
                kept.append(line)
    args.out.write_text("".join(x + "\n" for x in kept), encoding="utf-8")
    print(f"kept {len(kept)}, dropped {dropped} worded like an evaluation question")
    return 0


if __name__ == "__main__":
    sys.exit(main())
