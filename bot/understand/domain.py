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
_DOMAIN_QUALIFIER_RE = re.compile(r"\b(?:based (?:on|off|n)|adapted from|adaptation of|version of)\s+"
                                  r"(?:a|the|an)?\s*$")
# a domain word naming a feature of what is asked for, not the domain asked for: "kids movies with
# good music", "it has great songs", "the music in Mulan", "like the book", "comic books", "in my book"
_FEATURE_BEFORE_RE = re.compile(
    # "celebrating with a film", "relax with a book": what is done with the work asked for
    r"(?<!\bme )(?<!\bus )(?<!\bstick )(?<!\bstay )(?<!\bgo )\b(?:(?<!\bcelebrating )(?<!\bcelebrate )"
    r"(?<!\brelaxing )(?<!\brelax )(?<!\bunwinding )(?<!\bunwind )(?<!\bchilling )with|has|have|had|"
    r"(?<!what )(?<!how )about|"
    r"than|like the|and all the|box office|world|"
    r"comic|in my|loved? the|liked? the|enjoy(?:ed)? the|(?:read|seen|watched|heard) (?:all )?(?:of )?the)\s+"
    r"(?:(?:a|an|the|some|lots of|a lot of|great|good|nice|catchy|amazing|excellent|beautiful|awesome|its|"
    r"their|his|her|really|very|super|such|so|pretty|sound|fun|cool|lovely|memorable|wonderful|fantastic|"
    r"incredible|original|killer|classic|iconic|epic)\s+)*$")
# "there are some funny parts and some good music": what one work has
_THERE_IS_BEFORE_RE = re.compile(r"\bthere(?:'s| is| are| was| were)\b[^.!?]{0,50}\b(?:some|great|good|nice|"
                                 r"catchy|amazing)\s+$")
_FEATURE_AFTER_RE = re.compile(r"^\s+(?:in|from|of)\s+\w")
# music as the subject of another domain's work: "a music documentary", "a music biopic", "music books"
_SUBJECT_AFTER_RE = re.compile(r"^\s+(?:documentar(?:y|ies)|docs?|biopics?|films?|movies?|books?|novels?)\b")
# "I was reading that Natalie Portman got an award": reading the news, not a wish for a book
_NEWS_AFTER_RE = re.compile(r"^\s+(?:that|about|an article|articles|the news|online|reviews|up on)\b")
# "books or movies" offers both; "great movie & music", "that movie and the book" praise one film twice
_DOMAIN_OR_RE = re.compile(r"^\s*(?:,|/|or|and|nor|either|&(?:amp;)?|\+|plus)?\s*(?:or|and)?\s*"
                           r"(?:a|an|some|any|the|its)?\s*$")
_LIKE_THIS_RE = re.compile(r"\b(?:feels?|sounds?|looks?|reads?)\s+like\s+(?:(?:this|that|the|a|an)\s+"
                           r"(?:\w+\s+)?)?$")
_LIKE_NAME_RE = re.compile(r"\b(?:like|as|than|à la|a la)\s+(?:a|an|the|some)?\s*$")
_ONE_THING = frozenset({"book", "movie", "film", "album", "song", "track", "record", "novel"})
# ...when the sentence goes on about it ("I meant the book" and "the book instead" still choose books)
_GOES_ON_RE = re.compile(r"^\s+(?!(?:instead|please|then|too|now|rather|maybe|again|one|ones|or|and|not|"
                         r"but|thanks|pls|i|you)\b)[a-z]")
_DEFINITE_END_RE = re.compile(r"\b(?:that|this|his|her|their|its|your)\s+$|(?<!\bto )(?<!\bwith )\bthe\s+$")
# "that was a Stephen King novel", "it's good book" (praise often drops the article): what one item is
_REMARK_BEFORE_RE = re.compile(r"\b(?:that|it|this|which)\s+(?:was|is|'s)\s+(?:(?:a|an|the)\s+"
                               r"(?:[\w'-]+\s+){0,3}|(?:(?:really|so|very|pretty|such|a)\s+)*(?:good|great|"
                               r"nice|amazing|awesome|fantastic|excellent|beautiful|wonderful)\s+)$")
