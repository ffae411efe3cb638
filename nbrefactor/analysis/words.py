"""Where a word stands in a text as a whole word, found with `str.find`; and the names in
code that does not parse, from Python's tokenizer (`names_in_code`).

A regular expression of alternatives tries every position of the text, and
cells are long; `find` runs at memory speed, and the boundaries are checked by
hand only where the word was found.
"""

from __future__ import annotations

from collections.abc import Iterator


def is_word_character(character: str) -> bool:
    return character.isalnum() or character == "_"


def word_offsets(text: str, word: str, start: int = 0) -> Iterator[int]:
    """Where `word` stands in the text as a whole word (as `\\bword\\b` would match); nowhere
    for an empty word, which `find` would find at the same place forever."""
    if not word:
        return
    found = text.find(word, start)
    while found >= 0:
        if _stands_alone(text, found, found + len(word)):
            yield found
        found = text.find(word, found + len(word))


def has_word(text: str, word: str) -> bool:
    """Whether `word` stands in the text as a whole word (`eval_loss`, `evaluate` do not).

    Asked of every cell for every watched name: a loop of its own, not `word_offsets`'
    generator, which costs more to make than a `find` that finds nothing. An empty word is
    none (round 60b: `extract --to .` looked for the name "" and never ended)."""
    if not word:
        return False
    found = text.find(word)
    while found >= 0:
        if _stands_alone(text, found, found + len(word)):
            return True
        found = text.find(word, found + len(word))
    return False


def _stands_alone(text: str, start: int, end: int) -> bool:
    """Whether `text[start:end]` is neither preceded nor followed by a word character."""
    before = start > 0 and is_word_character(text[start - 1])
    return not before and not (end < len(text) and is_word_character(text[end]))


# The operators of an assignment statement, longest first.
_ASSIGNMENTS = (
    "**=",
    "//=",
    ">>=",
    "<<=",
    "+=",
    "-=",
    "*=",
    "/=",
    "%=",
    "@=",
    "&=",
    "|=",
    "^=",
    "=",
)


def assignment_after(text: str, end: int) -> str | None:
    """The assignment operator that follows offset `end` of the text, spaces and tabs aside:
    `=` after `cfg.SCALE` in `cfg.SCALE = 10`, `+=`; None for anything else (`==`, `>=`, a
    call, `.x = 1`)."""
    rest = text[end : end + 80].lstrip(" \t")
    if rest.startswith("=="):
        return None
    return next((operator for operator in _ASSIGNMENTS if rest.startswith(operator)), None)


def names_in_code(text: str) -> list[str]:
    """The names in code that may not parse, from Python's tokenizer: attributes and keywords
    left out. Unterminated brackets or strings end the reading (what came before counts).
    Only a body that does not parse is read so: the tokenizer is imported then."""
    import io
    import keyword
    import tokenize

    found: list[str] = []
    previous = None
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if (
                token.type == tokenize.NAME
                and not keyword.iskeyword(token.string)
                and not (previous is not None and previous.string == ".")
            ):
                found.append(token.string)
            if token.type not in (tokenize.NL, tokenize.COMMENT):
                previous = token
    except (tokenize.TokenError, SyntaxError):
        pass
    return found
