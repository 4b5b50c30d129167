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
# # Gap 5: innovation culture · 差距五：创新文化
#
# Proxies: incubators and maker spaces, unicorn start-ups (one series per index) and the technology market.
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

ctx = sheets.open_report("05_culture", focus, peers, start_year, end_year, data_dir, lang, output_dir)
sheets.gap_lead(ctx, "culture")

# %%
codes = ctx.gap_indicators("culture")
ctx.section("scoreboard")
ctx.table(sheets.scoreboard(ctx, codes))

# %%
ctx.section("trends")
sheets.show_trends(ctx, codes)

# %%
ctx.section("differences")
ctx.table(sheets.difference_table(ctx, sheets.differences(ctx, codes)))

# %%
sheets.show_challengers(ctx, codes)

# %%
ctx.section("since", year=sheets.BASE_YEAR)
sheets.since_paragraph(ctx, codes)
