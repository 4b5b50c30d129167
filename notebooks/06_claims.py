# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown] tags=["analyst"]
# # The report's own claims · 报告自身论断的核对
#
# Each quantitative claim of the 2018 work summary, and each target of its 2019 plan, checked against independent sources.
#
# Set the parameters below and run all (README: "Working in JupyterLab").

# %% tags=["parameters"]
focus = "Guangzhou"                              # focus city
peers = ["Beijing", "Shanghai", "Shenzhen"]      # peer cities
start_year = 2015                                # first year shown
end_year = 2024                                  # last year shown
data_dir = None                                  # None: $ANALYSIS_DATA_DIR or the shipped data/
lang = "en"                                      # "en" or "zh": the language of the whole page
output_dir = None                                # set by the report run; None writes nothing

# %%
from analysis import sheets

ctx = sheets.open_report("06_claims", focus, peers, start_year, end_year, data_dir, lang, output_dir)
sheets.notebook_lead(ctx, "claims")

# %%
verdicts = sheets.claim_verdicts(ctx)
ctx.section("verdicts")
ctx.table(sheets.verdict_counts_table(ctx, verdicts))

# %%
ctx.section("claims")
ctx.table(sheets.claims_table(ctx, verdicts))

# %%
ctx.section("targets")
ctx.table(sheets.targets_table(ctx, verdicts))
