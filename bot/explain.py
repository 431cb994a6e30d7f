"""Template explanations built only from the item's own record and the user's stated facets.

Every fact in the sentence is copied from the item (year, genre tags, creators and their roles) or
from the user's words, so it cannot state something untrue. The LLM explainer (`bot/llm_explain.py`)
falls back to this when its sentence fails the grounding check.

One sentence per pick, in the user's language (English or Chinese):
  "A 2010 science fiction action film directed by Christopher Nolan, starring Leonardo DiCaprio and
   Elliot Page — the thriller film you asked for."
  "Christopher Nolan 执导、Leonardo DiCaprio 和 Elliot Page 主演的 2010 年科幻动作片——也是你想要的惊悚片。"
The genres the user asked for go into the reason and not into the description, so no genre is said twice.
Roles come from the record: a film's creators are its directors then its cast (scripts/build_catalog.py),
and who directed is read from "directed by ..." in its description; a creator whose role the record does
not show is not named. Book subject headings are named only when `FOLDS` makes them a genre or a topic.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bot.explain_words import (
    BOOK_EN,
    BOOK_FORMS,
    BOOK_ZH,
    FORM_FACETS,
    MOVIE_EN,
    MOVIE_ZH,
    MUSIC_EN,
    MUSIC_KINDS,
    MUSIC_SKIP,
    MUSIC_ZH,
    STORY_GENRES,
)
from bot.i18n import and_list
from bot.understand.vocab import FOLDS
from retrieval import Item

if TYPE_CHECKING:
    from bot.ranking import Recommendation
    from bot.state import DialogueState

# An explainer streams one recommendation's explanation as growing text (each value replaces the last).
Explainer = Callable[["Recommendation", "DialogueState"], Iterator[str]]

MAX_CAST = 2
MAX_PEOPLE = 3

# lowercased subject heading -> the FOLDS facets it means; a heading in several (the shelf
# "crime, thrillers and mystery") names no genre of its own: it only counts when the user asked for one.
_FACETS_OF: dict[str, list[str]] = {}
for _facet, _tags in FOLDS.items():
    for _tag in _tags:
        _FACETS_OF.setdefault(_tag, []).append(_facet)


# -- the facts: who, what kind, which genres ---------------------------------------------------------


@dataclass
class Facts:
    """What a sentence may say about one item, before it is put into words."""

    domain: str
    year: int | None
    people: list[tuple[str, list[str]]]  # (role: "directed" | "starring" | "by", names)
    form: str = ""  # books: a key of BOOK_FORMS; music: a key of MUSIC_KINDS or ""
    genres: list[str] = field(default_factory=list)  # facets shown in the description
    asked: list[str] = field(default_factory=list)  # facets the user asked for that the item has
    various: bool = False  # music by "Various Artists"
    words: frozenset[str] = frozenset()  # the words of the item's tags, lowercased


_DIRECTED_BY = re.compile(
    r"\b(?:[Cc]o-)?[Dd]irected(?:,?\s+(?:and\s+)?(?:co-)?(?!and\b)[a-z]+){0,6},?\s+by\s+")
# "directed by British director Guy Green", "by Hong Kong film director John Woo", "by the film's star X",
# "by renowned IMAX director Stephen Low"
_ROLE_WORDS = re.compile(
    r"^(?:and\s+(?:starring|stars)\s+)?(?:(?:the|a|an)\s+)?(?:(?:film's\s+)?stars?,?\s+|"
    r"(?:(?!(?:and|starring|stars|with|about|the|of|in|on|for|from|as|who|to|by)\b)[a-z][\w'’-]*\s+){0,2}?"
    r"(?:(?:[A-Z]\.)+\s+|[A-Z][\w'’-]*\s+){0,3}(?:(?!(?:and|starring|stars|with|about|the|of|in|on|for|from|as|who|to|by)\b)[a-z][\w'’-]*\s+(?:and\s+)?){0,3}?"
    r"(?:co-)?(?:director|filmmaker|film-maker|writer|auteur|actor|actress|comedian|musician|newcomer|veteran|"
    r"native|producer|animator|artist|singer(?:-songwriter)?|songwriter|rapper|photographer|designer)s?,?\s+)?"
    r"(?=[A-Z])")
# Capitalised words that start the next sentence, not a name ("directed by Gordon Parks Jr. It stars ...")
_NOT_NAMES = {"It", "Its", "The", "This", "That", "He", "She", "They", "His", "Her", "Their", "In", "A", "An",
              "After", "When", "While", "Although", "Based", "Set", "Written", "Produced"}
# "It stars A", "featuring A", "portrayed by A": a name after one of these, in the same sentence, stars
_STARS = r"(?:\bstar|\bco-star|featur|portrayed by|played by|\bcast\b)[^.;]{0,160}?"
_PARTICLES = {"and", "&", "de", "del", "della", "der", "den", "van", "von", "da", "di", "du", "la", "le",
              "dos", "das", "bin", "al", "y", "ter", "ten", "st."}
_SHORT_DOT = re.compile(r"^(?:[A-Z]\.)+$|^(?:St|Dr|Jr|Sr|Mr|Mrs|Ms)\.$")


def _norm(name: str) -> str:
    return " ".join(name.replace(",", " ").replace(".", " ").split())


def _director_names(description: str) -> list[str]:
    """The names right after the first "directed by" in a description, as written: "Joel", "Ethan Coen"."""
    m = _DIRECTED_BY.search(description)
    if not m:
        return ""
    rest = description[m.end(): m.end() + 300]
    role = _ROLE_WORDS.match(rest)
    rest = rest[role.end():] if role else rest
    # "directed by and starring A and B": A directed, both star
    only_first = bool(role) and role.group(0).startswith("and ")
    kept: list[str] = []
    for tok in rest.split()[:30]:
        if kept and len(tok) > 2 and tok[0] in "\"“" and tok.rstrip(",")[-1] in "\"”":
            continue  # a nickname inside a name: Steve "Spaz" Williams
        lower = tok[0].islower() and tok.rstrip(",") not in _PARTICLES
        if tok[0] in "(\"“'‘[" or tok in _NOT_NAMES or lower:
            break
        kept.append(tok)
        if tok[-1] in ";:!?" or (tok.endswith(".") and not _SHORT_DOT.match(tok)):
            break
    while kept and kept[-1].rstrip(",") in _PARTICLES:  # "Scott Winant and [starring]"
        kept.pop()
    text = " ".join(kept).rstrip(".,;:!?")
    names = [_norm(n) for n in re.split(r",\s*(?:and\s+)?|\s+(?:and|&)\s+", text) if _norm(n)]
    return names[:1] if only_first else names


def _is_named(name: str, names: list[str]) -> bool:
    """Whether a creator is among names as written: in full, by surname ("directed by Wilder"), or by
    first name before a shared surname ("Joel and Ethan Coen")."""
    full = _norm(name)
    first, last = full.split()[0], full.split()[-1]
    return any(n in (full, last) or (n == first and any(m.endswith(" " + last) for m in names[k + 1:]))
               for k, n in enumerate(names))


def _looks_like_a_name(text: str) -> bool:
    """Cast lists carry slips like "stand-up comedy", "of", "Archive footage of": a name's words are
    capitalised (or particles such as "de", "van")."""
    words = text.replace(",", " ").split()
    return bool(words) and words[0][:1].isupper() and all(w[:1].isupper() or w.lower() in _PARTICLES
                                                          for w in words)


def movie_roles(item: Item) -> tuple[list[str], list[str]]:
    """(directors, cast) of a film as its record shows them. The builder lists directors first, then
    the cast; the description's "directed by" says how many lead. Without one, only creators the
    description names as stars are kept (a director it does not name would be mistaken for a star)."""
    named = _director_names(item.description)
    directors: list[str] = []
    for name in item.creators:
        if _norm(name) and _is_named(name, named):
            directors.append(name)
        else:
            break
    rest = [c for c in item.creators[len(directors):] if c not in directors and _looks_like_a_name(c)]
    if not directors:  # the list may start with a director it does not name: keep only named stars
        rest = [c for c in rest if re.search(_STARS + re.escape(c), item.description)]
    # a name the description gives as a director is no star, whatever the list order says
    rest = [c for c in rest if not _is_named(c, named)]
    # a name inside another one ("Carrey" next to "Jim Carrey") is a parsing slip: keep the longer
    cast = [c for c in rest if not any(c != o and c in o for o in item.creators)]
    return directors, cast


def _book_genres(item: Item) -> tuple[list[tuple[str, str]], list[str]]:
    """A book's (facet, heading) genre pairs in heading order, and its facets from ambiguous headings."""
    clear, ambiguous = [], []
    for tag in item.tags:
        low = tag.lower()
        facets = _FACETS_OF.get(low) or ([low] if low in BOOK_EN else [])
        if len(facets) == 1:
            clear.append((facets[0], low))
        else:
            ambiguous += facets
    return clear, ambiguous


