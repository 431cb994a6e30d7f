"""The entity step: titles and creators the user relates to (references: references.py).

Candidates come from the title linker, quotes, catalog creator names and capitalised runs;
each is kept only where a cue says how the user feels about it (the cues: entity_cues.py).
"""

from __future__ import annotations

import functools
import re

from bot.understand.cues import _CUE_RE
from bot.understand.domain import _DOMAIN_RE
from bot.understand.entity_cues import (
    _ATTRIBUTIVE_RE,
    _BY_CUE_RE,
    _CAPS_RE,
    _ENTITY_CUE_RE,
    _FUNCTION_WORDS,
    _GOES_ON_RE,
    _HEARSAY_RE,
    _JOINER_RE,
    _LIST_SEP_RE,
    _ME,
    _NEG_GAP,
    _NOT_A_NAME_RE,
    _PLACE_BEFORE_RE,
    _POST_ENTITY,
    _QUOTED_RE,
    _ROLE_DOMAIN,
    _ROLE_LIKE_RE,
    _SEEN_VERB_RE,
    _SENTENCE_END_RE,
    _TASTE_RE,
    _TITLE_STOP,
    _TRAILING_KIND_RE,
    _VERB_DOMAIN,
    _WORD_START_RE,
    _WORKS_AFTER_RE,
    AGAIN_AFTER_RE,
    ALL_DONE_BEFORE_RE,
    DECADE_SPAN_RE,
    NOT_ANOTHER_RE,
    SEEN_IT_AND_RE,
    SUBJECT_TITLE_RE,
    SUBJECT_VERB_RE,
)
from bot.understand.lexicon import Lexicon, _longest_at
from bot.understand.model import Extraction, _add, _Entity, _Masked
from bot.understand.people import _aside, _clause_feeling, _clause_start, _creator_role
from bot.understand.text import _POSSESSIVE_RE, _WORD_RE, fold, phrase_key
from bot.understand.vocab import MAX_CANDIDATES, NATIONS, LinkTitles
from bot.understand.zh_aliases import load_aliases


def _find_entities(text: str, low: str, lex: Lexicon, link_titles: LinkTitles | None) -> list[_Entity]:
    """Candidate titles and creators, each kept only if a cue says how the user feels about it."""
    cands: list[_Entity] = []
    if link_titles is not None:
        cands += _linked_titles(text, low, link_titles)
    cands += [_Entity(m.start(1), m.end(1), "title", m.group(1).strip(), strong=True)
              for m in _QUOTED_RE.finditer(text)]
    cands += _creator_spans(low, lex)
    caps = _caps_runs(text)
    cands += caps
    # "Stranger Things": a capitalised name of several words beats a one-word title it starts with
    longer = {e.start: e.end for e in caps if " " in e.text.strip()
              and all(w[:1].isupper() or w[:1].isdigit() for w in e.text.split())}
    cands = [e for e in cands if not (e.ref and e.kind == "title" and " " not in e.text.strip()
                                      and longer.get(e.start, 0) > e.end and e.text[:1].isupper())]
    linked = [e for e in cands if e.ref and e.kind == "title"]
    cands = [e for e in cands if e.ref or e.kind != "title" or e.strong
             or not any(e.start < x.start and x.end <= e.end for x in linked)]  # "Frankenstein and [Dracula]"
    cands.sort(key=lambda e: (e.start, not e.strong, -(e.end - e.start)))

    accepted: list[_Entity] = []
    for cand in cands[:MAX_CANDIDATES]:
        if any(a.start < cand.end and cand.start < a.end for a in accepted):
            continue
        ent = _accept(cand, text, low, lex, accepted)
        if ent is not None:
            accepted.append(ent)
    named = _named_titles(cands[:MAX_CANDIDATES], accepted, text, lex)
    found = accepted + named
    for ent in list(found):  # "American Pie Presents: Band Camp": the subtitle is the title's too
        sub = _SUBTITLE_RE.match(text, ent.end) if ent.kind == "title" and ent.ref else None
        if sub:
            found = [e for e in found if e is ent or not (sub.start() <= e.start < sub.end())]
            ent.end = sub.end()
    return sorted(found, key=lambda e: e.start)


_SUBTITLE_RE = re.compile(r":\s*(?:(?:[A-Z0-9][\w'’-]*|of|the|and|a|in|to)\s*){1,6}")


