"""Calibrate the abstention threshold on the dev questions; writes evals/ABSTENTION.md.

For every dev question it computes the evidence score (answer.evidence_score: the share of the
question's informative terms that one window of the top passages holds together with an answer
of the asked type) and reports abstention precision/recall/F1 for a range of thresholds, so that
WOZO_ABSTAIN_THRESHOLD can be chosen from measurements. Run:

    python evals/calibrate_abstention.py [--questions evals/dev.jsonl]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant import __version__  # noqa: E402
from assistant.answer import evidence_score  # noqa: E402
from assistant.assistant import Assistant  # noqa: E402
from assistant.config import Settings  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--questions", default="evals/dev.jsonl")
    parser.add_argument("--report", default="evals/ABSTENTION.md")
    args = parser.parse_args()
    settings = Settings.from_env()
    assistant = Assistant.from_settings(settings)
    path = ROOT / args.questions
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    scored = []
    for q in rows:
        passages = assistant.search(q["question"], top_k=settings.top_k)
        score = evidence_score(q["question"], passages, assistant._stats)
        scored.append((q["kind"] == "unanswerable", score))
    n_un = sum(u for u, _ in scored)
    lines = [
        "# Abstention calibration",
        "",
        f"Made by `python evals/calibrate_abstention.py --questions {args.questions}` on "
        f"{time.strftime('%Y-%m-%d')}, assistant {__version__}, model {settings.embed_model}. "
        f"{len(scored)} questions, {n_un} of them unanswerable. The assistant abstains when the "
        "evidence score is below the threshold (and no fact matches). The configured threshold "
        f"is {settings.abstain_threshold}.",
        "",
        "| threshold | abstained | precision | recall | F1 | answerable wrongly abstained |",
        "|---|---|---|---|---|---|",
    ]
    for step in range(10, 52, 2):
        t = step / 100
        tp = sum(1 for u, s in scored if u and s < t)
        fp = sum(1 for u, s in scored if not u and s < t)
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / n_un if n_un else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        lines.append(f"| {t:.2f} | {tp + fp} | {p:.2f} | {r:.2f} | {f1:.2f} | {fp} |")
    (ROOT / args.report).write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
