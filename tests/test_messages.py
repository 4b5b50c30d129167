"""The message catalogue: every reader-facing text in both languages, one place."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

import analysis
from analysis import messages

PACKAGE = Path(analysis.__file__).resolve().parent
NOTEBOOKS = PACKAGE.parent / "notebooks"


def test_every_message_has_both_languages_with_the_same_placeholders():
    assert messages.catalogue_problems() == []


@pytest.mark.parametrize("broken, problem", [
    ({"a": {"en": "x"}}, "a: no text for zh"),
    ({"a": {"en": "{n} items", "zh": "{m}项"}}, "a: placeholders differ"),
    ({"a": {"en": "text", "zh": " "}}, "a: empty in zh but not in the other language"),
    ({"a": {"en": "x", "zh": "乙", "fr": "y"}}, "a: unknown language(s) fr"),
    ({"a": "just text"}, "a: not a mapping of language to text"),
])
def test_a_message_missing_a_language_is_found(broken, problem):
    assert any(p.startswith(problem) for p in messages.catalogue_problems(broken))


def _literal_keys() -> set[str]:
    pattern = re.compile(r'msg\(\s*"([a-z_.0-9]+)"|msg\.template\("([a-z_.0-9]+)"')
    keys = set()
    for path in PACKAGE.rglob("*.py"):
        for match in pattern.finditer(path.read_text(encoding="utf-8")):
            keys.add(match.group(1) or match.group(2))
    return keys


def test_every_message_the_code_asks_for_exists():
    catalogue = messages.load_messages()
    keys = {key for key in _literal_keys() if "." in key and not key.endswith(".")}   # not prefixes
    missing = sorted(key for key in keys if key not in catalogue)
    assert missing == []
    # keys built at run time: every section and lead the notebooks use, and every position
    used = set()
    for source in NOTEBOOKS.glob("*.py"):
        text = source.read_text(encoding="utf-8")
        used |= {f"section.{k}.{part}" for k in re.findall(r'ctx\.section\("([a-z_]+)"', text)
                 for part in ("title", "text")}
        used |= {f"lead.{k}.{part}" for k in re.findall(r'notebook_lead\(ctx, "([a-z_]+)"\)', text)
                 for part in ("title", "text")}
    used |= {f"finding.position.{p}" for p in ("ahead", "tied", "behind", "between")}
    assert sorted(used - set(catalogue)) == []


def test_the_catalogue_file_is_plain_yaml_of_two_languages():
    raw = yaml.safe_load((PACKAGE / messages.CATALOGUE_FILE).read_text(encoding="utf-8"))
    assert all(set(texts) == {"en", "zh"} for texts in raw.values())
    # Chinese text lives in zh, English in en (no pair swapped by mistake)
    assert not [key for key, texts in raw.items() if re.search(r"[\u4e00-\u9fff]", texts["en"])]
    assert not [key for key, texts in raw.items() if re.search(r"\b[a-z]{3,}\b", texts["zh"])
                and not re.fullmatch(r"[^a-z]*(\{[a-z_]+\}[^a-z]*)*", texts["zh"])]


def test_messages_fill_placeholders_and_join_lists_per_language():
    en, zh = messages.Messages("en"), messages.Messages("zh")
    assert en.join(["A", "B", "C"]) == "A, B and C" and zh.join(["甲", "乙", "丙"]) == "甲、乙和丙"
    assert en.join(["A"]) == "A" and en.join([]) == ""
    assert en("ordinal.n", n=4) == "4th" and zh("ordinal.n", n=4) == "第4"
    with pytest.raises(KeyError, match="no message 'nope'"):
        en("nope")
    with pytest.raises(ValueError, match="unknown language 'fr'"):
        messages.Messages("fr")