def facts_for(item: Item, matched_likes: list[str]) -> Facts:
    """The item's roles, form and genres; the genres the user asked for are set apart."""
    asked_set = [m.lower() for m in matched_likes]
    words = frozenset(w for t in item.tags for w in re.findall(r"[a-z]+", t.lower()))
    if item.domain == "movie":
        directors, cast = movie_roles(item)
        roles = (("directed", directors[:MAX_PEOPLE]), ("starring", cast[:MAX_CAST]))
        people = [(r, n) for r, n in roles if n]
        facets = [t.lower() for t in item.tags if t.lower() in MOVIE_EN]
        return _split(Facts("movie", item.year, people), facets, [], asked_set)
    various = any(c.lower() in ("various artists", "various") for c in item.creators) or (
        " by various authors" in item.description[:200])
    names = [c for c in item.creators if c.lower() not in ("various artists", "various")]
    people = [("by", names[:MAX_PEOPLE])] if names else []
    if item.domain == "book":
        form = next((f for f in BOOK_FORMS if item.description.startswith(f + " ")), "A book")
        pairs, ambiguous = _book_genres(item)
        facts = Facts("book", item.year, people, form, various=various, words=words)
        facts = _split(facts, [f for f, _ in pairs], ambiguous, asked_set)
        # other folded headings ("children's books") are said by the form or not at all
        facts.genres = [g for g in facts.genres if g in BOOK_EN]
        return facts
    tags = [t.lower() for t in item.tags]
    kind = next((t for t in tags if t in MUSIC_KINDS), "")
    facets = [t for t in tags if t not in MUSIC_KINDS and t not in MUSIC_SKIP]
    return _split(Facts(item.domain, item.year, people, kind, various=various), facets, [], asked_set)


