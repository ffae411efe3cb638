"""binding_lines: the lines where a name could be bound, found from the text alone."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from nbrefactor.analysis.binding_text import binding_lines


def _reference(source: str, name: str) -> list[int]:
    """Every position the name starts at, checked one by one: the definition, spelled out."""
    found = []
    for position in range(len(source)):
        if not source.startswith(name, position):
            continue
        end = position + len(name)
        before = source[position - 1] if position else ""
        if before == "." or before.isalnum() or before == "_":
            continue
        if end < len(source) and (source[end].isalnum() or source[end] == "_"):
            continue
        rest = source[end:].lstrip(" \t")
        if rest[:1] in (".", "(", "["):
            continue
        line_start = source.rfind("\n", 0, position) + 1
        line_end = source.find("\n", position)
        line = source[line_start : line_end if line_end >= 0 else None].lstrip()
        if line.startswith(("import ", "from ")) and ";" not in line and "=" not in line:
            continue
        line_number = source.count("\n", 0, position) + 1
        if line_number not in found:
            found.append(line_number)
    return found


def test_only_occurrences_that_could_bind() -> None:
    source = "plt.plot(x)\nimport plt\nplt = 1\nplt [0] = 2\nfig, plt = f()\nxplt = 3\n"
    assert list(dict.fromkeys(binding_lines(source, "plt"))) == [3, 5]


@settings(max_examples=500, deadline=None)
@given(
    st.text(alphabet="ab.([ \t\n=;_xfromimport", max_size=80),
    st.sampled_from(["a", "ab", "import", "x_"]),
)
def test_the_same_lines_as_checking_every_position(source: str, name: str) -> None:
    assert list(dict.fromkeys(binding_lines(source, name))) == _reference(source, name)