def _named_titles(cands: list[_Entity], accepted: list[_Entity], text: str, lex: Lexicon) -> list[_Entity]:
    """Catalog titles written as names that no cue explained ("Heat, Scarface, The Godfather — that's my
    taste", "who directed Heat?"). Cue "named": `_assign_entities` decides from the whole message whether
    they are liked or only mentioned. A lone common word ("Heat") counts only beside another title."""
    found: list[_Entity] = []
    for cand in cands:
        written_as_name = text[cand.start:cand.start + 1].isupper() or _all_lowercase(text)
        if not (cand.kind == "title" and cand.ref and cand.strong and written_as_name):
            continue
        if any(a.start < cand.end and cand.start < a.end for a in accepted + found):
            continue
        if _set_in(text.lower(), cand.start):
            continue
        found.append(_Entity(cand.start, cand.end, "title", cand.text, cand.ref, strong=True, cue="named"))
    titles = sorted(found + [a for a in accepted if a.kind == "title"], key=lambda e: e.start)

    def listed(ent: _Entity) -> bool:  # next to another title: "Heat, Scarface and Ronin"
        i = titles.index(ent)
        gaps = [text[min(ent.end, titles[j].end):max(ent.start, titles[j].start)].lower()
                for j in (i - 1, i + 1) if 0 <= j < len(titles)]
        return any(_LIST_SEP_RE.match(g) and g.strip() for g in gaps)  # a comma or "and", not a space

    def shaped(ent: _Entity) -> bool:
        words = fold(ent.text).replace("'", "").split()
        if all(w in _TITLE_STOP or w in _FUNCTION_WORDS for w in words):
            return False
        if _all_lowercase(text):  # no capitals to go by: only a list of titles ("heat, ronin and collateral")
            in_list = sum(listed(t) for t in titles) >= 3
            return listed(ent) and in_list and phrase_key(ent.text) not in lex.phrases
        first = not text[:ent.start].strip() or _SENTENCE_END_RE.match(text[:ent.start].rstrip()[-1:])
        low = text.lower()
        if first and SUBJECT_TITLE_RE.fullmatch(low, ent.start, ent.end) and SUBJECT_VERB_RE.match(
                low, ent.end):
            return False  # "My wife and I want a movie for date night": who speaks, not the book
        if len(words) > 1:
            return True
        return listed(ent) or (not first and words[0] not in lex.common_words)  # "Hit me." is no title

    return [e for e in found if shaped(e)]


def _caps_runs(text: str) -> list[_Entity]:
    """Capitalised word runs, and every tail of them: "Loved The Matrix" also offers "The Matrix"."""
    out: list[_Entity] = []
    for m in _CAPS_RE.finditer(text):
        end = m.start() + len(m.group().rstrip("."))  # "Just not Nolan.": the full stop ends the sentence
        for w in _WORD_START_RE.finditer(m.group()):
            if m.start() + w.start() < end:
                out.append(_Entity(m.start() + w.start(), end, "title", text[m.start() + w.start():end]))
        for j in _JOINER_RE.finditer(m.group()):  # "Frankenstein and Dracula" may be two titles
            cut = m.start() + j.start()
            out.append(_Entity(m.start(), cut, "title", text[m.start():cut]))
    return out


def _linked_titles(text: str, low: str, link_titles: LinkTitles) -> list[_Entity]:
    out: list[_Entity] = []
    try:
        links = link_titles(text)
    except Exception:  # a broken linker must not break understanding
        return out
    for span, item_id in links or []:
        span = str(span)
        start = text.find(span)
        if start < 0:
            start = low.find(fold(span))
        if start >= 0 and span.strip():
            end = start + len(span)
            out.append(_Entity(start, end, "title", text[start:end], str(item_id), strong=True))
    return out


def _creator_spans(low: str, lex: Lexicon) -> list[_Entity]:
    """Creator names from the catalog, longest first at each position (up to 5 words; "Allen's": "allen")."""
    words = [(_POSSESSIVE_RE.sub("", m.group()).replace("'", ""), m.start(), m.end())
             for m in _WORD_RE.finditer(low)]
    tokens = [w for w, _, _ in words]
    out: list[_Entity] = []
    for i, (word, start, end) in enumerate(words):
        found = _longest_at(tokens, i, lex.creators, lex._creator_prefixes, 5)
        if found:
            j, name = found
            out.append(_Entity(start, words[j - 1][2], "creator", name, name, strong=j - i > 1))
        elif word in lex.surnames:
            name = lex.surnames[word]
            out.append(_Entity(start, end, "creator", name, name, surname=True))
        elif (word.endswith("s") and word[:-1].isalpha() and word[:-1] in lex.surnames
              and low[max(0, start - 4):start] == "the "):
            family = word[:-1].capitalize()  # "the Wachowskis", "the Coens": the family, said as one name
            # a name only where the sentence says so: "by the Coens", not "We're the Millers"
            out.append(_Entity(start, end, "creator", family, family, strong=True, surname=True))
    return out


