"""The domain step: which of movie, book or music the user asks for, if any."""

from __future__ import annotations

import re

from bot.understand.model import _Entity

_DOMAIN_RE = re.compile(
    r"\b(?:(?P<movie>movies?|films?|flicks?|cinema|watch|watches|watching|pel[ií]culas?|filme|directors?|filmmakers?|"
    r"movei|moive|movi|flim|directed|direct|"
    r"blockbusters?|biopics?)|(?P<book>books?|novle|noval|published|cookbooks?|cook books?|recipe books?|"
    r"graphic novels?|writes|write like|"
    r"(?:i'?ll|i will|gonna|wanna|let'?s|i'?d rather|should (?:i|we|he|she|they)) read|read next|"
    r"reads|read (?:the (?:first|second|third|fourth|fifth|last) one|something|anything|instead|"
    r"(?:all )?(?:his|her|their) (?:stuff|work)|every single one)|"
    r"(?:something|anything|stuff) (?:good |new |light |fun )?to read|"
    r"novels?|novellas?|novelas?|paperbacks?|e-?books?|audiobooks?|(?:to|good|a|an|light|easy|quick|"
    r"next|fun|great|beach|summer|holiday|bedtime|cozy|cosy|winter)\s+(?:[a-z-]+\s+){0,2}?reads?|reading|livres?|libros?|b[uü]cher|buch)|(?P<music>music|albums?|songs?|tracks?|tunes|"
    r"who (?:sings|sang)|beats|records?|lps?|eps?|playlists?|bands?|listen(?:ing)?(?: to)?|musique|musik|"
    r"m[uú]sica))\b")
_DOMAIN_VERBS = ("watch", "listen", "read", "to ", "a ", "good", "light", "easy", "quick", "published",
                 "writes")
_DOMAIN_NEG_RE = re.compile(r"\b(?:not|no|no more|nothing|instead of|rather than|enough|without|forget|"
                            r"forget about|done with|tired of|sick of|over)\s+"
                            r"(?:(?:a|an|any|more|the|of|with|about)\s+)*$")
_DOMAIN_QUALIFIER_RE = re.compile(r"\b(?:based (?:on|off)|adapted from|adaptation of|version of)\s+"
                                  r"(?:a|the|an)?\s*$")
# a domain word naming a feature of what is asked for, not the domain asked for: "kids movies with
# good music", "it has great songs", "the music in Mulan", "like the book", "comic books", "in my book"
_FEATURE_BEFORE_RE = re.compile(
    r"(?<!\bme )(?<!\bus )(?<!\bstick )(?<!\bstay )(?<!\bgo )\b(?:with|has|have|had|(?<!what )(?<!how )about|"
    r"than|like the|and all the|box office|world|"
    r"comic|in my|loved? the|liked? the|enjoy(?:ed)? the|(?:read|seen|watched|heard) (?:all )?(?:of )?the)\s+"
    r"(?:(?:a|an|the|some|lots of|a lot of|great|good|nice|catchy|amazing|excellent|beautiful|awesome|its|"
    r"their|his|her|really|very|super|such|so|pretty|sound)\s+)*$")
# "there are some funny parts and some good music": what one work has
_THERE_IS_BEFORE_RE = re.compile(r"\bthere(?:'s| is| are| was| were)\b[^.!?]{0,50}\b(?:some|great|good|nice|"
                                 r"catchy|amazing)\s+$")
_FEATURE_AFTER_RE = re.compile(r"^\s+(?:in|from|of)\s+\w")
# music as the subject of another domain's work: "a music documentary", "a music biopic", "music books"
_SUBJECT_AFTER_RE = re.compile(r"^\s+(?:documentar(?:y|ies)|docs?|biopics?|films?|movies?|books?|novels?)\b")
# "I was reading that Natalie Portman got an award": reading the news, not a wish for a book
_NEWS_AFTER_RE = re.compile(r"^\s+(?:that|about|an article|articles|the news|online|reviews|up on)\b")
_DOMAIN_OR_RE = re.compile(r"^\s*(?:,|/|or|and|nor|either)?\s*(?:or|and)?\s*(?:a|an|some|any)?\s*$")
_LIKE_THIS_RE = re.compile(r"\b(?:feels?|sounds?|looks?|reads?)\s+like\s+(?:(?:this|that|the|a|an)\s+"
                           r"(?:\w+\s+)?)?$")
_LIKE_NAME_RE = re.compile(r"\b(?:like|as|than|à la|a la)\s+(?:a|an|the|some)?\s*$")
_ONE_THING = frozenset({"book", "movie", "film", "album", "song", "track", "record", "novel"})
# ...when the sentence goes on about it ("I meant the book" and "the book instead" still choose books)
_GOES_ON_RE = re.compile(r"^\s+(?!(?:instead|please|then|too|now|rather|maybe|again|one|ones|or|and|not|"
                         r"but|thanks|pls|i|you)\b)[a-z]")
