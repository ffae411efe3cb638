"""Reading notebooks, and writing a changed cell back without touching anything else."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
import textwrap

import pytest
from conftest import FIXTURES, REPO, rendered

from nbrefactor.nbfile.notebook import NotebookError, parse_notebook
from nbrefactor.nbfile.schema import schema_warning


def _render(text: str, sources: dict[int, str]) -> str:
    return rendered(parse_notebook(text), sources).decode("utf-8")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty file, not a notebook"),
        ("   \n", "empty file, not a notebook"),
        ("\ufeff", "empty file, not a notebook"),
        ("\ufeff \t\r\n\x0b\x0c", "empty file, not a notebook"),
        ("{", "invalid JSON at line 1 column 2"),
        ("[]", "not a notebook: the JSON document is not an object"),
        ('{"a": 1}', "not a notebook: no integer 'nbformat' version"),
        (
            '{"nbformat": 3, "nbformat_minor": 0, "worksheets": []}',
            "nbformat 3 notebooks are not supported",
        ),
        ('{"nbformat": 5, "cells": []}', "nbformat 5 notebooks are not supported"),
        ('{"nbformat": 4, "nbformat_minor": 4}', "'cells' is missing or not a list"),
        (
            '{"nbformat": 4, "cells": [{"source": "x"}]}',
            "cell 1: not a cell object with a 'cell_type'",
        ),
        (
            '{"nbformat": 4, "cells": [{"cell_type": "code", "source": 3}]}',
            "cell 1: 'source' is neither",
        ),
    ],
)
def test_what_is_not_a_notebook(text, reason):
    with pytest.raises(NotebookError, match=reason.replace("(", r"\(").replace(")", r"\)")):
        parse_notebook(text)


def test_a_notebook_with_no_cells_is_valid():
    assert (
        parse_notebook('{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}').cells
        == ()
    )


def test_cells_are_numbered_from_one_with_ids():
    text = json.dumps(
        {
            "cells": [
                {"cell_type": "markdown", "id": "a1", "metadata": {}, "source": ["# T\n", "x"]},
                {
                    "cell_type": "code",
                    "metadata": {},
                    "source": "y",
                    "outputs": [],
                    "execution_count": 1,
                },
            ],
            "metadata": {},
            "nbformat": 4,
            "nbformat_minor": 5,
        }
    )
    first, second = parse_notebook(text).cells
    assert (first.number, first.label, first.source) == (1, "cell 1 (id a1)", "# T\nx")
    assert (second.number, second.label, second.source) == (2, "cell 2", "y")


LIST_NOTEBOOK = (
    '{\n "cells": [\n  {\n   "cell_type": "code",\n   "execution_count": null,\n   "metadata": {},\n'
    '   "outputs": [],\n   "source": [\n    "a = 1\\n",\n    "b = 2"\n   ]\n  },\n'
    '  {\n   "cell_type": "code",\n   "execution_count": null,\n   "metadata": {},\n   "outputs": [],\n'
    '   "source": "z = 3"\n  }\n ],\n "metadata": {},\n "nbformat": 4,\n "nbformat_minor": 4\n}'
)


def test_changed_list_source_keeps_list_layout_and_everything_else():
    out = _render(LIST_NOTEBOOK, {1: "a = 1\nc = 3\n"})
    assert out == LIST_NOTEBOOK.replace('"b = 2"', '"c = 3\\n"')


def test_changed_string_source_stays_a_string():
    out = _render(LIST_NOTEBOOK, {2: "z = 4\n"})
    assert out == LIST_NOTEBOOK.replace('"source": "z = 3"', '"source": "z = 4\\n"')


def test_emptied_list_source_is_an_empty_list():
    out = _render(LIST_NOTEBOOK, {1: ""})
    assert '"source": []\n  },' in out
    assert json.loads(out)["cells"][0]["source"] == []


def test_string_source_changed_into_several_lines_stays_a_string():
    out = _render(LIST_NOTEBOOK, {2: "x\ny\n"})
    assert json.loads(out)["cells"][1]["source"] == "x\ny\n"


def test_escaping_follows_the_file():
    escaped = LIST_NOTEBOOK.replace('"z = 3"', "\"z = '\\u00e9'\"")
    assert "\\u00e9" in _render(escaped, {1: "é = 1"})
    raw = LIST_NOTEBOOK.replace('"z = 3"', "\"z = 'é'\"")
    assert '"é = 1"' in _render(raw, {1: "é = 1"})


def test_an_unchanged_line_keeps_its_items_bytes_however_escaped():
    """The last item of a text is the one kept, as when every item was in one dictionary."""
    text = LIST_NOTEBOOK.replace(
        '"a = 1\\n",\n    "b = 2"', "\"u = '\\/'\\n\",\n    \"u = '/'\\n\",\n    \"v = '\\/'\\n\""
    )
    out = _render(text, {1: "v = '/'\nw = 1\nu = '/'\n"})
    assert '"v = \'\\/\'\\n",\n    "w = 1\\n",\n    "u = \'/\'\\n"\n' in out


def test_a_list_in_no_regular_layout_is_read_item_by_item():
    text = LIST_NOTEBOOK.replace('[\n    "a = 1\\n",\n    "b = 2"\n   ]', '[ "a = 1\\n" ,"b = 2" ]')
    out = _render(text, {1: "a = 1\nc = 3"})
    assert '"source": [ "a = 1\\n" ,"c = 3" ]' in out


def test_writing_a_huge_cell_copies_none_of_its_lines(tmp_path):
    """A 5 MB list of lines is written item by item: never decoded, split or joined whole."""
    script = textwrap.dedent(
        """\
        import json, resource
        from nbrefactor.nbfile.notebook import parse_notebook
        from nbrefactor.nbfile.splice import render
        lines = [f"value_{i} = compute({i}, key='k')\\n" for i in range(150_000)]
        cell = {"cell_type": "code", "metadata": {}, "outputs": [], "source": lines}
        text = json.dumps({"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 4},
                          indent=1)
        notebook = parse_notebook(text)
        new = "".join(lines[::2])
        del lines, cell, text
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        written = sum(len(piece) for piece in render(notebook, {1: new}))
        grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
        print(len(new) * 2, grown * 1024, written)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO, check=True
    )
    size, grown, written = map(int, done.stdout.split())
    assert size > 5_000_000 and written > size // 2
    assert grown < size  # decoded into a list of lines, the cell alone takes twice its size