def _split(facts: Facts, facets: list[str], ambiguous: list[str], asked: list[str]) -> Facts:
    facets = list(dict.fromkeys(facets))
    # A user facet counts as met by a genre when it is that genre or folds onto the same headings.
    def meets(like: str, facet: str) -> bool:
        return like == facet or facet in _FACETS_OF.get(like, ()) or bool(
            set(FOLDS.get(like, ())) & set(FOLDS.get(facet, ())))
    met = [f for f in facets if any(meets(a, f) for a in asked)]
    extra = [a for a in asked if a in ambiguous or not any(meets(a, f) for f in facets)]
    facts.asked = list(dict.fromkeys(met + extra))[:3]
    facts.genres = [f for f in facets if f not in met]
    return facts


# -- English -----------------------------------------------------------------------------------------


def article(phrase: str) -> str:
    """ "a" or "an" by the sound of the phrase's first word: an 1899 novel, an IDM album, a UK album."""
    word = phrase.split(" ", 1)[0].strip("\"'“(")
    low = word.lower()
    if word[:1].isdigit():  # years: "an 1899", "an 1100", "an 8-bit"
        vowel = word.startswith("8") or re.match(r"(?:11|18)\d\d\b", word) is not None
    elif len(word) > 1 and word.isupper() and word.isalpha():  # letters spoken one by one: an FBI, a UK
        vowel = word[0] in "AEFHILMNORSX"
    elif low.startswith(("hour", "honest", "honor", "honour", "heir")):
        vowel = True
    elif low.startswith(("uni", "use", "usu", "uto", "ura", "eu", "one", "once", "ewe")):
        vowel = False
    else:
        vowel = low[:1] in "aeiou"
    return f"{'an' if vowel else 'a'} {phrase}"


def _names_en(names: list[str], more: bool = False) -> str:
    if more:
        return f"{', '.join(names)} and others"
    return and_list(names)


def _film_genres(facets: list[str]) -> list[str]:
    """The first two film genres, in the order both languages put them ("science fiction action")."""
    return sorted([f for f in facets if f in MOVIE_EN][:2], key=lambda f: MOVIE_EN[f][1])


def _movie_kind_en(facets: list[str]) -> str:
    """ "science fiction action film", "romantic comedy-drama film", "film noir"."""
    facets = _film_genres(facets)
    words = [MOVIE_EN[f][0] for f in facets]
    if "comedy" in facets and "drama" in facets:
        words = [w for w in words if w not in ("comedy", "drama")] + ["comedy-drama"]
    if "romance" in facets and len(words) > 1:
        words[words.index("romance")] = "romantic"
    if words == ["noir"]:
        return "film noir"
    return " ".join([*words, "film"])