# a club or a night for a domain is about it: "I've joined the book club", "the friday film afternoon"
_CLUB_AFTER_RE = re.compile(r"^\s+(?:club|group|night|evening|afternoon|day|weekend|marathon|festival)s?\b")
# "Steven Price music awesome", "the songs were great": a verdict on what one film had, not a wish
_VERDICT_AFTER_RE = re.compile(r"^\s+(?:(?:was|is|were|are|'s)\s+)?(?:so\s+|really\s+|super\s+|very\s+|"
                               r"sure\s+are\s+|sure\s+is\s+|just\s+)?(?:awe?some|great|"
                               r"amazing|beautiful|incredible|fantastic|epic|cool|crazy|catchy|brilliant)\b")
_OCCASION_BEFORE_RE = re.compile(r"\b(?:for|while|when|during|whilst)\s+$")
# "the movie Inception": a domain word naming a title, not asking for the domain
_THE_END_RE = re.compile(r"\b(?:the|those|these)\s+$")
# "I'll add that to my playlist": keeping a suggestion, in any domain
_KEEP_BEFORE_RE = re.compile(r"\b(?:to|on|in)\s+(?:my|our|the)\s+$")

# A wish is for things of a kind ("a book", "some music", "any albums"); "the songs", "the other books",
# "the Fireworks song" refer back to what one work has, unless chosen outright ("I meant the book",
# "back to the books", "who's doing the music", "one of those audiobooks") or asking for the best
# ("the best books of 2020"); "the playlist" is the user's own ("dark stuff is fine for the playlist")
_DEFINITE_BEFORE_RE = re.compile(
    r"\b(?:the|those|these|its)\s+(?:(?!(?:best|top|greatest|latest|newest|new|recent|most|least|next|"
    r"for|of|in|on|with|to|and|or|as|than|from|by|about|like)\b)(?![\w'-]+est\b)[\w'-]+\s+){0,2}$")
# "Love those movies and books!": the determiner holds for the whole list
_DEFINITE_LIST_RE = re.compile(r"\b(?:the|those|these|its|their)\s+(?:movies?|films?|books?|novels?|songs?|"
                               r"music|albums?|soundtracks?)\s+(?:and|&|or)\s+$")
# a verb with a definite object: "rewatching Moana just to listen to the songs", "read the book first"
_DEFINITE_OBJECT_RE = re.compile(r"\s*(?:the|those|these|its|their|his|her)\s+(?:songs?|music|soundtracks?|"
                                 r"books?|novels?|films?|movies?)\b")
_CHOSEN_BEFORE_RE = re.compile(
    r"\b(?:back to|over to|switch(?:ing)? to|onto|on to|meant|mean|prefer|rather|doing|in charge of|"
    r"handl(?:e|ing)|sort(?:ing)? out|what about|how about|(?:gives?|gave|get|find|shows?) me|go with|"
    r"stick (?:with|to)|stay with|wants?|wanted|needs?|'d like|would like|looking for|recommend|suggest|"
    r"try)\s+(?:all\s+)?(?:the|those|these|its)\s+(?:[\w'-]+\s+){0,2}$"
    r"|\bone of (?:those|these)\s+(?:[\w'-]+\s+){0,2}$")
_CHOSEN_AFTER_RE = re.compile(r"^\s*(?:instead|please|pls|rather|versions?|ones?|now|again|this time|"
                              r"for a change)\b")
# "book based ones", "novel-based", "book adaptations": films made from books
# (but "a movie based off a book series" asks for the movie)
_QUALIFIER_AFTER_RE = re.compile(r"^(?:\s+|\s*-\s*)(?:based(?!\s+(?:on|off|upon)\b)|adapt\w*|"
                                 r"to[\s-]+(?:film|movie|screen))\b")
# "I haven't read a book in years": what was (not) done, not what is wanted
_UNDONE_BEFORE_RE = re.compile(r"(?:n't|\bnot|\bnever)\s+(?:ever\s+)?(?:read|seen|watched|heard|"
                               r"listened to)\s+(?:a|an|any|many|much|a single)?\s*(?:[\w'-]+\s+){0,2}$")