def test_a_source_that_was_an_empty_list_gets_the_files_indentation():
    text = json.dumps(
        {
            "cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "source": []}],
            "nbformat": 4,
        },
        indent=2,
    )
    out = _render(text, {1: "a\nb"})
    assert '\n      "source": [\n        "a\\n",\n        "b"\n      ]\n' in out


def test_compact_single_line_files_stay_compact():
    text = '{"cells": [{"cell_type": "code", "source": ["a\\n", "b"]}], "nbformat": 4}'
    assert (
        _render(text, {1: "a\nc\nd"})
        == '{"cells": [{"cell_type": "code", "source": ["a\\n", "c\\n", "d"]}], "nbformat": 4}'
    )


def test_crlf_json_layout_is_kept():
    text = LIST_NOTEBOOK.replace("\n", "\r\n")
    assert _render(text, {1: "a = 1\nc = 3"}) == text.replace('"b = 2"', '"c = 3"')


def test_unchanged_rendering_returns_the_text():
    assert _render(LIST_NOTEBOOK, {}) == LIST_NOTEBOOK


_MARKDOWN_WITH_OUTPUTS = json.dumps(
    {
        "cells": [{"cell_type": "markdown", "metadata": {}, "outputs": [], "source": "x"}],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 4,
    }
)


def test_schema_warning_names_the_cell():
    warning = schema_warning(parse_notebook(_MARKDOWN_WITH_OUTPUTS))
    assert warning.startswith("does not match the nbformat schema (cell 1: ")
    assert "'outputs' was unexpected" in warning
    assert schema_warning(parse_notebook(LIST_NOTEBOOK)) is None


@pytest.mark.parametrize(
    ("kernelspec", "expected"),
    [
        ({"language": "python"}, "metadata.kernelspec: 'name' is a required property"),
        ("python3", "metadata.kernelspec: 'python3' is not of type 'object'"),
    ],
)
def test_schema_warning_names_the_value_outside_the_cells(kernelspec, expected):
    """nbclient's Output.ipynb: the kernelspec is wrong, not cell 1, which is valid."""
    document = json.loads(LIST_NOTEBOOK)
    document["metadata"]["kernelspec"] = kernelspec
    warning = schema_warning(parse_notebook(json.dumps(document)))
    assert warning == f"does not match the nbformat schema ({expected}); processed anyway"


def test_schema_warning_without_the_schema_file_asks_nbformat(monkeypatch):
    """When nbformat's schema file cannot be compiled directly, nbformat's own
    fastjsonschema validator decides: the same warnings."""
    from nbrefactor.nbfile import schema

    asked = []
    original = schema._nbformat_fast_check

    def nbformat_check(minor):
        asked.append(minor)
        return original(minor)

    monkeypatch.setattr(schema, "_fast_check", lambda minor: None)
    monkeypatch.setattr(schema, "_nbformat_fast_check", nbformat_check)
    warning = schema_warning(parse_notebook(_MARKDOWN_WITH_OUTPUTS))
    assert warning.startswith("does not match the nbformat schema (cell 1: ")
    assert "'outputs' was unexpected" in warning
    assert schema_warning(parse_notebook(LIST_NOTEBOOK)) is None
    assert asked == [4, 4]


