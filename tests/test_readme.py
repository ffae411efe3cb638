"""The README stays true: its two set-up commands (CI runs the test one), its pictures, its links."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text(encoding="utf-8")


def _first_commands() -> list[str]:
    return re.findall(r"```sh\n(.+?)\n```", README)[:2]


def test_readme_starts_with_the_demo_and_the_test_command():
    demo, tests = _first_commands()
    assert demo.endswith(
        "pip install . && nbrefactor migrate --dry-run fixtures/NeuralPlasticityDemo.ipynb"
    )
    assert "python -m pytest --require-torch" in tests


def test_ci_runs_the_readmes_test_command():
    ci_command = (REPO / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()[-1]
    _, tests = _first_commands()
    assert tests.endswith(ci_command)


def test_the_demo_command_shows_the_migration_diff():
    """What the first README command runs after installing, from the repository root."""
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "nbrefactor",
            "migrate",
            "--dry-run",
            "fixtures/NeuralPlasticityDemo.ipynb",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert "+from viz_utils import (" in completed.stdout
    assert "would migrate fixtures/NeuralPlasticityDemo.ipynb" in completed.stderr


def test_gallery_images_in_the_readme_exist():
    images = re.findall(r"\]\((docs/gallery/[\w.]+\.png)\)", README)
    assert len(images) == 6
    assert all((REPO / image).is_file() for image in images)


def test_the_readme_stays_short():
    assert len(README.splitlines()) <= 300


def _cell_source(notebook: str, number: int) -> str:
    """Cell NUMBER (counted from 1, as nbrefactor's messages count) of a fixture notebook."""
    return _cell_source_at(REPO / "fixtures" / notebook, number)


def _cell_source_at(path: Path, number: int) -> str:
    source = json.loads(path.read_text(encoding="utf-8"))["cells"][number - 1]["source"]
    return source if isinstance(source, str) else "".join(source)


def test_the_before_and_after_pictures_are_cell_19_of_the_demo_and_its_migration():
    """Before: the original cell's lines, in order (its body elided by `...`); after: the expected cell."""
    assert "Cell 19 of the demo notebook (`fixtures/NeuralPlasticityDemo.ipynb`)" in README
    before, after = re.findall(r"```python\n(.*?)```", README, flags=re.DOTALL)[:2]
    original = _cell_source("NeuralPlasticityDemo.ipynb", 19).splitlines()
    shown = [line for line in before.splitlines() if line.strip() != "..."]
    remaining = iter(original)
    assert all(line in remaining for line in shown)  # a subsequence: same lines, same order
    assert len(shown) < len(original)
    assert after in _cell_source("NeuralPlasticityDemo.expected.ipynb", 19) + "\n"
    assert "def visualize_attention_matrix" in before
    assert "def visualize_attention_matrix" not in after


def test_the_extract_walk_through_shows_what_extract_and_migrate_do(tmp_path):
    """The import line of README's and docs/extract.md's training.ipynb picture, and the report
    line quoted before it, are what `extract` then `migrate` on fixtures/extract give."""
    for notebook in ("training", "evaluation", "report"):
        source = REPO / "fixtures" / "extract" / f"{notebook}.ipynb"
        (tmp_path / source.name).write_bytes(source.read_bytes())
    notebooks = ["training.ipynb", "evaluation.ipynb", "report.ipynb"]
    command = [sys.executable, "-m", "nbrefactor"]
    for arguments in (["extract", "--to", "helpers.py"], ["migrate", "--module", "helpers.py"]):
        completed = subprocess.run(
            [*command, *arguments, "-v", *notebooks],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=False,
        )
        assert completed.returncode == 0, completed.stderr
    report = completed.stdout + completed.stderr
    added = re.search(r"  import: added '(from helpers import [^']+)' to cell 2\n", report)
    assert added is not None, report
    assert added.group(1) in _cell_source_at(tmp_path / "training.ipynb", 2).splitlines()
    extract_document = (REPO / "docs" / "extract.md").read_text(encoding="utf-8")
    assert added.group() in extract_document
    picture_line = f"{' ' * 44}{added.group(1)}\n"
    assert picture_line in README
    assert picture_line in extract_document


def test_the_readme_keeps_the_section_issue_16_adds_to():
    assert "\n### What a migration does\n" in README


def _anchor(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def _anchors(markdown: str) -> set[str]:
    text = re.sub(r"```.*?```", "", markdown, flags=re.DOTALL)
    return {_anchor(heading) for heading in re.findall(r"^#+ (.+)$", text, flags=re.MULTILINE)}


DOCUMENTS = [REPO / "README.md", REPO / "CHANGELOG.md", *sorted((REPO / "docs").glob("*.md"))]


def test_every_document_in_docs_is_linked_from_the_readme():
    linked = set(re.findall(r"\]\((docs/[\w.-]+\.md)(?:#[\w-]+)?\)", README))
    assert {f"docs/{path.name}" for path in (REPO / "docs").glob("*.md")} <= linked
    assert "](CHANGELOG.md)" in README


def test_every_relative_link_in_the_documents_leads_to_a_file_and_heading_that_exist():
    checked = 0
    for document in DOCUMENTS:
        text = document.read_text(encoding="utf-8")
        for target in re.findall(r"\]\(([^)\s]+)\)", text):
            if re.match(r"\w+:", target):
                continue
            path, _, anchor = target.partition("#")
            linked = (document.parent / path).resolve() if path else document
            assert linked.exists(), f"{document.name}: {target}"
            if anchor:
                assert anchor in _anchors(linked.read_text(encoding="utf-8")), (
                    f"{document.name}: {target}"
                )
            checked += 1
    assert checked > 20


def test_the_changelog_has_an_unreleased_section_and_the_released_version():
    changelog = (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    version = re.search(
        r'^version = "(.+)"$',
        (REPO / "pyproject.toml").read_text(encoding="utf-8"),
        flags=re.MULTILINE,
    )
    assert version is not None
    sections = re.findall(r"^## \[([^\]]+)\]", changelog, flags=re.MULTILINE)
    assert sections[:2] == ["Unreleased", version.group(1)]
    unreleased = changelog.split("## [Unreleased]")[1].split("\n## [")[0]
    for kind in ("### Added", "### Changed", "### Fixed"):
        assert kind in unreleased


def test_every_reason_code_is_listed_once_in_the_migration_document():
    """docs/migration.md's table names each code nbrefactor/reasons.py defines, and no other, in order."""
    from nbrefactor import reasons

    defined = {
        value.code
        for value in vars(reasons).values()
        if isinstance(value, type) and isinstance(getattr(value, "code", None), str)
    }
    table = (REPO / "docs" / "migration.md").read_text(encoding="utf-8")
    listed = re.findall(r"^\| `(NBR\d{3})` \|", table, flags=re.MULTILINE)
    assert listed == sorted(defined | {"NBR100"})  # each once, in order: a code is looked up