# "go read up on it", "read some good reviews": reading about a film, not reading a book
_READ_ABOUT_RE = re.compile(r"^\s+(?:up\s+on|(?:(?:some|a few|good|great|the|its|lots of|a lot of|many)\s+)*"
                            r"(?:reviews?|articles?|comments|critics))\b")
# figures of speech: "you're on the right track", "keep track", "for the record", "by the book"
_IDIOM_RE = re.compile(r"\b(?:(?:on|off|back on)\s+(?:the\s+)?(?:(?:right|wrong|same)\s+)?track|"
                       r"(?:keep|kept|keeping|lose|lost|losing)\s+track|track\s+record|(?:for|off)\s+the\s+record|"
                       r"broken\s+record|beats\s+me|by\s+the\s+book|open\s+book)\b")
# a sentence that says what a named work is or has ("Trolls (2016) is a favorite, some really good
# music") describes it; the title is blanked once linked, and a ReDial title keeps its "(    )" year
_TITLE_REMARK_RE = re.compile(r"\s*(?:\(\s*\)\s*)?(?:is|was|'s|has|had)\b")
_UNLINKED_TITLE_REMARK_RE = re.compile(r"\w\s+\(\s+\)\s+(?:is|was|'s|has|had)\b")
_WISH_RE = re.compile(r"\b(?:any|more|other|else|another|something|anything|next|now|want|wants|need|needs|"
                      r"looking|recommend|suggest|what|instead|please|pls|give|try|would|could|for|"
                      r"like (?:that|this|it|those|them))\b|\?")
# ...and a remark followed by a request is a wish: "I haven't seen a good movie in ages, recommend one",
# "I've read all the Harry Potter books, what next?"
_ASKS_AFTER_RE = re.compile(r"\b(?:recommend|suggest|what(?:'s| is)? next|what else|anything else|"
                            r"something else|more like|any (?:ideas|suggestions|recs?|recommendations))\b")
_SENTENCE_END_RE = re.compile(r"[.!?;]\s")


def _describes_title(low: str, at: int, entities: list[_Entity]) -> bool:
    """Is the sentence up to `at` a remark on a named work, with no wish in it?"""
    start = max((b.end() for b in _SENTENCE_END_RE.finditer(low, 0, at)), default=0)
    end = next((b.start() for b in _SENTENCE_END_RE.finditer(low, at)), len(low))
    subject = min((e.end for e in entities if e.kind == "title" and start <= e.start and e.end <= at
                   and _TITLE_REMARK_RE.match(low, e.end)), default=None)
    if subject is None:
        unlinked = _UNLINKED_TITLE_REMARK_RE.search(low, start, at)
        subject = unlinked.end() if unlinked else None
    return subject is not None and not _WISH_RE.search(low, subject, end)


def _asks_after(low: str, at: int) -> bool:
    """Does the sentence go on to ask for something after `at`?"""
    end = next((b.start() for b in _SENTENCE_END_RE.finditer(low, at)), len(low))
    return bool(_ASKS_AFTER_RE.search(low, at, end))


def _remarks_on(low: str, m: re.Match, entities: list[_Entity]) -> bool:
    """Does the domain word describe a work under discussion, rather than ask for things of its kind?"""
    before, after = low[max(0, m.start() - 40):m.start()], low[m.end():m.end() + 30]
    if _describes_title(low, m.start(), entities):
        return True  # "Trolls (2016) is also becoming a favorite, some really good music"
    if m.lastgroup == "book" and _QUALIFIER_AFTER_RE.match(after):
        return True  # "other old book based ones" are films
    if _asks_after(low, m.end()):
        return False  # "I haven't seen a good movie in ages, recommend one"
    if _UNDONE_BEFORE_RE.search(before):
        return True  # "I haven't read a book in years"
    if _DEFINITE_LIST_RE.search(before):
        return True
    return bool(_DEFINITE_BEFORE_RE.search(before) and not m.group().startswith("playlist")
                and not _CHOSEN_BEFORE_RE.search(before)
                and not _CHOSEN_AFTER_RE.match(after) and not _CLUB_AFTER_RE.match(after))


