"""The README's two set-up commands stay true: CI runs the test one, and the demo one works."""

from __future__ import annotations

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