def _cue_before(low: str, start: int) -> tuple[str | None, str]:
    """The entity cue that ends right before `start` (fillers like "the movie" allowed)."""
    window = low[max(_clause_start(low, start), start - 80):start]
    m = _ENTITY_CUE_RE.search(window)
    if not m or not m.lastgroup:
        return None, ""
    return m.lastgroup, m.group(m.lastgroup)


def _cue_after(low: str, end: int) -> str | None:
    after = low[end:end + 60]
    for kind, rx in _POST_ENTITY.items():
        if rx.search(after):
            return kind
    return None


def _accept(cand: _Entity, text: str, low: str, lex: Lexicon, accepted: list[_Entity]) -> _Entity | None:
    """Keep a candidate only if a cue says how the user relates to it."""
    cand = _trim(cand, text)
    if cand is None:
        return None
    cand.cue, cand.cue_text = _cue_before(low, cand.start)
    if cand.cue is None and accepted:
        prev = accepted[-1]
        if prev.kind == cand.kind and _LIST_SEP_RE.match(low[prev.end:cand.start]):
            cand.cue, cand.cue_text = prev.cue, prev.cue_text  # "I loved Heat, Alien and Ran"
    if cand.cue is None and cand.kind == "title" and cand.ref:
        cand.cue = _clause_feeling(low, cand.start)  # "I hated every minute of La La Land"
    if cand.cue is None and SEEN_IT_AND_RE.search(low, max(0, cand.start - 40), cand.start):
        cand.cue, cand.cue_text = "seen", "seen"  # "seen it, and Interstellar too"
    if cand.cue == "seen" and cand.cue_text.endswith("heard") and _HEARSAY_RE.match(low, cand.end):
        cand.cue = None
    if cand.cue == "seen" and AGAIN_AFTER_RE.match(low, cand.end):
        cand.cue = "seen_like"  # "watched Julie & Julia again last night": seen, and liked
    cand.post = _cue_after(low, cand.end)
    if (cand.kind == "title" and cand.cue == "dislike" and text[cand.start:cand.start + 1].isupper()
            and _HIS_AFTER_RE.match(low, cand.end)):
        # "not Asimov, I've had enough of him": Isaac Asimov when the catalog knows the surname
        name = lex.surnames.get(fold(cand.text).strip(), cand.text)
        cand.kind, cand.ref, cand.strong = "creator", name, True
    elif _unknown_creator(cand, text, low, lex):
        cand.kind, cand.ref, cand.strong = "creator", cand.text, True  # "by Tolkien", not in the catalog
    if cand.kind == "creator":
        return cand if _creator_ok(cand, text, low, lex) else None
    if _YEAR_WORD_RE.fullmatch(cand.text) and _YEAR_CUE_RE.search(low, max(0, cand.start - 20), cand.start):
        return None  # "nothing older than like 2000": a year, not the film "2000"
    if DECADE_SPAN_RE.fullmatch(cand.text):
        return None  # "something older, like 70s or 80s": decades, not titles
    quoted = cand.start > 0 and text[cand.start - 1] in "\"'“《"
    if cand.text == fold(cand.text) and not quoted and _GOES_ON_RE.match(low, cand.end):
        return None  # "not the super hard stuff", "skip the big names": a word of a phrase, not a title
    if (cand.text == fold(cand.text) and not quoted and _MORE_BY_RE.match(low, cand.end)
            and _MORE_OF_RE.fullmatch(cand.text)):
        return None  # "anything else by Alexandre Dumas?": more of his work, not the film "Anything Else"
    if not quoted and _set_in(low, cand.start):
        return None
    if cand.text in lex.known_words and not quoted and _PLACE_BEFORE_RE.search(low, 0, cand.start):
        return None  # "I loved My Antonia back in college": where the user was, not the film "College"
    return cand if _title_ok(cand, lex, _all_lowercase(text)) else None