def _find_domain(low: str, entities: list[_Entity]) -> str | None:
    """The domain asked for: the last one named, unless two are offered as alternatives."""
    mentions: list[tuple[int, int, str]] = []
    compared = None  # the domain of a comparison, when nothing else is named
    starts = {e.start for e in entities if e.kind == "title"}
    idioms = [m.span() for m in _IDIOM_RE.finditer(low)]
    for m in _DOMAIN_RE.finditer(low):
        before = low[max(0, m.start() - 40):m.start()]
        after = low[m.end():m.end() + 30]
        is_verb = m.group().startswith(_DOMAIN_VERBS)
        if any(s <= m.start() and m.end() <= e for s, e in idioms):
            continue  # "you're on the right track" after a film suggestion
        if is_verb and _DEFINITE_OBJECT_RE.match(after):
            continue  # "just to listen to the songs": what was done with a work under discussion
        if m.group().endswith(("read", "reads", "reading")) and _READ_ABOUT_RE.match(after):
            continue  # "I have to go read up on it"
        neg = _DOMAIN_NEG_RE.search(before)
        if neg and any(m.start() - len(before) + neg.start() < e.start < m.start() for e in entities):
            neg = None  # "no more James Wan movies": the name is ruled out, not movies
        if (neg and not is_verb) or _DOMAIN_QUALIFIER_RE.search(before):
            continue  # "no more movies" is not a wish for movies; "not watch anything violent" still is
        if not is_verb and (_FEATURE_BEFORE_RE.search(before) or _THERE_IS_BEFORE_RE.search(
                low, max(0, m.start() - 80), m.start()) or (
                _THE_END_RE.search(before) and _FEATURE_AFTER_RE.match(low[m.end():m.end() + 20]))):
            continue  # "movies with good music", "the songs from Moana": a feature, not a wish
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
        if not is_verb and _remarks_on(low, m, entities):
            continue  # "I know all the songs", "did they make movies of the other books?"
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


# "tan's dry!! back to the western", "scratch the book, I'll go back to the romcom plan", 还是回到恐怖片吧:
# a return to wishes said earlier (which domain they were about, the state's shelves tell)
_BACK_TO_RE = re.compile(r"\b(?:(?:go|going|get|come|switch|head)(?:ing)?\s+)?back\s+to\s+(?:the|my|our|that|"
                         r"those|your)?\s*\w|回到|换回|还是回|回去看|回去听|回去读|"
                         # "let's do the thriller after all", "I'll go with the western after all"
                         r"\b(?:do|go with|have|watch|read|play|stick with)\s+the\s+[\w-]+(?:\s+[\w-]+)?"
                         r"\s+after all\b",
                         re.I)


# a kind of fiction is read, unless films are named beside it: "historical fiction set in ancient Rome" asks
# for novels, "Do you know any historical fiction? I've seen Titanic and Saving Private Ryan" for films
_FICTION_RE = re.compile(r"\b(?:historical|literary|crime|detective|gothic|romance|women'?s|young adult|ya|"
                         r"flash|short|adventure|war|mystery|fantasy) fiction\b")


def fiction_domain(low: str, titles_named: bool) -> str | None:
    """"book" for a kind of fiction asked for with no title named beside it."""
    return "book" if not titles_named and _FICTION_RE.search(low) else None


def returns_to_earlier(text: str) -> bool:
    """Does the message go back to something asked for before ("back to the western")?"""
    return bool(_BACK_TO_RE.search(text))



# a new domain asked for like what came before: "now a book with a similar vibe", "那有没有同题材的书"
_CARRY_RE = re.compile(
    r"\b(?:similar|same (?:vibe|feel|kind|type|sort|theme|themes|subject|topic|mood|spirit|energy|style)|"
    r"like (?:that|it|this|those|these|them|the (?:movie|film|book|novel|album|one|ones))|along (?:those|the "
    r"same) lines|in (?:that|the same) (?:vein|spirit)|that kind of|that sort of|equivalent|version of "
    r"(?:that|it|this))\b|同题材|同类|类似|差不多|一样的|这种|那种|这样的|那样的|这类|那类|相似|相近", re.I)


def carries_over(text: str) -> bool:
    """Does a message that changes domain ask for the same kind of thing as before ("ok now a book with a
    similar vibe")? Then the earlier domain's wishes come along (manager.carry_over)."""
    return bool(_CARRY_RE.search(text[:500]))