def _schema_cases() -> list[dict]:
    """The fixtures' notebooks, and one with each of the faults real notebooks have."""
    documents = []
    for path in sorted(FIXTURES.glob("*.ipynb")):
        try:
            documents.append(json.loads(path.read_bytes()))
        except ValueError:
            continue
    code = {"cell_type": "code", "execution_count": 1, "metadata": {}, "outputs": [], "source": ""}
    faults = [
        {"cell_type": "markdown", "metadata": {}, "outputs": [], "source": "x"},
        {key: value for key, value in code.items() if key != "execution_count"},
        {key: value for key, value in code.items() if key != "outputs"},
        {**code, "id": "abc"},  # valid from 4.5 on only
        {**code, "cell_type": "widget"},
        {**code, "source": 3},
        {**code, "outputs": [{"output_type": "image", "data": {}}]},
    ]
    frame = {"metadata": {}, "nbformat": 4, "nbformat_minor": 4}
    documents += [{**frame, "cells": [code, cell]} for cell in faults]
    documents += [{**frame, "cells": [code], "stray": 1}, {"nbformat": 4, "cells": [code]}]
    return documents


@pytest.mark.parametrize("minor", range(6))
def test_the_fast_schema_check_answers_as_nbformats_validator(minor):
    """`schema_warning` asks "valid?" of nbformat's schema file compiled by fastjsonschema
    itself (without nbformat, without detailed messages): the same verdict as nbformat's
    own fastjsonschema validator, for every version's schema."""
    from nbformat.validator import get_validator

    from nbrefactor.nbfile.schema import _fast_check

    validator = get_validator(version=4, version_minor=minor, name="fastjsonschema")
    is_valid = _fast_check(minor)
    assert is_valid is not None
    verdicts = []
    for document in _schema_cases():
        verdict = is_valid(copy.deepcopy(document))
        assert verdict == (not validator.iter_errors(copy.deepcopy(document))), document
        verdicts.append(verdict)
    assert True in verdicts and False in verdicts


@pytest.mark.parametrize("indent", [None, 1, 4, "\t"], ids=["compact", "one", "four", "tab"])
def test_the_large_file_reader_reads_every_layout_alike(monkeypatch, indent):
    """Large files are read cell by cell; a cell is found from its closing line when the file
    is indented, by walking its bytes otherwise. Either way: the same notebook, spliced alike."""
    document = {
        "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": ["# T (v0.0.1)\n", "{\n", "}"]},
            {
                "cell_type": "code",
                "execution_count": 1,
                "metadata": {"nested": {"a": [1, {"b": "}"}]}},
                "outputs": [{"output_type": "stream", "name": "stdout", "text": ["}\n"]}],
                "source": "x = {\n}",
            },
        ],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 4,
    }
    raw = json.dumps(document, indent=indent).encode()
    whole = parse_notebook(raw)
    monkeypatch.setattr("nbrefactor.nbfile.notebook.STREAMING_THRESHOLD", 0)
    streamed = parse_notebook(raw)
    assert streamed.streamed and streamed.cells == whole.cells
    assert [cell.get("metadata") for cell in streamed.data["cells"]] == [
        cell.get("metadata") for cell in whole.data["cells"]
    ]
    assert rendered(streamed, {2: "y = 2\n"}) == rendered(whole, {2: "y = 2\n"})


def test_a_huge_list_source_is_kept_once():
    """The model holds a huge cell's text once: `data` gets the cell's string instead of
    the list of lines, which schema validation accepts alike; a small list stays a list."""
    huge = [f"value_{i} = {i}\n" for i in range(100_000)]
    text = LIST_NOTEBOOK.replace('"b = 2"', '"b = 2",\n' + ",\n".join(map(json.dumps, huge)))
    notebook = parse_notebook(text)
    first = notebook.cells[0]
    assert len(first.source) > 1_000_000
    assert notebook.data["cells"][0]["source"] is first.source
    assert parse_notebook(LIST_NOTEBOOK).data["cells"][0]["source"] == ["a = 1\n", "b = 2"]
    assert schema_warning(notebook) is None
    assert rendered(notebook, {}) == text.encode("utf-8")


@pytest.mark.parametrize(
    "name",
    [
        "NeuralPlasticityDemo.ipynb",
        "ascii_escaped.ipynb",
        "crlf_sources.ipynb",
        "schema_quirks.ipynb",
    ],
)
def test_the_walk_for_large_notebooks_finds_the_sources_the_whole_decoding_finds(monkeypatch, name):
    """Below `_WALK_ABOVE` characters a cell is skipped by decoding it whole; above, walked
    member by member. The two find the same `source` values."""
    notebook = parse_notebook((REPO / "fixtures" / name).read_bytes())
    new_sources = {
        cell.number: cell.source + "\n# changed\n"
        for cell in notebook.cells
        if cell.cell_type == "code"
    }
    decoded = rendered(notebook, new_sources)
    monkeypatch.setattr("nbrefactor.nbfile.splice._WALK_ABOVE", 0)
    assert rendered(notebook, new_sources) == decoded