_DEFINITE_END_RE = re.compile(r"\b(?:that|this|his|her|their|its|your)\s+$|(?<!\bto )(?<!\bwith )\bthe\s+$")
_REMARK_BEFORE_RE = re.compile(r"\b(?:that|it|this|which)\s+(?:was|is|'s)\s+(?:a|an|the)\s+"
                               r"(?:[\w'-]+\s+){0,3}$")
# a club or a night for a domain is about it: "I've joined the book club", "film night at the pub"
_CLUB_AFTER_RE = re.compile(r"^\s+(?:club|group|night|festival)s?\b")
# "Steven Price music awesome", "the songs were great": a verdict on what one film had, not a wish
_VERDICT_AFTER_RE = re.compile(r"^\s+(?:(?:was|is|were|are|'s)\s+)?(?:so\s+|really\s+|super\s+|very\s+|"
                               r"sure\s+are\s+|sure\s+is\s+|just\s+)?(?:awe?some|great|"
                               r"amazing|beautiful|incredible|fantastic|epic|cool|crazy|catchy|brilliant)\b")
_OCCASION_BEFORE_RE = re.compile(r"\b(?:for|while|when|during|whilst)\s+$")
# "the movie Inception": a domain word naming a title, not asking for the domain
_THE_END_RE = re.compile(r"\b(?:the|those|these)\s+$")
# "I'll add that to my playlist": keeping a suggestion, in any domain
_KEEP_BEFORE_RE = re.compile(r"\b(?:to|on|in)\s+(?:my|our|the)\s+$")


def _find_domain(low: str, entities: list[_Entity]) -> str | None:
    """The domain asked for: the last one named, unless two are offered as alternatives."""
    mentions: list[tuple[int, int, str]] = []
    compared = None  # the domain of a comparison, when nothing else is named
    starts = {e.start for e in entities if e.kind == "title"}
    for m in _DOMAIN_RE.finditer(low):
        before = low[max(0, m.start() - 40):m.start()]
        is_verb = m.group().startswith(_DOMAIN_VERBS)
        neg = _DOMAIN_NEG_RE.search(before)
        if neg and any(m.start() - len(before) + neg.start() < e.start < m.start() for e in entities):
            neg = None  # "no more James Wan movies": the name is ruled out, not movies
        if (neg and not is_verb) or _DOMAIN_QUALIFIER_RE.search(before):
            continue  # "no more movies" is not a wish for movies; "not watch anything violent" still is
        if not is_verb and (_FEATURE_BEFORE_RE.search(before) or _THERE_IS_BEFORE_RE.search(
                low, max(0, m.start() - 80), m.start()) or (
                _THE_END_RE.search(before) and _FEATURE_AFTER_RE.match(low[m.end():m.end() + 20]))):
            continue  # "movies with good music", "the songs from Moana": a feature, not a wish
        after = low[m.end():m.end() + 30]
        if m.group().startswith("playlist") and _KEEP_BEFORE_RE.search(before):
            continue  # "I'll add that to my playlist" after a film: keeping it, not asking for music
        if m.lastgroup == "music" and _SUBJECT_AFTER_RE.match(after):
            continue  # "a music documentary" is a film
        if m.lastgroup == "music" and (_VERDICT_AFTER_RE.match(after) or (
                re.search(r"\b(?:that|this)\s+$", before) and _GOES_ON_RE.match(after))):
            continue  # "that music truck lol"
        if (m.group() in _ONE_THING and _DEFINITE_END_RE.search(before) and _GOES_ON_RE.match(after)
                and not _CLUB_AFTER_RE.match(after)):
            continue  # "throws the book out the window", "that music truck": one thing, not a wish
        if m.group() == "reading" and _OCCASION_BEFORE_RE.search(before):
            continue  # "something ambient for reading": when it plays, not a wish for books
        if _REMARK_BEFORE_RE.search(before):
            continue  # "that was a Stephen King novel": says what one item is, asks for nothing
        news = _NEWS_AFTER_RE.match(low[m.end():m.end() + 20])
        if m.group().startswith("read") and " " not in m.group() and news:
            continue  # "I was reading that Natalie Portman got an award"
        if _THE_END_RE.search(before) and any(0 < s - m.end() <= 3 for s in starts):
            continue  # "the movie Inception": names a title, not a wish
        if any(_LIKE_NAME_RE.search(low, max(0, e.start - 30), e.start) and not low[e.end:m.start()].strip()
               for e in entities if e.end <= m.start()) or _LIKE_THIS_RE.search(before):
            compared = compared or m.lastgroup
            continue  # "a novel a bit like a Wes Anderson film": the film is a comparison
        mentions.append((m.start(), m.end(), m.lastgroup or ""))
    if not mentions:
        return compared  # "something that feels like a Nolan film": the same kind of thing
    last = mentions[-1]
    for prev in reversed(mentions[:-1]):
        if prev[2] == last[2]:
            continue
        if _DOMAIN_OR_RE.match(low[prev[1]:last[0]]):
            return None  # "books or movies"
        break
    return last[2]
