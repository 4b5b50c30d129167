"""Where a report run lands, what it may replace, and how the finished report is put there.

A run writes into a hidden staging folder beside its target
(``.<name>.report-staging-<pid>``) and moves it into place only when everything is
written, so an earlier report is replaced whole or not at all. A run in which every
notebook succeeded lands in ``out``; any other run lands in ``<out>-failed``, so a
failed run never replaces a good report and ``latest`` only ever points at a good one.

Before a run starts: ``out`` and ``<out>-failed`` must each be absent, empty, or an
earlier report holding only files the report wrote (``summary.json`` lists them); the
location must be writable with at least :data:`MIN_FREE_BYTES` free; and staging
folders left by runs whose process no longer exists (killed, power cut) are removed.
"""

from __future__ import annotations

import datetime
import json
import os
import re
import shutil
from pathlib import Path

from .errors import AnalysisError
from .processes import pid_alive

REPORTS_DIR = Path("reports")
LATEST = "latest"
FAILED_SUFFIX = "-failed"
SUMMARY = "summary.json"
MIN_FREE_BYTES = 50 * 2**20
"""Free space the output location needs before a run starts (a default report is ~11 MB)."""
LOW_FREE_BYTES = 5 * 2**20
"""A run stops when free space at the output location falls below this while it runs."""
LEGACY_LAYOUT = {"index.html", SUMMARY, "headline_tables.xlsx", "html", "notebooks", "figures",
                 "summary", "tables"}
"""What a report written before summary.json listed its files holds (anything below the
folders counts as the report's)."""
_HIDDEN = re.compile(r"^\.(?P<name>.+)\.report-(?P<kind>staging|old|link)-(?P<pid>\d+)$")
_LISTED = 10


class ReportFolderError(AnalysisError, ValueError):
    """The report folder cannot be used: it is not a report, holds files the report did
    not write, or its location cannot be written (read-only, full, below a file)."""


def dated_output_dir(params, reports_dir=REPORTS_DIR, today=None) -> Path:
    """``reports/<YYYY-MM-DD>-<focus>``: where a run without ``--out`` lands."""
    today = today or datetime.date.today()
    return Path(reports_dir) / f"{today.isoformat()}-{params.focus}"


def failed_dir(out: Path) -> Path:
    """``<out>-failed``: where a run in which a notebook failed lands instead of ``out``."""
    return out.with_name(out.name + FAILED_SUFFIX)


def check_output_dir(out: Path) -> None:
    """Raise ReportFolderError unless ``out`` is absent, empty, or an earlier report that
    holds only files the report wrote.

    The run replaces ``out`` whole, so a folder holding anything else (``--out .``,
    ``--out data``, a typo, notes a user added to a report) must never be replaced.
    """
    if out.exists() and not out.is_dir():
        raise ReportFolderError(f"{out} is a file; --out must name a report folder.")
    if not out.is_dir() or not any(out.iterdir()):
        return
    try:
        summary = json.loads((out / SUMMARY).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        summary = None
    if not (isinstance(summary, dict) and "parameters" in summary and "notebooks" in summary):
        raise ReportFolderError(
            f"{out} exists and is not an earlier report (no {SUMMARY} written by this package); "
            "the run replaces its --out folder whole, so choose a new or empty folder.")
    extra = foreign_entries(out, summary.get("files"))
    if extra:
        shown = ", ".join(extra[:_LISTED]) + (f" and {len(extra) - _LISTED} more" if len(extra) > _LISTED else "")
        raise ReportFolderError(
            f"{out} holds {len(extra)} file(s) or folder(s) the report did not write: {shown}; "
            "the run replaces the folder whole, so move them elsewhere or choose another --out.")


def foreign_entries(folder: Path, written) -> list[str]:
    """Entries of ``folder`` (relative, ``/``-separated, outermost only) that are not the
    report's: not in ``written`` (the list in summary.json) nor a folder holding one of
    them. With ``written`` None (a report from before the list), :data:`LEGACY_LAYOUT`."""
    entries = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))
    if written is None:
        return [e for e in entries if "/" not in e and e not in LEGACY_LAYOUT]
    own = set(written) | {parent for path in written for parent in _parents(path)}
    foreign = [e for e in entries if e not in own]
    return [e for e in foreign if not any(parent in foreign for parent in _parents(e))]