def book_shape(facts: Facts, facets: list[str], children: bool = True,
               reason: bool = False) -> tuple[bool, list[str], str]:
    """(for children, genres, noun) of a book in the given genres; the noun is the form's English noun or
    "story". Poetry and drama name no genre; a story genre makes a novel "a sea story"."""
    noun, _, for_children, _ = BOOK_FORMS[facts.form]
    genres = sorted(dict.fromkeys(f for f in facets if f in BOOK_EN), key=lambda f: BOOK_EN[f][1])
    if "romance" in genres and "romance" not in facts.words:  # "Love stories", or chivalric "romances"
        love = ["love stories"] if "love" in facts.words else []
        genres = sorted({*genres, *love} - {"romance"}, key=lambda f: BOOK_EN[f][1])
    if {"world war i", "world war ii"} & set(genres):
        genres = [g for g in genres if g != "war"]
    if noun == "biography":
        genres = [g for g in genres if g != "biography"]  # "a biography", never "a biographical biography"
    stories = [g for g in genres if g in STORY_GENRES][:1]
    genres = [g for g in genres if g not in STORY_GENRES]
    if len(genres) >= 2 and not reason:  # "a science fiction adventure novel" says more than "a sea story"
        stories = []
    if noun in ("poetry", "drama"):
        genres = stories = []
    elif noun == "fiction" and (genres or stories):
        noun = "story" if stories else "book"
    elif noun == "novel" and stories:
        noun = "story"
    elif noun != "story":
        stories = []
    most = 3 if reason else 2  # the reason names every genre asked for, up to three
    return children and for_children, (genres[: most - len(stories)] + stories), noun


def _book_kind_en(facts: Facts, facets: list[str], children: bool = True,
                  reason: bool = False) -> tuple[str, bool]:
    """ ("adventure novel", countable), ("science fiction short stories", False), ("sea story", True)."""
    young, genres, noun = book_shape(facts, facets, children, reason)
    words = list(dict.fromkeys(BOOK_EN[g][0] for g in genres))
    phrase = " ".join((["children's"] if young else []) + words + [noun])
    return phrase, noun in ("novel", "story", "book", "biography")


def _kind_en(facts: Facts, facets: list[str], year: bool = False, reason: bool = False) -> str:
    """The item's kind with the given genres, with its article when it takes one, and the year:
    "a 2010 science fiction film", "an adventure novel", "science fiction short stories"."""
    y = f"{facts.year} " if year and facts.year else ""
    if facts.domain == "movie":
        known = [f for f in facets if f in MOVIE_EN]
        other = " and ".join(f for f in facets if f not in MOVIE_EN)  # a user facet with no film genre
        return article(y + " ".join(w for w in (other, _movie_kind_en(known)) if w))
    if facts.domain == "book":
        # "children's" is said once: in the reason when the user asked for children's books, else here
        children = ("children's books" in facets) if reason else ("children's books" not in facts.asked)
        phrase, countable = _book_kind_en(facts, facets, children, reason)
        # a heading the user named that is no genre: "a novel about islands"
        topics = [f for f in facets if f not in BOOK_EN and f not in FORM_FACETS]
        if topics:
            phrase += f" about {_names_en(topics[:2])}"
        if not countable:
            return f"{phrase} from {facts.year}" if y else phrase
        return article(y + phrase)
    noun = MUSIC_KINDS[facts.form][0] if facts.form else "album"
    words = " and ".join(MUSIC_EN.get(f, f) for f in facets[:2])
    return article(" ".join(w for w in (y.strip(), words, noun) if w))


def _reason_en(facts: Facts, liked_titles: list[str]) -> str:
    parts = []
    if facts.asked:
        kind = _kind_en(facts, facts.asked, reason=True)
        parts.append(f"the {kind.split(' ', 1)[1] if kind.startswith(('a ', 'an ')) else kind} you asked for")
    if liked_titles:
        parts.append(("and " if parts else "") + f"close to {_names_en(liked_titles[:2])}, which you liked")
    return ", ".join(parts)