def _all_done(low: str, start: int) -> bool:
    return bool(ALL_DONE_BEFORE_RE.search(low, max(0, start - 40), start))


_SETTING_RE = re.compile(r"\b(?:set|takes? place|taking place|happens|happening|located|stories|story|life|"
                         r"lives|living)\s+in\s+(?:the\s+)?$")


def _set_in(low: str, start: int) -> bool:
    """Is the name at `start` where a story is set ("a love story set in Paris": the place, not the film)?"""
    return bool(_SETTING_RE.search(low, max(0, start - 30), start))


def _trim(cand: _Entity, text: str) -> _Entity | None:
    """Capitalised runs: drop a trailing domain word or possessive ("Nolan's films")."""
    if cand.strong or cand.kind != "title":
        return cand
    span = text[cand.start:cand.end]
    span = _TRAILING_KIND_RE.sub("", span)
    span = span.rstrip(".'")
    if not span:
        return None
    return _Entity(cand.start, cand.start + len(span), "title", span)


_HIS_AFTER_RE = re.compile(r"[^.!?;]{0,40}?\b(?:(?:of|by|from|with) (?:him|her)|(?:his|her) (?:books?|films?|"
                           r"movies?|stuff|work|novels?|songs?|albums?|music|writing))\b")


def _unknown_creator(cand: _Entity, text: str, low: str, lex: Lexicon) -> bool:
    """A capitalised name the catalog does not know, right after "by" / "directed by" or after a
    role and "like" ("an artist like Aphex Twin")."""
    named = (cand.cue == "creator" and bool(_BY_CUE_RE.search(cand.cue_text))) or (
        cand.cue == "sim" and bool(_ROLE_LIKE_RE.search(low, max(0, cand.start - 60), cand.start)))
    return (cand.kind == "title" and cand.ref is None and not cand.strong and named
            and not _TITLE_BY_RE.search(text, max(0, cand.start - 40), cand.start)
            and not _NOT_A_NAME_RE.fullmatch(fold(cand.text)) and phrase_key(cand.text) not in lex.phrases)


_MORE_BY_RE = re.compile(r"\s+(?:by|from)\s+\S")
_MORE_OF_RE = re.compile(r"(?:anything|something|everything|what|more|others?|stuff)(?:\s+(?:else|more|new|"
                         r"similar|good|great))?")
_YEAR_WORD_RE = re.compile(r"(?:18|19|20)\d\d")
_YEAR_CUE_RE = re.compile(r"\b(?:than|before|after|since|from|in|around|like|about|until|till)\s+$")


def _all_lowercase(text: str) -> bool:
    """Written with no capitals at all: then capitals say nothing about names."""
    return not any(c.isupper() for c in text)


@functools.lru_cache(maxsize=1)
def famous_people() -> frozenset[str]:
    """The best-known people (data/zh_aliases.tsv): their last name alone means them."""
    return frozenset(load_aliases().people.values())


# "Murder by Death": "by" inside a capitalised title, not "a novel by"/"written by"
_TITLE_BY_RE = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z]+\s+by\s+$")
_MODIFIER_OF_ROLE_RE = re.compile(r"\s+(?:actor|actress|director|author|writer|singer|band|composer|"
                                  r"filmmaker|novelist|poet|rapper|comedian|star)s?\b")
_NEXT_NAME_RE = re.compile(r" ([A-Z][a-z]{2,})\b")


