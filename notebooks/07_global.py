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
# # The focus city against the global innovation hubs · 与国际创新中心的比较
#
# R&D intensity and the published global ranks (Nature Index science cities, WIPO GII clusters, Global Innovation Hubs) of the focus city and the global hubs (group `global` in `data/cities.csv`), every figure with the territory it measures.
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

ctx = sheets.open_report("07_global", focus, peers, start_year, end_year, data_dir, lang, output_dir)
hubs = sheets.global_data(ctx)
finding = sheets.global_lead(ctx, hubs)

# %%
ctx.section("global_intensity")
sheets.show_global_intensity(ctx, finding)
ctx.table(sheets.global_intensity_table(ctx, finding))

# %%
ctx.section("global_ranks")
ctx.table(sheets.global_ranks_table(ctx, finding))

# %%
sheets.show_global_ranks(ctx, hubs)
