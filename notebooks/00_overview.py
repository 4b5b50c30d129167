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
# # Overview: the five gaps side by side · 总览：五项差距
#
# Every sourced series at a common year, the composite index with its rank uncertainty, and what the data covers.
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

ctx = sheets.open_report("00_overview", focus, peers, start_year, end_year, data_dir, lang, output_dir)
sheets.notebook_lead(ctx, "overview")

# %%
ctx.section("overview_scoreboard")
ctx.table(sheets.overview_scoreboard(ctx))

# %%
ctx.section("index")
inputs = sheets.index_inputs(ctx)
ctx.table(sheets.index_inputs_table(ctx, inputs))

# %%
scores, sensitivity = sheets.composite_index(ctx, inputs)
ctx.section("index_ranks", draws=sheets.INDEX_DRAWS)
sheets.index_sentence(ctx, sensitivity)

# %%
ctx.table(sheets.index_table(ctx, scores, sensitivity))

# %%
sheets.show_ranks(ctx, sensitivity)

# %%
ctx.table(sheets.gap_scores_table(ctx, scores))

# %%
ctx.table(sheets.factors_table(ctx, sensitivity))

# %%
ctx.section("coverage")
sheets.show_coverage(ctx)