def _creator_ok(cand: _Entity, text: str, low: str, lex: Lexicon) -> bool:
    """Names: full multi-word names after almost any cue; a bare last name or a one-word
    artist only where the sentence says it is a creator ("by Tolkien", "from Monochord")."""
    capitalised = text[cand.start:cand.start + 1].isupper() or (
        # "done with nolan"
        _all_lowercase(text) and cand.surname and (cand.ref or cand.text) in famous_people())
    by_cue = bool(_BY_CUE_RE.search(cand.cue_text))
    possessive = _WORKS_AFTER_RE.match(low, cand.end)
    if all(w in _TITLE_STOP for w in fold(cand.text).split()):
        return False  # some band is called "This One"; "more like this one" is still not about it
    if cand.strong and not cand.surname and _all_done(low, cand.start):
        return True  # "he's seen all the clint eastwood ones": ruled out (`_assign_entities`)
    if cand.surname:  # "by Tolkien", "Dickens's novels", "a Nolan film", "not Nolan"; not "Science-Fiction",
        # nor "by white people": a last name alone must be written as a name
        word = low[cand.start:cand.end] in lex.word_surnames
        if word and (cand.ref or cand.text) not in famous_people() and (not by_cue or _TITLE_BY_RE.search(
                text, max(0, cand.start - 40), cand.start)):
            return False  # "Good movies!!" is no film of Meagan Good's ("King" is Stephen King: famous), and
            # "Murder by Death" is a title, not a film by someone called Death
        nxt = _NEXT_NAME_RE.match(text, cand.end)
        if nxt and fold(nxt.group(1)) not in lex.common_words and fold(nxt.group(1)) not in _TITLE_STOP:
            return False  # "Dean Koontz": the first name of someone the catalog lacks, not Loren Dean
        attributive = possessive and (_ATTRIBUTIVE_RE.search(low, max(0, cand.start - 30), cand.start)
                                      or not low[_clause_start(low, cand.start):cand.start].strip())
        if attributive and low[cand.start:cand.end] in NATIONS:
            attributive = None  # "a French novel": a kind of novel, not one by Allen French
        return capitalised and (by_cue or low[cand.end:cand.end + 2] == "'s" or bool(attributive)
                                or _all_done(low, cand.start)
                                or bool(NOT_ANOTHER_RE.search(low, 0, cand.start))
                                or cand.cue in ("dislike", "sim", "like") or cand.post == "dislike")
    if _MODIFIER_OF_ROLE_RE.match(low, cand.end):
        return False  # "the British actor David Tennant": a word describing someone, not the person
    if not cand.strong:  # a one-word name
        if phrase_key(cand.text) in lex.phrases and not by_cue:
            return False  # "I love Jazz" is the genre, whatever band is called Jazz
        return by_cue or (capitalised and (cand.cue in ("creator", "like", "sim") or bool(possessive)))
    if cand.cue in ("creator", "like", "sim", "dislike") or possessive:
        return True  # a disliked name is kept as an entity (so it is no title) but not as a creator
    return cand.cue is None and capitalised


def _title_ok(cand: _Entity, lex: Lexicon, lowercase_message: bool = False) -> bool:
    cue, post, span = cand.cue, cand.post, cand.text
    if cue in (None, "creator") and (post is None or not cand.strong):
        return False
    key = phrase_key(span)
    low_words = fold(span).replace("'", "").split()
    capital_title = bool(cand.ref) and "".join(low_words) not in _ME and (span[:1].isupper() or (
        cue in ("seen", "like", "seen_like", "dislike") and lowercase_message  # "already seen alien"
        and not all(w in _TITLE_STOP for w in low_words) and phrase_key(span) not in lex.phrases
        and (len(low_words) > 1 or low_words[0] not in lex.common_words)
        # "a flat with no curtains yet": a thing had or not, not the film "Curtains"
        and not (len(low_words) == 1 and cue == "dislike" and cand.cue_text in ("no", "not"))))
    if capital_title and cue not in (None, "sim", "creator"):
        return True  # a catalog title written as a name: "I loved Aliens", "I've seen Up"
    if not key or all(w in _TITLE_STOP for w in low_words) or "".join(low_words) in _ME:
        return False
    if capital_title:
        return True
    if key in lex.phrases:
        return False
    if _DOMAIN_RE.fullmatch(fold(span).strip()):
        return False
    if span != fold(span):  # written with capitals or quoted: the user means a name
        return True
    if cue == "dislike" and cand.cue_text in ("not", "no"):
        return False  # "not big on romance" is not about the film "Big"
    if len(low_words) == 1:
        # a lowercase single word is a title only if it is rare, and "like" needs it rarer
        word = low_words[0]
        if cue == "sim":
            return word not in lex.known_words
        return word not in lex.common_words
    if low_words[0] in _FUNCTION_WORDS:
        return False  # "in the mood" is not the film "In the Mood"
    return any(w not in lex.common_words and w not in _TITLE_STOP for w in low_words)


