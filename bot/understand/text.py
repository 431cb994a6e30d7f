"""Text normalisation: cleaning, accent folding, stemming, phrase keys, word tokens and edit
distance, shared by the lexicon, the title linker and the steps of `extract`.
"""

from __future__ import annotations

import re
import unicodedata

from bot.understand.vocab import MAX_CHARS

# word tokens ("don't" is one word; the facet scan also reads "&")
_WORD_RE = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
_POSSESSIVE_RE = re.compile(r"'s$")
_FACET_WORD_RE = re.compile(r"[^\W_]+(?:'[^\W_]+)*|&")
_ELISION_RE = re.compile(r"^(?:d|l|j|qu|s|n|c)'")  # French "d'horreur" is "horreur"


# ----------------------------------------------------------------------------------------
# Text normalisation. Every transform keeps string length, so offsets stay valid.
# ----------------------------------------------------------------------------------------

_PUNCT_MAP = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "“": '"', "”": '"', "„": '"', "«": '"',
                            "»": '"', "–": "-", "—": "-", "‐": "-", "\u00a0": " "})


# control and format characters (bidi marks, zero-width, BOM) and lone surrogates
_CONTROL_RE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\xad\u0600-\u0605\u061c\u06dd\u070f\u180e\u200b-\u200f"
                         "\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\ud800-\udfff]")


def clean_text(text: str) -> str:
    """NFKC, straight quotes, no control characters, at most MAX_CHARS."""
    text = unicodedata.normalize("NFKC", str(text)[: MAX_CHARS * 2])[:MAX_CHARS]
    return _CONTROL_RE.sub(" ", text.translate(_PUNCT_MAP))


def _fold_char(c: str) -> str:
    low = c.lower()
    if len(low) != 1:
        return c
    if low.isascii():
        return low
    base = "".join(ch for ch in unicodedata.normalize("NFKD", low) if not unicodedata.combining(ch))
    return base if len(base) == 1 else low


class _FoldTable(dict):
    """A str.translate table filled on first use, so folding is C-speed after warm-up."""

    def __missing__(self, code: int) -> str:
        value = _fold_char(chr(code))
        self[code] = value
        return value


_FOLD_TABLE = _FoldTable()


def fold(text: str) -> str:
    """Lowercase without accents, one character for one character."""
    return text.lower() if text.isascii() else text.translate(_FOLD_TABLE)


def stem(word: str) -> str:
    """A light plural folding applied to both lexicon keys and the user's words."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("ie"):
        return word[:-2] + "y"
    if len(word) > 4 and word.endswith(("oes", "ches", "shes", "xes", "sses")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is", "'s")):
        return word[:-1]
    return word


def phrase_key(text: str) -> str:
    """The lookup key of a phrase: folded, '&' read as 'and', stemmed words."""
    words = _WORD_RE.findall(fold(text).replace("&", " and ").replace("'", ""))
    return " ".join(stem(w) for w in words)


def _norm_tag(tag: str) -> str:
    return " ".join(tag.lower().split())


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1:] for i in range(len(word))}


def _within_one_edit(a: str, b: str) -> bool:
    """Damerau-Levenshtein distance <= 1 (substitution, insertion, deletion, transposition)."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    if la == lb:
        diff = [i for i in range(la) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        i, j = diff if len(diff) == 2 else (0, 0)
        return len(diff) == 2 and j == i + 1 and a[i] == b[j] and a[j] == b[i]
    if la > lb:
        a, b = b, a
    return any(b[:i] + b[i + 1:] == a for i in range(len(b)))


_HAN_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN_WORD_RE = re.compile(r"[A-Za-z]+")


def detect_lang(text: str) -> str | None:
    """"zh" when the message is written in Chinese (Latin titles inside it allowed), "en" when it has
    Latin words and no Chinese, None when it has neither (an emoji, a number): keep the last language.
    """
    han = len(_HAN_RE.findall(text))
    latin_words = len(_LATIN_WORD_RE.findall(text))
    if han and han >= latin_words:  # a Chinese character carries about as much as an English word
        return "zh"
    if latin_words:
        return "en"
    return None
