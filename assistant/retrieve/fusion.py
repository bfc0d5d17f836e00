"""Weighted reciprocal rank fusion of a dense and a lexical retriever (a llama-index retriever).

Rank fusion is robust to the two retrievers' scores living on different scales; the weights
(WOZO_DENSE_WEIGHT, WOZO_LEXICAL_WEIGHT) say how much each ranking counts.
"""

from __future__ import annotations

from llama_index.core.base.base_retriever import BaseRetriever
from llama_index.core.schema import NodeWithScore, QueryBundle

RRF_K = 60


def reciprocal_rank_fusion(
    rankings: list[list[str]], weights: list[float] | None = None, k: int = RRF_K
) -> list[tuple[str, float]]:
    """Fuse ranked id lists: score(id) = sum_i w_i / (k + rank_i(id)), best first, stable."""
    weights = weights or [1.0] * len(rankings)
    scores: dict[str, float] = {}
    for ranking, weight in zip(rankings, weights, strict=True):
        for rank, item in enumerate(ranking, start=1):
            scores[item] = scores.get(item, 0.0) + weight / (k + rank)
    order = {item: i for i, item in enumerate(dict.fromkeys(x for r in rankings for x in r))}
    return sorted(scores.items(), key=lambda kv: (-kv[1], order[kv[0]]))


class HybridRetriever(BaseRetriever):
    """Weighted reciprocal rank fusion of a dense and a lexical retriever."""

    def __init__(
        self,
        dense: BaseRetriever,
        lexical: BaseRetriever,
        *,
        weights: tuple[float, float] = (1.0, 1.0),
        top_k: int = 5,
    ) -> None:
        super().__init__()
        self._dense = dense
        self._lexical = lexical
        self._weights = weights
        self._top_k = top_k

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        dense = self._dense.retrieve(query_bundle)
        lexical = self._lexical.retrieve(query_bundle)
        nodes = {n.node.node_id: n.node for n in [*dense, *lexical]}
        ranks = {
            "dense_rank": {n.node.node_id: i for i, n in enumerate(dense, start=1)},
            "lexical_rank": {n.node.node_id: i for i, n in enumerate(lexical, start=1)},
        }
        fused = reciprocal_rank_fusion(
            [[n.node.node_id for n in dense], [n.node.node_id for n in lexical]],
            list(self._weights),
        )
        out = []
        for node_id, score in fused[: self._top_k]:
            node = nodes[node_id].model_copy()
            node.metadata = {
                **node.metadata,
                **{key: r.get(node_id, 0) for key, r in ranks.items()},
            }
            out.append(NodeWithScore(node=node, score=score))
        return out
