"""Weighted rank fusion: WOZO_DENSE_WEIGHT and WOZO_LEXICAL_WEIGHT reach the retriever."""

from __future__ import annotations

from llama_index.core.base.base_retriever import BaseRetriever
from llama_index.core.schema import NodeWithScore, QueryBundle, TextNode

from assistant.retrieve.fusion import HybridRetriever, reciprocal_rank_fusion


class _Fixed(BaseRetriever):
    def __init__(self, ids: list[str]) -> None:
        super().__init__()
        self._ids = ids

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        return [NodeWithScore(node=TextNode(id_=i, text=i), score=1.0) for i in self._ids]


def _top(weights: tuple[float, float]) -> list[str]:
    hybrid = HybridRetriever(_Fixed(["a", "b"]), _Fixed(["b", "c"]), weights=weights, top_k=3)
    return [n.node.node_id for n in hybrid.retrieve("vraag")]


def test_the_weights_decide_which_retriever_leads():
    assert _top((1.0, 1.0))[0] == "b"  # in both lists
    assert _top((1.0, 0.0)) == ["a", "b", "c"]  # only the dense order counts
    assert _top((0.0, 1.0)) == ["b", "c", "a"]  # only the lexical order counts


def test_weighted_fusion_scores():
    fused = dict(reciprocal_rank_fusion([["a"], ["a"]], [2.0, 1.0], k=1))
    assert fused["a"] == 2.0 / 2 + 1.0 / 2


def test_the_searcher_takes_the_settings_weights():
    import inspect

    from assistant.pipeline import Assistant

    source = inspect.getsource(Assistant.from_settings)
    assert "settings.dense_weight, settings.lexical_weight" in source