def explanation_en(facts: Facts, liked_titles: list[str]) -> str:
    what = _kind_en(facts, facts.genres[:1] if facts.domain == "music" else facts.genres, year=True)
    for role, names in facts.people:
        if role == "directed":
            what += f" directed by {_names_en(names)}"
        elif role == "starring":
            what += f"{',' if facts.people[0][0] == 'directed' else ''} starring {_names_en(names)}"
        else:
            what += f" by {_names_en(names)}"
    if facts.various and not facts.people:
        what += " by various artists" if facts.domain == "music" else " by various authors"
    reason = _reason_en(facts, liked_titles)
    return f"{what[0].upper()}{what[1:]}{' — ' + reason if reason else ''}."


# -- Chinese -----------------------------------------------------------------------------------------


def _names_zh(names: list[str]) -> str:
    return names[0] if len(names) == 1 else "、".join(names[:-1]) + " 和 " + names[-1]


def _kind_zh(facts: Facts, facets: list[str], reason: bool = False) -> str:
    """ "科幻动作片", "冒险小说", "电子专辑": genres without a Chinese word are left out."""
    if facts.domain == "movie":
        stems = "".join(MOVIE_ZH[f] for f in _film_genres(facets))
        return "黑色电影" if stems == "黑色" else f"{stems}片" if stems else "电影"
    if facts.domain == "book":
        children = ("children's books" in facets) if reason else ("children's books" not in facts.asked)
        young, genres, noun = book_shape(facts, facets, children, reason)
        if {"world war i", "world war ii"} & set(genres):
            genres = [g for g in genres if g != "war"]
        zh_noun = "故事" if noun == "story" else BOOK_FORMS[facts.form][3]
        return ("儿童" if young else "") + "".join(dict.fromkeys(BOOK_ZH[g] for g in genres)) + zh_noun
    noun = MUSIC_KINDS[facts.form][1] if facts.form else "专辑"
    words = [MUSIC_ZH[f] for f in facets if f in MUSIC_ZH][:2]
    return "、".join(words) + noun


def _cjk_join(*parts: str) -> str:
    """Join pieces, with a space only between a Latin letter or digit and a Chinese character."""
    out = ""
    for p in (p for p in parts if p):
        if out and (out[-1].isascii() and out[-1].isalnum()) != (p[0].isascii() and p[0].isalnum()):
            out += " "
        out += p
    return out


def explanation_zh(facts: Facts, liked_titles: list[str]) -> str:
    year = f"{facts.year} 年" if facts.year else ""
    plain = _kind_zh(facts, [])
    kind = _kind_zh(facts, facts.genres[:1] if facts.domain == "music" else facts.genres)
    roles = dict(facts.people)
    if facts.domain == "movie":
        who = [_cjk_join(_names_zh(roles["directed"]), "执导")] if "directed" in roles else []
        if "starring" in roles:
            who.append(_cjk_join(_names_zh(roles["starring"]), "主演"))
        lead = _cjk_join("、".join(who), "的") if who else "一部"
    else:
        by = roles.get("by") or (["多位艺人"] if facts.domain == "music" and facts.various else [])
        lead = _cjk_join(_names_zh(by), "的") if by else ("一张" if facts.domain == "music" else "一部")
    what = _cjk_join(lead, year, kind)
    reasons = []
    if facts.asked:
        asked = _kind_zh(facts, facts.asked, reason=True)
        if asked == _kind_zh(facts, [], reason=True):  # none of the asked genres has a Chinese word here
            reasons.append("符合你提的要求")
        else:
            reasons.append(("也是" if kind != plain else "正是") + "你想要的" + asked)
    if liked_titles:
        reasons.append(_cjk_join("和你喜欢的", _names_zh(liked_titles[:2]), "相近"))
    return what + ("——" + "，".join(reasons) if reasons else "") + "。"


# -- the public path ---------------------------------------------------------------------------------


def template_explanation(item: Item, matched_likes: list[str], liked_titles: list[str],
                         lang: str = "en") -> str:
    """One grounded sentence about a pick, in English or (lang == "zh") Chinese."""
    facts = facts_for(item, matched_likes)
    if lang == "zh":
        return explanation_zh(facts, liked_titles)
    return explanation_en(facts, liked_titles)


def explain_stream(
    rec: Recommendation, state: DialogueState, explainer: Explainer | None = None
) -> Iterator[str]:
    """The explanation of one pick as growing text, for streaming into the chat.

    With no explainer (the default) the grounded template sentence comes at once; an LLM
    explainer streams its tokens and falls back to the template when its grounding check fails.
    """
    if explainer is None:
        yield rec.explanation
        return
    yield from explainer(rec, state)
