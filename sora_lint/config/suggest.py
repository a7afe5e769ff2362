""" "Did you mean …?" for a name that is not one of the known ones (options, keys, codes…)."""

from __future__ import annotations

from collections.abc import Iterable


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The known name ``word`` was most likely meant to be, or ``None`` when none is close.

    Underscores and letter case are forgiven first (``fix_mode`` is ``fix-mode``), then
    :mod:`difflib` picks the closest spelling.
    """
    import difflib  # only when a name is wrong: a run never pays for it

    known = list(dict.fromkeys(choices))
    folded = {name.lower().replace("_", "-"): name for name in known}
    exact = folded.get(word.lower().replace("_", "-"))
    if exact is not None and exact != word:
        return exact
    longer = sorted((name for name in known if name.startswith(word)), key=len)
    if word and longer:  # an abbreviation (`--stat`): the shortest name it starts
        return longer[0]
    found = difflib.get_close_matches(word, known, n=1, cutoff=0.6)
    if not found:
        found = difflib.get_close_matches(word.lower(), list(folded), n=1, cutoff=0.6)
        return folded[found[0]] if found else None
    return found[0]


def did_you_mean(word: str, choices: Iterable[str], quote: bool = True) -> str:
    """`` (did you mean 'x'?)`` to append to an error message, or ``""``."""
    found = closest(word, choices)
    if found is None:
        return ""
    return f" (did you mean {found!r}?)" if quote else f" (did you mean {found}?)"