def _assign_entities(work: _Masked, entities: list[_Entity], out: Extraction
                     ) -> tuple[str | None, str | None]:
    """Fill the titles and creators of `out`; returns the domain a role names ("an artist like X"),
    whose words are blanked (the artist is no facet "artists"), and the one a verb implies ("read X")."""
    low = work.text
    role_domain, roles, verb_domain = None, [], None
    title_ends = {e.end for e in entities if e.kind == "title"}
    last_person: tuple[int, str | None] | None = None  # where the last person named ends; role or "excluded"
    for ent in entities:
        if ent.kind == "creator":
            name = ent.ref or ent.text
            negated = ent.cue == "dislike" or ent.post == "dislike" or _all_done(low, ent.start) or (
                _negated_before(low, ent.start, _NEG_GAP) and not _aside(low, ent, title_ends))
            joined = last_person is not None and _JOINED_RE.fullmatch(low, last_person[0], ent.start)
            if joined and last_person[1] == "excluded":
                negated = True  # "nothing by Wells or Verne": both ruled out
            if negated and ent.post != "like":  # "nothing by X", but not "wasn't X in that?", "X is the best"
                _add(out.excluded_creators, name)
                last_person = (ent.end, "excluded")
                continue
            _add(out.creators, name)
            # "(2003) with Nicole Kidman and Jude Law": both said of the film
            role = last_person[1] if joined else _creator_role(low, ent, title_ends)
            last_person = (ent.end, role)
            if role:
                out.creator_roles.setdefault(name, role)
            m = _ROLE_LIKE_RE.search(low, max(0, ent.start - 60), ent.start) if role == "style" else None
            if m:
                role_domain = _ROLE_DOMAIN.get(m.group("role"), role_domain)
                roles.append(m.span("role"))
            continue
        if ent.ref:
            out.title_ids[ent.text] = ent.ref
        if ent.cue == "named":
            _add(out.mentioned_titles, ent.text)
            if _TASTE_RE.search(low) and not _asked_about(low, ent) and not _negated_before(low, ent.start):
                _add(out.liked_titles, ent.text)
            continue
        for kind in _title_kinds(ent.cue, ent.post, low, ent.start):
            _add(getattr(out, f"{kind}_titles"), ent.text)
        verb = _SEEN_VERB_RE.match(ent.cue_text) if ent.cue in ("seen", "seen_like", "seen_dislike") else None
        if verb and verb_domain is None:  # "read The Call of the Wild twice": the book
            verb_domain = _VERB_DOMAIN[verb.group(1)]
    for start, end in roles:
        work.blank(start, end)
    return role_domain, verb_domain


# what joins two names said the same way: "X and Y", "X, Y", "with X? Or Y?", and through one name we do
# not know ("Brad Pitt, Decaprio, George Clooney or Robert Downey Jr.": the list is one ask)
_LIST_GAP = (r",\s*(?!(?:not|but|maybe|also|even|especially|except|no|nothing|and|or|the|a|an|with|by|like|"
             r"i|we|he|she|they|it|is|was)\b)[a-z][\w.'-]*(?:\s[a-z][\w.'-]*)?\s*")
_JOINED_RE = re.compile(rf"(?:'s)?\s*(?:{_LIST_GAP})?(?:,|&|\band\b|\bor\b|\?\s*or\b|,\s*and\b|,\s*or\b)\s*")


def _asked_about(low: str, ent: _Entity) -> bool:
    """Is the title inside a question ("who played the Joker in The Dark Knight?")?"""
    stop = _SENTENCE_END_RE.search(low, ent.end)
    return stop is not None and stop.group() == "?" and not _TASTE_RE.search(
        low, _clause_start(low, ent.start, reach=200), stop.end())


def _title_kinds(cue: str | None, post: str | None, low: str, start: int) -> list[str]:
    kinds: list[str] = []
    if cue in ("seen", "seen_like", "seen_dislike") or post == "seen":
        kinds.append("seen")
    if cue in ("like", "seen_like"):
        kinds.append("liked")
    elif cue in ("dislike", "seen_dislike"):
        kinds.append("disliked")
    elif cue == "sim":
        kinds.append("disliked" if _negated_before(low, start) else "liked")
    if post in ("like", "dislike") and not any(k in ("liked", "disliked") for k in kinds):
        kinds.append("liked" if post == "like" else "disliked")
    return kinds


def _negated_before(low: str, pos: int, gap: frozenset[str] | None = None) -> bool:
    """Is there a negative cue earlier in the same clause (with only `gap` words between it and `pos`,
    when given)?"""
    start = _clause_start(low, pos)
    last = None
    for m in _CUE_RE.finditer(low, start, pos):
        last = m
    if last is None or last.lastgroup != "neg":
        return False
    return gap is None or all(w in gap for w in _WORD_RE.findall(low[last.end():pos]))