def _parents(path: str) -> list[str]:
    parts = path.split("/")
    return ["/".join(parts[:i]) for i in range(1, len(parts))]


def report_files(folder: Path) -> list[str]:
    """Every file below ``folder``, relative and ``/``-separated, sorted."""
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def open_staging(out: Path) -> list[Path]:
    """Create the run's staging folder beside ``out`` (:func:`hidden_path`); return the
    parent folders it had to create (for :func:`remove_empty` if the run fails).

    Also removes what dead runs left beside ``out`` (:func:`remove_stale`) and checks
    free space. Raises ReportFolderError in one line when the location cannot be used;
    parent folders it created are removed again.
    """
    blocking = next((p for p in reversed(out.parents) if p.exists() and not p.is_dir()), None)
    if blocking is not None:
        raise ReportFolderError(f"cannot write the report at {out}: {blocking} is a file, not a folder.")
    created = [p for p in (out.parent, *out.parent.parents) if not p.exists()]
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        remove_stale(out.parent)
        staging = hidden_path(out, "staging")
        shutil.rmtree(staging, ignore_errors=True)
        (staging / "notebooks").mkdir(parents=True)
        (staging / "html").mkdir()
    except OSError as exc:
        remove_empty(created)
        raise ReportFolderError(f"cannot write the report at {out}: {describe(exc)}.") from exc
    free = free_bytes(staging)
    if free < MIN_FREE_BYTES:
        shutil.rmtree(staging, ignore_errors=True)
        remove_empty(created)
        raise ReportFolderError(
            f"only {free / 2**20:.1f} MB free at {out.parent}; a report run needs at least "
            f"{MIN_FREE_BYTES // 2**20} MB. Free some space or choose another --out.")
    return created


def hidden_path(out: Path, kind: str) -> Path:
    """``.<name>.report-<kind>-<pid>`` beside ``out``: this run's staging folder, the
    earlier report while it is swapped out, or the new ``latest`` link."""
    return out.parent / f".{out.name}.report-{kind}-{os.getpid()}"


def remove_stale(folder: Path) -> list[Path]:
    """Remove what runs whose process no longer exists left in ``folder``; return it.

    Their staging folders and ``latest`` links are removed; an earlier report that a
    killed run had swapped out is put back if nothing took its place.
    """
    removed = []
    for path in folder.iterdir():
        match = _HIDDEN.match(path.name)
        if not match or pid_alive(int(match["pid"])):
            continue
        target = folder / match["name"]
        if match["kind"] == "old" and not (target.exists() or target.is_symlink()):
            os.replace(path, target)
            continue
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
        removed.append(path)
    return removed


def free_bytes(path: Path) -> int:
    """Bytes free for this user on the file system holding ``path``."""
    return shutil.disk_usage(path).free


def describe(exc: OSError) -> str:
    """``Read-only file system (errno 30)``: an OSError in a few words, without a traceback."""
    text = exc.strerror or str(exc)
    return f"{text} (errno {exc.errno})" if exc.errno is not None else text


def remove_empty(folders) -> None:
    """Remove the folders in ``folders`` that are empty, innermost first."""
    for folder in sorted(folders, key=lambda p: len(p.parts), reverse=True):
        try:
            folder.rmdir()
        except OSError:
            pass


def replace_dir(staging: Path, out: Path) -> None:
    """Move ``staging`` to ``out``; an earlier ``out`` is swapped out whole, then removed."""
    old = hidden_path(out, "old")
    had_old = out.exists() or out.is_symlink()
    if had_old:
        os.replace(out, old)
    try:
        os.replace(staging, out)
    except OSError:
        if had_old:
            os.replace(old, out)  # put the earlier report back before giving up
        raise
    shutil.rmtree(old, ignore_errors=True)


def point_latest(out: Path) -> None:
    """Point ``<out's parent>/latest`` at ``out`` (a relative symbolic link, swapped atomically)."""
    link = out.parent / LATEST
    temporary = hidden_path(out.parent / LATEST, "link")
    if temporary.is_symlink() or temporary.exists():
        temporary.unlink()
    temporary.symlink_to(out.name)
    os.replace(temporary, link)
