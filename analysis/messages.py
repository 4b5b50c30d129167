"""Every sentence, heading and label a reader sees, in English and Chinese, from one catalogue.

The wording lives in ``analysis/messages.yml``: one entry per key, with an ``en`` and a
``zh`` text that may hold ``{name}`` placeholders. Code asks for a key and fills the
placeholders; it never writes reader-facing text itself, so a report is wholly in one
language and a missing translation is caught by a test (:func:`catalogue_problems`).

Messages are plain text. Fields are untrusted (city and indicator names, notes and titles
come from data files), so every page escapes the finished text where it places it
(:mod:`analysis.pages`); nothing from a message or a field can become markup.
"""

from __future__ import annotations

import string
from functools import lru_cache
from importlib import resources

import yaml

from ._frame import check_known
from ._vocab import LANGUAGES
from .errors import InvalidArgumentError

CATALOGUE_FILE = "messages.yml"
_FIELD = string.Formatter()


@lru_cache(maxsize=1)
def load_messages() -> dict[str, dict[str, str]]:
    """The message catalogue: ``{key: {"en": text, "zh": text}}`` (read once)."""
    text = resources.files("analysis").joinpath(CATALOGUE_FILE).read_text(encoding="utf-8")
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)   # libyaml when present: ten times faster
    catalogue = yaml.load(text, Loader=loader)  # noqa: S506 (a safe loader)
    if not isinstance(catalogue, dict):
        raise InvalidArgumentError(f"{CATALOGUE_FILE} must map message keys to their texts.")
    return catalogue


def placeholders(text: str) -> set[str]:
    """The ``{name}`` fields of a message text."""
    return {name for _, name, _, _ in _FIELD.parse(text) if name}


def catalogue_problems(catalogue: dict | None = None) -> list[str]:
    """What is wrong with the catalogue: a key without both languages, an empty text, or
    languages that disagree on the placeholders. Empty when all is well."""
    catalogue = load_messages() if catalogue is None else catalogue
    problems = []
    for key, texts in catalogue.items():
        if not isinstance(texts, dict):
            problems.append(f"{key}: not a mapping of language to text")
            continue
        absent = [lang for lang in LANGUAGES if not isinstance(texts.get(lang), str)]
        if absent:
            problems.append(f"{key}: no text for {', '.join(absent)}")
            continue
        blank = [lang for lang in LANGUAGES if not texts[lang].strip()]
        if len(blank) == 1:  # a separator may be empty in both languages' sense, not a text in one
            problems.append(f"{key}: empty in {blank[0]} but not in the other language")
            continue
        extra = sorted(set(texts) - set(LANGUAGES))
        if extra:
            problems.append(f"{key}: unknown language(s) {', '.join(extra)}")
        fields = {lang: placeholders(texts[lang]) for lang in LANGUAGES}
        if fields["en"] != fields["zh"]:
            problems.append(f"{key}: placeholders differ (en {sorted(fields['en'])}, zh {sorted(fields['zh'])})")
    return problems


def check_language(lang: str) -> str:
    """``lang`` if it is a supported language, else InvalidArgumentError."""
    return check_known([lang], LANGUAGES, what="language", known_as="use one of")[0]


class Messages:
    """The catalogue in one language.

    ``msg("key", name=value)`` gives plain text. Numbers passed as fields are written as given: format them first
    (:mod:`analysis.formatting`).
    """

    def __init__(self, lang: str = "en"):
        self.lang = check_language(lang)
        self._catalogue = load_messages()

    def template(self, key: str) -> str:
        try:
            return self._catalogue[key][self.lang]
        except KeyError:
            raise KeyError(f"no message '{key}' in {CATALOGUE_FILE} for language '{self.lang}'") from None

    def __call__(self, key: str, **fields) -> str:
        return self.template(key).format(**{k: str(v) for k, v in fields.items()})

    def join(self, items) -> str:
        """A list in running text: ``"A, B and C"`` / ``"A、B和C"``."""
        items = [str(item) for item in items]
        if len(items) <= 1:
            return "".join(items)
        return self("list.join", head=self("list.separator").join(items[:-1]), last=items[-1])
