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
# # Gap 2: R&D intensity (flagship) · 差距二：研发投入强度
#
# R&D expenditure as a percentage of GDP: the trend, the difference to each peer, the extra R&D spending needed to match it, the catch-up years and the basic-research share.
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

ctx = sheets.open_report("02_rd_intensity", focus, peers, start_year, end_year, data_dir, lang, output_dir)
sheets.gap_lead(ctx, "rd_intensity")

# %%
ctx.section("trend")
sheets.show_trends(ctx, ["rd_intensity", "rd_expenditure"], name="trend")

# %%
ctx.section("difference")
latest = sheets.differences(ctx, "rd_intensity")
sheets.show_difference(ctx, latest, "rd_intensity", landing=True)
ctx.table(sheets.difference_table(ctx, latest, name="difference_latest"))

# %%
ctx.section("difference_base_year", year=sheets.BASE_YEAR)
in_base_year = sheets.differences(ctx, "rd_intensity", year=sheets.BASE_YEAR)
ctx.table(sheets.difference_table(ctx, in_base_year, name="difference_base_year"))

# %%
ctx.section("extra_spending")
ctx.table(sheets.extra_spending_table(ctx))

# %%
ctx.section("catch_up", window=sheets.GROWTH_WINDOW)
ctx.table(sheets.catch_up_table(ctx, "rd_intensity"))

# %%
ctx.table(sheets.catch_up_table(ctx, "rd_expenditure"))

# %%
sheets.show_challengers(ctx, ["rd_intensity", "rd_expenditure"])

# %%
ctx.section("basic_research")
ctx.table(sheets.scoreboard(ctx, ["basic_research_share"], name="basic_research"))

# %%
sheets.show_trends(ctx, ["basic_research_share"], name="basic_research", ncols=1)

# %%
ctx.section("since", year=sheets.BASE_YEAR)
sheets.since_paragraph(ctx, ["rd_intensity", "rd_expenditure", "basic_research_share"])
