"""Benchmark the metrics, the composite index and the sensitivity analysis.

Builds a synthetic panel of 300 cities x 60 indicators x 20 years (360,000 rows, about 2 %
of values missing) and prints wall-clock times (best of ``--repeat`` runs), the peak
memory of one full run (tracemalloc, measured in a separate run so tracing does not slow
the timings) and two floors measured in the same run:

- for the metrics, one pandas groupby pass over the panel (each city's latest year per
  indicator), the least any metric on the whole panel can cost;
- for the sensitivity analysis, one NumPy matrix product as large as its core work:
  (draws x indicators) @ (indicators x cities).

The eleven metric calls (latest year x2, difference x2, rank, year-on-year growth, CAGR,
catch-up, extra needed x3) are timed twice: on a :class:`analysis.metrics.Panel` checked
once (``metrics.panel``, included in the time), as an analyst computing several metrics on
one frame would, and on the raw frame, which every call checks again.

Targets: the eleven metrics under 0.5 s (data checked once); a 10,000-draw sensitivity
analysis under 2 s on a 2-core machine.

Usage: python benchmarks/bench_metrics.py [--repeat 3] [--draws 10000]
"""

from __future__ import annotations

import argparse
import resource
import time
import tracemalloc
import warnings

import numpy as np
import pandas as pd

from analysis import index, metrics

N_CITIES, N_INDICATORS, N_YEARS = 300, 60, 20
FIRST_YEAR = 2005
GAPS = ("strategic", "rd_intensity", "leading_firms", "talent_capital", "culture")
MISSING_SHARE = 0.02
RATIO_INDICATORS = 3        # ind_00 = ind_01 / ind_02 x 100, ind_03 = ind_04 / ind_05 x 100, ...


def synthetic_catalogue() -> pd.DataFrame:
    """60 indicators: every 12th is context (direction 0), every 7th lower-is-better."""
    codes = [f"ind_{i:02d}" for i in range(N_INDICATORS)]
    catalogue = pd.DataFrame({
        "code": codes,
        "unit": "count",
        "direction": [0 if i % 12 == 11 else (-1 if i % 7 == 6 else 1) for i in range(N_INDICATORS)],
        "gap": ["context" if i % 12 == 11 else GAPS[i % len(GAPS)] for i in range(N_INDICATORS)],
        "numerator": None, "denominator": None, "scale": np.nan,
    }).set_index("code")
    for r in range(RATIO_INDICATORS):
        ratio, numerator, denominator = codes[3 * r: 3 * r + 3]
        catalogue.loc[ratio, ["numerator", "denominator", "scale", "unit"]] = [numerator, denominator, 100.0, "percent"]
    return catalogue


def synthetic_panel(catalogue: pd.DataFrame, seed: int = 0) -> pd.DataFrame:
    """Tidy panel: positive values with city level, indicator scale and growth; 2 % missing."""
    rng = np.random.default_rng(seed)
    cities = [f"city_{c:03d}" for c in range(N_CITIES)]
    years = np.arange(FIRST_YEAR, FIRST_YEAR + N_YEARS)
    level = rng.lognormal(0.0, 1.0, size=(N_CITIES, 1, 1))
    scale = rng.lognormal(3.0, 2.0, size=(1, 1, N_INDICATORS))
    growth = (1 + rng.normal(0.05, 0.03, size=(N_CITIES, 1, N_INDICATORS))) ** np.arange(N_YEARS)[None, :, None]
    values = level * scale * growth * rng.lognormal(0.0, 0.1, size=(N_CITIES, N_YEARS, N_INDICATORS))
    codes = list(catalogue.index)
    for r in range(RATIO_INDICATORS):
        values[:, :, 3 * r] = values[:, :, 3 * r + 1] / values[:, :, 3 * r + 2] * 100.0
    city, year, indicator = np.meshgrid(np.arange(N_CITIES), np.arange(N_YEARS), np.arange(N_INDICATORS),
                                        indexing="ij")
    panel = pd.DataFrame({
        "city": np.asarray(cities)[city.ravel()],
        "year": years[year.ravel()],
        "indicator": np.asarray(codes)[indicator.ravel()],
        "value": values.ravel(),
        "unit": catalogue["unit"].to_numpy()[indicator.ravel()],
        "lower_bound": rng.random(city.size) < 0.01,
        "approximate": False,
        "year_inferred": False,
        "vintage": "",          # as the loaders return it: one unlabelled series, growth is computed
    })
    return panel[rng.random(len(panel)) >= MISSING_SHARE].reset_index(drop=True)


def all_gap_metrics(panel, catalogue, focus, peers):
    metrics.latest_comparable_year(panel, focus=focus, peers=peers, year="common")
    metrics.latest_comparable_year(panel, focus=focus, peers=peers, year="own")
    metrics.difference(panel, focus=focus, peers=peers, year="common")
    metrics.difference(panel, focus=focus, peers=peers, year="own")
    metrics.rank(panel, catalogue, focus=focus, peers=peers)
    metrics.growth_yoy(panel, focus=focus, peers=peers)
    metrics.growth_cagr(panel, focus=focus, peers=peers, window=5)
    metrics.catch_up(panel, catalogue, focus=focus, peers=peers, window=5)
    for r in range(RATIO_INDICATORS):
        metrics.extra_needed_to_match(panel, catalogue, indicator=f"ind_{3 * r:02d}", focus=focus, peers=peers,
                                      year="own")


def checked_once(panel, catalogue, focus, peers):
    """The eleven metric calls on a Panel built (and checked) once, in the timing."""
    all_gap_metrics(metrics.panel(panel), catalogue, focus, peers)


