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
# # Gap 4: talent and capital · 差距四：人才与资本集聚
#
# Academicians, R&D personnel (also per 10,000 residents) and venture-capital investment, one series per database.
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

ctx = sheets.open_report("04_talent_capital", focus, peers, start_year, end_year, data_dir, lang, output_dir)
sheets.gap_lead(ctx, "talent_capital")

# %%
codes = ctx.gap_indicators("talent_capital")
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
