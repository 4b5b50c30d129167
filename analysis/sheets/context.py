"""The report context of a notebook: parameters, data, labels and the recorder; showing and
recording what a cell makes; the opening of a notebook that is not about one gap.
"""

from __future__ import annotations

from dataclasses import dataclass

import matplotlib.pyplot as plt
import pandas as pd

from .. import plotting, selection
from .._frame import as_list
from ..catalogue import Labels, gap_indicators
from ..formatting import FigureOutput, Prose, ReaderTable
from ..loading import load_observations, load_sources
from ..outputs import Recorder
from ..parameters import ReportParameters, check_parameters
from ..style import register_cjk_font


@dataclass
class ReportContext:
    """Everything a notebook needs: parameters, preferred observations of the compared
    cities within the years, the catalogue, sources, labels and the output recorder."""

    params: ReportParameters
    data: pd.DataFrame
    catalogue: pd.DataFrame
    sources: pd.DataFrame
    labels: Labels
    recorder: Recorder
    set_aside: pd.DataFrame | None = None
    """Figures at another geographic level than the comparison's (:func:`analysis.selection.same_level`)."""

    @property
    def focus(self) -> str:
        return self.params.focus

    @property
    def peers(self) -> tuple[str, ...]:
        return self.params.peers

    @property
    def cities(self) -> list[str]:
        return self.params.cities

    @property
    def msg(self):
        return self.labels.msg

    def gap_indicators(self, gap: str) -> list[str]:
        """Catalogue indicators of ``gap`` that have at least one figure in the data."""
        present = set(self.data["indicator"])
        return [code for code in gap_indicators(gap, self.catalogue) if code in present]

    # -------------------------------------------------------------- show and record
    def show(self, fig, name: str, *, caption: str = "", landing: bool = False) -> None:
        """Record ``fig`` as ``figures/<notebook>-<name>.png`` with its caption, display it and
        close it (or say that there is nothing to show when ``fig`` is None).

        ``landing`` puts the figure on the report's landing page under its gap. The figure
        is rendered once for both; closing keeps the inline backend from showing it again,
        so a notebook's outputs are the same in JupyterLab, papermill and nbval.
        """
        from IPython.display import display

        if fig is None:
            display(Prose("paragraph", self.msg("figure.nothing")))
            return
        png = self.recorder.figure(fig, name, caption=caption, landing=landing)
        plt.close(fig)
        display(FigureOutput(png, caption))

    def table(self, table: ReaderTable) -> ReaderTable:
        """Record ``table`` (raw CSV for machines, the reader's layout for the workbook) and
        return it for display."""
        self.recorder.table(table)
        return table

    def section(self, key: str, **fields) -> None:
        """Display a section heading and its lead paragraph from the message catalogue."""
        from IPython.display import display

        display(Prose("heading", self.msg(f"section.{key}.title", **fields)))
        text = self.msg(f"section.{key}.text", **fields)
        if text:
            display(Prose("paragraph", text))

    def paragraph(self, text: str) -> None:
        from IPython.display import display

        display(Prose("paragraph", text))

    def caption(self, indicators) -> str:
        """Source line for charts of ``indicators``."""
        rows = self.data.loc[self.data["indicator"].isin(as_list(indicators))]
        return plotting.source_caption(rows, self.sources, self.labels)


def open_report(notebook: str, focus, peers, start_year, end_year, data_dir=None, lang="en",
                output_dir=None) -> ReportContext:
    """Check the notebook's parameters, load the data and start its recorder."""
    params = check_parameters(focus, peers, start_year, end_year, data_dir, lang)
    register_cjk_font()
    data = load_observations(cities=params.cities, years=params.years, data_dir=params.data_dir)
    data, set_aside = selection.same_level(data, params.focus)   # never rank across geographic levels
    labels = Labels.load(lang, params.data_dir)
    recorder = Recorder(output_dir, notebook)
    recorder.value("parameters", params.as_dict())
    return ReportContext(params, data, labels.catalogue, load_sources(params.data_dir), labels, recorder,
                         set_aside)


def notebook_lead(ctx: ReportContext, key: str) -> Prose:
    """The opening of a notebook that is not about one gap (overview, claims): title and text."""
    quote = ctx.labels.gaps.loc["context", "report_quote_zh"] if key == "overview" else ""
    title = ctx.recorder.value("title", ctx.msg(f"lead.{key}.title"))
    return Prose("lead", title, quote=quote, intro=ctx.msg(f"lead.{key}.text"))