def groupby_floor(panel):
    """One pandas groupby pass over the panel: each city's latest year per indicator."""
    return panel.groupby(["indicator", "city"], sort=False)["year"].max()


def composite_index(panel, catalogue):
    return index.aggregate(index.normalise(panel, catalogue, method="n_minmax"), catalogue, method="a_amean")


def run_sensitivity(cross_section, catalogue, draws):
    return index.sensitivity(cross_section, catalogue, n_draws=draws, seed=0)


def best_time(function, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per timing; the best is reported")
    parser.add_argument("--draws", type=int, default=10_000, help="Monte Carlo draws of the sensitivity analysis")
    args = parser.parse_args()
    warnings.simplefilter("ignore", RuntimeWarning)    # no degenerate groups expected; keep output clean

    catalogue = synthetic_catalogue()
    panel = synthetic_panel(catalogue)
    cities = sorted(panel["city"].unique())
    focus, peers = cities[0], cities[1:]
    last_year = panel["year"].max()
    latest = panel[panel["year"] == last_year]
    # a gap-free cross-section of the same size for the headline number (fast path)
    rng = np.random.default_rng(2)
    full = pd.MultiIndex.from_product([cities, catalogue.index], names=["city", "indicator"]).to_frame(index=False)
    full = full.assign(year=last_year, value=rng.lognormal(3.0, 1.0, len(full)), lower_bound=False)

    scored = int(((catalogue["gap"] != "context") & (catalogue["direction"] != 0)).sum())
    print(f"panel: {panel['city'].nunique()} cities x {panel['indicator'].nunique()} indicators x "
          f"{panel['year'].nunique()} years = {len(panel):,} rows ({MISSING_SHARE:.0%} missing); "
          f"{scored} scored indicators in 5 gaps; focus {focus} vs {len(peers)} peers")
    print(f"numpy {np.__version__}, pandas {pd.__version__}; best of {args.repeat} runs")

    # The floor and the metrics are timed alternately, so both see the same machine load.
    floor_times, checked_times = [], []
    for _ in range(args.repeat):
        floor_times.append(best_time(lambda: groupby_floor(panel), 3))
        checked_times.append(best_time(lambda: checked_once(panel, catalogue, focus, peers), 1))
    floor_seconds, gap_seconds = min(floor_times), min(checked_times)
    raw_seconds = best_time(lambda: all_gap_metrics(panel, catalogue, focus, peers), args.repeat)
    calls = f"latest year x2, difference x2, rank, yoy, cagr, catch-up, extra x{RATIO_INDICATORS}"
    print(f"all gap metrics ({calls}), data checked once (metrics.panel + 11 calls): {gap_seconds:.3f} s")
    print(f"floor: one pandas groupby pass over the panel (latest year per indicator and city): "
          f"{floor_seconds * 1000:.1f} ms; ratio {gap_seconds / floor_seconds:.1f}x "
          f"(per-run ratios {', '.join(f'{c / f:.1f}' for c, f in sorted(zip(checked_times, floor_times)))})")
    print(f"same 11 calls on the raw frame (every call checks and encodes it again): {raw_seconds:.3f} s")
    index_seconds = best_time(lambda: composite_index(panel, catalogue), args.repeat)
    print(f"index (normalise + aggregate, 20 years): {index_seconds:.3f} s")

    # The floor and the analysis are timed alternately, so both see the same machine load.
    rng = np.random.default_rng(0)
    weights = rng.random((args.draws, scored))
    values = rng.random((scored, N_CITIES))
    product_times, sensitivity_times, gappy_times = [], [], []
    for _ in range(args.repeat):
        product_times.append(best_time(lambda: weights @ values, 5))
        sensitivity_times.append(best_time(lambda: run_sensitivity(full, catalogue, args.draws), 1))
        gappy_times.append(best_time(lambda: run_sensitivity(latest, catalogue, args.draws), 1))
    product_seconds, sensitivity_seconds, gappy_seconds = min(product_times), min(sensitivity_times), \
        min(gappy_times)
    ratios = sorted(s / f for s, f in zip(sensitivity_times, product_times))
    print(f"sensitivity, {args.draws:,} draws, {N_CITIES} cities x {N_INDICATORS} indicators, one year, "
          f"4 normalisations x 2 aggregations, no missing value: {sensitivity_seconds:.3f} s")
    print(f"sensitivity, same, with {MISSING_SHARE:.0%} missing (gap-by-gap re-weighting): {gappy_seconds:.3f} s")
    print(f"floor: one ({args.draws:,} x {scored}) @ ({scored} x {N_CITIES}) float64 product: "
          f"{product_seconds * 1000:.1f} ms")
    print(f"ratio sensitivity / floor: {sensitivity_seconds / product_seconds:.1f}x best/best "
          f"(per-run ratios {', '.join(f'{r:.1f}' for r in ratios)}); "
          f"with missing values: {gappy_seconds / product_seconds:.1f}x")

    tracemalloc.start()
    checked_once(panel, catalogue, focus, peers)
    composite_index(panel, catalogue)
    run_sensitivity(full, catalogue, args.draws)
    run_sensitivity(latest, catalogue, args.draws)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    max_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory: {peak / 2**20:.0f} MiB traced (tracemalloc, one run of everything); "
          f"process max RSS {max_rss:.0f} MiB")
    print(f"targets: gap metrics < 0.5 s: {'met' if gap_seconds < 0.5 else 'NOT met'}; sensitivity < 2 s: "
          f"{'met' if sensitivity_seconds < 2.0 else 'NOT met'}")


if __name__ == "__main__":
    main()
