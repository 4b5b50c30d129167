"""Rank kernels: the one implementation behind every rank the package computes.

- :func:`descending_ranks` gives competition ranks (1 = highest, ties share the best rank,
  as pandas' ``rank(method="min", ascending=False)``) along the rows of a 2-D array. It
  serves :func:`analysis.metrics.rank` (cities per indicator and year, and through it the
  point ranks in :mod:`analysis.claims`), :func:`analysis.index.aggregate` (cities per
  component) and :func:`analysis.sensitivity.sensitivity` (cities per Monte Carlo draw).
- :func:`sorted_ranks` is the same ranking listed from the lowest score up, which the
  sensitivity analysis counts into histograms without a scatter.
- :func:`average_ranks` gives ascending ranks with ties averaged (the ``n_rank``
  normalisation of :mod:`analysis.index`).

Every result is exact: it equals pandas' ranking of the same numbers (tests check this).
The sensitivity analysis ranks 300 cities in 10,000 draws x 8 method combinations, so the
descending ranks take a fast path: one sort of 32-bit keys holding the score quantised to
the row's range in the high bits and the column in the low bits, so that the sort also
yields the permutation. Rows where two quantised scores coincide, and arrays with NaN, are
ranked again by sorting 64-bit keys (the float's order-preserving bits with the column in
the lowest bits); rows where that loses a difference in the lowest bits are ranked by a
stable argsort.
"""

from __future__ import annotations

import numpy as np

_ALL_BUT_SIGN = np.int64(0x7FFFFFFFFFFFFFFF)
_LOWEST = np.iinfo(np.int64).min


def descending_ranks(scores: np.ndarray) -> np.ndarray:
    """Competition ranks along the last axis of a 2-D array (1 = highest, ties share the best); 0 for NaN."""
    city, rank = sorted_ranks(scores)
    out = np.empty(scores.shape, dtype=np.int64)
    np.put_along_axis(out, city.astype(np.intp), rank, axis=1)
    return out


def sorted_ranks(scores: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Competition ranks of each row of ``scores`` (rows, columns), listed from the lowest score up.

    Returns ``(column, rank)``, both (rows, columns) integer arrays: the column of the j-th
    lowest score of each row and its rank (1 = highest score; ties share the best rank; 0
    for NaN, which sorts lowest).
    """
    size = scores.shape[1]
    bits = max(1, (size - 1).bit_length())
    if bits > 16 or not len(scores) or np.isnan(scores).any():
        return _exact_sorted_ranks(scores)
    low = scores.min(axis=1, keepdims=True)
    span = scores.max(axis=1, keepdims=True) - low
    if not np.isfinite(span).all():
        return _exact_sorted_ranks(scores)
    levels = float((1 << (32 - bits)) - 1)
    scaled = scores - low
    scaled *= levels / np.where(span > 0, span, 1.0)
    key = scaled.astype(np.uint32)
    key <<= np.uint32(bits)
    key |= np.arange(size, dtype=np.uint32)
    key.sort(axis=1)
    city = key & np.uint32((1 << bits) - 1)
    key >>= np.uint32(bits)
    collided = (key[:, 1:] == key[:, :-1]).any(axis=1)
    rank = np.broadcast_to((size - np.arange(size)).astype(np.uint32), key.shape)
    if collided.any():
        rank = rank.copy()
        city[collided], rank[collided] = _exact_sorted_ranks(scores[collided])
    return city, rank


def _exact_sorted_ranks(scores: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """:func:`sorted_ranks` by one sort of 64-bit keys: the float's order-preserving bits with
    the lowest ``ceil(log2(columns))`` replaced by the column. Rows where two scores differ
    only in those bits are ranked again by :func:`_argsort_ranks`."""
    size = scores.shape[1]
    missing = np.isnan(scores)
    bits = max(1, (size - 1).bit_length())
    if bits > 16:
        return _argsort_ranks(scores)
    key = (np.where(missing, 0.0, scores) + 0.0).view(np.int64)     # + 0.0 turns -0.0 into 0.0
    key = key ^ ((key >> 63) & _ALL_BUT_SIGN)           # negative floats: reverse their order
    key &= np.int64(-(1 << bits))
    key[missing] = _LOWEST                               # NaN below every number, -inf included
    key |= np.arange(size, dtype=np.int64)
    key.sort(axis=1)
    city = (key & np.int64((1 << bits) - 1)).astype(np.intp)
    value = key >> bits
    tied = value[:, 1:] == value[:, :-1]
    if tied.any():
        ordered = np.take_along_axis(scores, city, axis=1)
        same = (ordered[:, 1:] == ordered[:, :-1]) | (np.isnan(ordered[:, 1:]) & np.isnan(ordered[:, :-1]))
        rank = _tie_ranks(tied)
        blurred = (tied & ~same).any(axis=1)
        if blurred.any():
            city[blurred], rank[blurred] = _argsort_ranks(scores[blurred])
    else:
        rank = np.broadcast_to(size - np.arange(size), key.shape).copy()
    if missing.any():
        rank = np.where(np.arange(size) < missing.sum(axis=1, keepdims=True), 0, rank)
    return city, rank


def _argsort_ranks(scores: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """:func:`sorted_ranks` by a stable argsort of the scores themselves (NaN first)."""
    size = scores.shape[1]
    missing = np.isnan(scores)
    city = np.lexsort((np.where(missing, 0.0, scores), ~missing), axis=-1)
    ordered = np.take_along_axis(scores, city, axis=1)
    tied = (ordered[:, 1:] == ordered[:, :-1]) | (np.isnan(ordered[:, 1:]) & np.isnan(ordered[:, :-1]))
    rank = _tie_ranks(tied)
    rank = np.where(np.arange(size) < missing.sum(axis=1, keepdims=True), 0, rank)
    return city, rank


def _tie_ranks(tied: np.ndarray) -> np.ndarray:
    """Competition ranks (1 = last position) of ascending rows whose neighbours are ``tied``."""
    size = tied.shape[1] + 1
    ends = np.ones((tied.shape[0], size), dtype=bool)
    ends[:, :-1] = ~tied
    position = np.where(ends, np.arange(size), size - 1)
    return size - np.flip(np.minimum.accumulate(np.flip(position, 1), axis=1), 1)


def average_ranks(values: np.ndarray) -> np.ndarray:
    """Ranks along the last axis, 1 = lowest, ties averaged; NaN stays NaN."""
    order = np.argsort(values, axis=-1)
    ordered = np.take_along_axis(values, order, axis=-1)
    size = ordered.shape[-1]
    position = np.arange(size)
    starts = np.ones(ordered.shape, dtype=bool)
    starts[..., 1:] = ordered[..., 1:] != ordered[..., :-1]
    ends = np.ones(ordered.shape, dtype=bool)
    ends[..., :-1] = starts[..., 1:]
    first = np.maximum.accumulate(np.where(starts, position, 0), axis=-1)
    last = np.flip(np.minimum.accumulate(np.flip(np.where(ends, position, size - 1), -1), axis=-1), -1)
    ranked = (first + last) / 2.0 + 1.0
    ranked[np.isnan(ordered)] = np.nan
    out = np.empty_like(ranked)
    np.put_along_axis(out, order, ranked, axis=-1)
    return out
