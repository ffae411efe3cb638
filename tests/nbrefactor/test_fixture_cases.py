"""Case files: fixtures/NAME.ipynb migrates to fixtures/NAME.expected.ipynb, byte for byte.

A case without an expected file must come out unchanged. NAME.report.txt, when
present, holds the exact report lines (replaced / kept / notes / warnings).
Regenerate expected files after a deliberate change with
`NBREFACTOR_UPDATE_FIXTURES=1 python -m pytest tests/nbrefactor/test_fixture_cases.py`
and review the diff.
"""

from __future__ import annotations

import os

import pytest
from conftest import FIXTURES, rendered

from nbrefactor.nbfile.notebook import parse_notebook
from nbrefactor.refactor import refactor

UPDATE = os.environ.get("NBREFACTOR_UPDATE_FIXTURES") == "1"
INPUTS = sorted(
    path for path in FIXTURES.glob("*.ipynb") if not path.name.endswith(".expected.ipynb")
)
EVERY_NOTEBOOK = sorted(FIXTURES.glob("*.ipynb"))


def _migrate(text, catalog, config):
    notebook = parse_notebook(text)
    result = refactor(notebook, config, catalog)
    return rendered(notebook, result.new_sources).decode("utf-8"), result


def _report_lines(result) -> str:
    report = result.report
    lines = [
        *(found.message for found in report.replaced),
        *(found.message for found in report.kept),
        *report.notes,
        *(f"warning: {w}" for w in report.warnings),
    ]
    return "".join(line + "\n" for line in lines)


@pytest.mark.parametrize("source", INPUTS, ids=lambda path: path.stem)
def test_case_migrates_to_expected_bytes(source, catalog, config):
    expected_path = source.with_name(source.stem + ".expected.ipynb")
    report_path = source.with_name(source.stem + ".report.txt")
    original = source.read_bytes()
    migrated, result = _migrate(original.decode("utf-8"), catalog, config)
    if UPDATE:
        if migrated.encode("utf-8") != original:
            expected_path.write_bytes(migrated.encode("utf-8"))
        elif expected_path.exists():
            expected_path.unlink()
        report = _report_lines(result)
        if report:
            report_path.write_text(report, encoding="utf-8")
        elif report_path.exists():
            report_path.unlink()
    expected = expected_path.read_bytes() if expected_path.exists() else original
    assert migrated.encode("utf-8") == expected
    expected_report = report_path.read_text(encoding="utf-8") if report_path.exists() else ""
    assert _report_lines(result) == expected_report


@pytest.mark.parametrize("source", INPUTS, ids=lambda path: path.stem)
def test_case_is_stable(source, catalog, config):
    """Migrating the result again changes nothing (black's assert_stable)."""
    once, _ = _migrate(source.read_text(encoding="utf-8"), catalog, config)
    twice, result = _migrate(once, catalog, config)
    assert twice == once
    assert not result.changed


@pytest.mark.parametrize("source", INPUTS, ids=lambda path: path.stem)
def test_case_changes_only_sources_of_changed_cells(source, catalog, config):
    """Outside the `source` of changed cells, the JSON is equal key for key, in order."""
    import json

    before = json.loads(source.read_text(encoding="utf-8"))
    migrated, result = _migrate(source.read_text(encoding="utf-8"), catalog, config)
    after = json.loads(migrated)
    for key in before:
        if key != "cells":
            assert after[key] == before[key]
    assert list(after) == list(before)
    assert len(after["cells"]) == len(before["cells"])
    for number, (old, new) in enumerate(zip(before["cells"], after["cells"]), start=1):
        assert list(new) == list(old)
        assert {k: v for k, v in new.items() if k != "source"} == {
            k: v for k, v in old.items() if k != "source"
        }
        if number not in result.new_sources:
            assert new["source"] == old["source"]
        else:
            assert type(new["source"]) is type(old["source"])


# Every notebook, those whose list-of-lines sources lost their newlines included:
# the encoder cuts a new source at the old items (`source_value._anchored_pieces`).
SPLIT_LIKE_JUPYTER = EVERY_NOTEBOOK


@pytest.mark.parametrize("path", SPLIT_LIKE_JUPYTER, ids=lambda path: path.name)
def test_re_encoding_every_source_reproduces_the_file(path):
    """The encoder alone writes each source as the file had it: indent, escapes, shape, layout."""
    raw = path.read_bytes()
    notebook = parse_notebook(raw)
    same = {cell.number: cell.source for cell in notebook.cells}
    assert rendered(notebook, same, reuse_identical=False) == raw


@pytest.mark.parametrize("path", EVERY_NOTEBOOK, ids=lambda path: path.name)
def test_streaming_reader_sees_the_same_notebook(path, monkeypatch, catalog, config):
    """Large files are read without decoding outputs; the result must not depend on it."""
    raw = path.read_bytes()
    whole = parse_notebook(raw)
    monkeypatch.setattr("nbrefactor.nbfile.notebook.STREAMING_THRESHOLD", 0)
    streamed = parse_notebook(raw)
    assert streamed.cells == whole.cells
    assert streamed.language == whole.language
    assert {key: value for key, value in streamed.data.items() if key != "cells"} == {
        key: value for key, value in whole.data.items() if key != "cells"
    }
    result = refactor(streamed, config, catalog)
    assert rendered(streamed, result.new_sources) == rendered(
        whole, refactor(whole, config, catalog).new_sources
    )


def test_no_op_cases_have_no_expected_file():
    no_ops = [path for path in INPUTS if path.stem.startswith("noop_")]
    assert no_ops, "the no-op list must not be empty"
    for path in no_ops:
        assert not path.with_name(path.stem + ".expected.ipynb").exists()


def test_every_rule_case_has_an_expected_file():
    cases = [path for path in INPUTS if not path.stem.startswith("noop_")]
    missing = [
        path.name for path in cases if not path.with_name(path.stem + ".expected.ipynb").exists()
    ]
    assert missing == []


@pytest.mark.parametrize("source", INPUTS, ids=lambda path: path.stem)
def test_check_decides_what_migrate_does(source, catalog, config):
    """--check builds no edit; it must still decide exactly what migrating does."""
    from dataclasses import replace

    from nbrefactor.config import Mode

    notebook = parse_notebook(source.read_bytes())
    checked = refactor(notebook, replace(config, mode=Mode.CHECK), catalog)
    written = refactor(notebook, replace(config, mode=Mode.WRITE), catalog)
    assert checked.new_sources == {}
    assert checked.changed == written.changed
    assert checked.report == written.report
