"""The facet step: mood phrases, emoji and lexicon phrases, then a polarity for each mention.

Negation scope runs from its cue to the end of the clause; a weaker mention never flips
the polarity a stronger one gave.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from bot.understand.cues import (
    _ABOUT_BOT_RE,
    _BARE_NO_RE,
    _CLAUSE_RE,
    _HAS_CONJ_RE,
    _LIST_GLUE_RE,
    _POST_NEG_RE,
    _POST_TOL_RE,
    _REVISION_RE,
)
from bot.understand.lexicon import Lexicon, _longest_at
from bot.understand.model import Extraction, _Hit, _Masked
from bot.understand.text import _ELISION_RE, _FACET_WORD_RE, phrase_key, stem
from bot.understand.vocab import (
    EMOJI,
    FREE_FACETS,
    MOODS,
    MUSIC_ONLY_WORDS,
    OCCASION_GUESSES,
    OCCASIONS,
    Cue,
    implied_among,
    overruled_guesses,
)

# stems of MUSIC_ONLY_WORDS ("house", "soul"): facets only when the talk is about music
MUSIC_ONLY = frozenset(stem(w) for w in MUSIC_ONLY_WORDS)
# cues that ask for less of a facet, not none of it: "less scary", "not too much action"
# "more action than romance" asks for less romance, not none
_SOFT_NEG = ("less", "fewer", "too", "too much", "not too", "not too much", "than")
# a dislike of some of them only: "I did not like the war movies that are not in english"
_QUALIFIED_RE = re.compile(r"\s*(?:films?|movies?|books?|novels?|songs?|music|ones|stuff)?\s*"
                           r"(?:that|which|when|unless)\s+(?:are|is|were|was|have|has|aren'?t|isn'?t|don'?t|doesn'?t|get|gets)\b")
# a ban of one kind of a facet: "not grossout comedies", "I don't like dirty comedies" (a word between the
# negation and the facet that says which kind; these words say no kind)
_NO_KIND_WORDS = frozenset([
    "a", "an", "the", "any", "some", "more", "of", "kind", "kinds", "sort", "sorts", "type", "types",
    "such", "those", "these", "that", "this", "other", "another", "really", "very", "so", "too", "much",
    "many", "all", "at", "even", "with", "about", "without", "involving", "featuring", "to", "watch",
    "see", "read", "hear", "listen", "watching", "reading", "seeing", "listening", "movies", "movie",
    "films", "film", "flicks", "flick", "books", "book", "novels", "novel", "music", "songs", "song",
    "albums", "album", "stuff", "things", "thing", "ones", "one", "shows", "show", "anything", "something",
    "nothing", "everything", "lot", "lots", "bit", "little", "same", "big", "huge", "my", "your", "his",
    "her", "our", "their", "in", "for", "on"
])
# an earlier "no" taken back in the same breath: "I know I said no violence, but some is fine"
_TAKEN_BACK_RE = re.compile(
    r"\b(?:i|we)\s+(?:know\s+(?:i|we)\s+)?(?:said|told you|asked for)\s+(?:no|not|nothing|without)\b"
    r"(?P<body>[^.!?]{1,60}?)\bbut\b[^.!?]{0,100}?\b(?:fine|ok|okay|alright|good|can handle|don'?t mind|"
    r"is allowed|works|(?:sounds?|seems?|looks?|would be|could be)\s+(?:kind of |kinda |actually |quite |"
    r"pretty |really )?(?:fun|tempting|appealing))\b|"
    # "remember I said nothing scary? scrap that, the cousins want a proper fright"
    r"\b(?:i|we)\s+(?:said|told you|asked for)\s+(?:no|not|nothing|without)\b(?P<body2>[^.!?]{1,60}?)"
    r"[.!?,]*\s*(?:scrap|scratch|forget|ignore|disregard)\s+(?:that|it)\b")
_IS_AFTER_RE = re.compile(r"\s+(?:\w+\s+)?(?:fine|ok|okay|alright|back|out|allowed|not|great|good|cool)\b")
_REACTION_EMOJI = frozenset("😂🤣😆😹😭")
# a laughing or crying face counts as a wish only beside one ("zombie movies but funny pls 😂")
_ASKING_RE = re.compile(r"(?:\b(?:something|anything|movies?|films?|books?|albums?|music|songs?|pls|please|"
                        r"want|need|recommend|give me|funny|sad)\b)[^.!?,]*$")
_EMOJI_RE = re.compile("|".join(map(re.escape, sorted(EMOJI, key=len, reverse=True))))


def _find_moods(work: _Masked) -> list[_Hit]:
    hits: list[_Hit] = []
    for rx, targets in MOODS:
        for m in rx.finditer(work.text):
            t = targets if isinstance(targets, dict) else {None: targets}
            hits.append(_Hit(m.start(), m.end(), t, occasion=rx in OCCASIONS, guess=rx in OCCASION_GUESSES))
            work.blank(m.start(), m.end())
    for m in _EMOJI_RE.finditer(work.text):
        start = max(0, m.start() - 40)
        first = not work.text[:m.start()].strip()  # "😂😂 something funny": the message opens with it
        if m.group() in _REACTION_EMOJI and not first and not _ASKING_RE.search(work.text, start, m.start()):
            continue  # "it scarred me 😂", "I cried 😭": a reaction to what was said, not a wish
        hits.append(_Hit(m.start(), m.end(), {None: EMOJI[m.group()]}))
    return hits


# "he'll", "we'd", "they're": a pronoun and a verb, not "hell", "wed" or "theyre"
_CONTRACTION_RE = re.compile(r"^(?P<p>i|he|we|you|she|they|it|who|that|there|what)'(?:ll|d|re|ve|m|s)$")


def _plain_word(word: str) -> str:
    contraction = _CONTRACTION_RE.match(word)
    if contraction:
        return contraction.group("p")
    return _ELISION_RE.sub("", word).replace("'", "").replace("&", "and")


_HOW_TO_KIND_RE = re.compile(r"\s+(?:books?|guides?|manuals?|titles?|stuff)\b")


# "love" opening a phrase ("love poems", "love story") is the verb only after one who loves or an adverb:
# "I love poems about the sea", "my kids really love poems"
_LOVE_AS_VERB_RE = re.compile(r"\b(?:i|we|you|u|they|he|she|who|really|also|just|totally|absolutely|truly|"
                              r"do|does|did|would|'d|to|still|always|so|kids|children|wife|husband|mum|mom|"
                              r"dad|son|daughter|friends?)\s*$")


def _find_facets(work: _Masked, lex: Lexicon, domain: str | None) -> list[_Hit]:
    """Longest lexicon phrase at each position, over stemmed words with mild typo repair."""
    raw = list(_FACET_WORD_RE.finditer(work.text))
    words = [(_plain_word(m.group()), m.start(), m.end()) for m in raw]
    tokens: list[str] = []
    for n, ((w, _, _), m) in enumerate(zip(words, raw, strict=True)):
        s = stem(w)
        if m.group().endswith("'s") and _IS_AFTER_RE.match(work.text, m.end()):
            s = stem(m.group()[:-2])  # "horror's fine again": the facet, then "is"
            words[n] = (m.group()[:-2], m.start(), m.end() - 2)
        if s not in lex._words and "'" not in m.group():  # "aren't" is not a typo of "parent"
            fixed = lex.correct(w)
            if fixed is not None:
                s = stem(fixed)
        tokens.append(s)
    hits: list[_Hit] = []
    music_words: list[_Hit] = []  # "house", "soul": facets only when the talk is about music
    i = 0
    while i < len(tokens):
        found = _longest_at(tokens, i, lex.phrases, lex._prefixes, lex.max_len)
        if found is None:
            i += 1
            continue
        j, targets = found
        if tokens[i] == "love" and j - i > 1 and _LOVE_AS_VERB_RE.search(work.text, 0, words[i][1]):
            i += 1  # "I love poems about the sea": the verb; "some love poems": poems about love
            continue
        hit = _Hit(words[i][1], words[j - 1][2], targets)
        if work.text[hit.start:hit.end] == "how to" and not _HOW_TO_KIND_RE.match(work.text, hit.end):
            i = j  # "teaching my dad how to use streaming": a question of how, not how-to books
            continue
        (music_words if j - i == 1 and tokens[i] in MUSIC_ONLY else hits).append(hit)
        i = j
    if domain == "music" or (domain is None and any(_music_only(h, lex) for h in hits)):
        hits += music_words
    return hits


# where the user is, what they own, who is around them: "driving thru nebraska", "my twins are 6", "I have
# puppies", "grandpa's in the hospital". Only a topic word right after one of these, in a clause that
# asks for nothing before it; "a book set in ohio", "stories about my dog" and "books on ships" still ask.
_SITUATION_BEFORE_RE = re.compile(
    r"(?:\b(?:in|into|on|at|thru|through|across|near|inside|outside)\s+(?:(?:the|a|an|my|our|this|that|his|her|"
    r"their)\s+)?(?:\w+\s+)?|\b(?:my|our|his|her|their)\s+(?:\w+\s+)?|"
    r"\b(?:have|has|had|having|got|it'?s|it is|if it'?s)\s+(?:(?:a|an|the|some|two|three)\s+)?)$")
_ASKS_ABOUT_RE = re.compile(
    r"\b(?:set|place|life|lives|living|stor(?:y|ies)|about|with|of|something|anything|books?|novels?|films?|"
    r"movies?|ones?|music|songs?|albums?|documentar(?:y|ies)|series|wants?|wanted|needs?|likes?|loves?|adores?|"
    r"into|obsessed with)\s+"
    r"(?:(?:in|on|at|thru|through|across|near|inside|outside)\s+)?(?:(?:the|a|an|my|our|this|that|his|her|"
    r"their)\s+)?(?:\w+\s+)?$")


# "a movie my grandparents would enjoy", "my dogs love it": the people or pets the wish is for, not its topic
_MY_RE = re.compile(r"\b(?:my|our|his|her|their)\s+$")
_SUBJECT_AFTER_RE = re.compile(r"\s+(?:would|will|might|could|can|should|may|do|does|did|are|is|were|was|"
                               r"likes?|loves?|enjoys?|adores?|prefers?|wants?|hates?)\b")
_WITHOUT_COMPANY_RE = re.compile(r"\bwithout\s+(?:the|my|our|his|her)\s+(?:kids?|children|family|wife|"
                                 r"husband|parents|partner|boyfriend|girlfriend)$")
_FOR_BEFORE_RE = re.compile(r"\bfor\s+(?:a|an|the|my|our)?\s*$")
_WITH_MINE_RE = re.compile(r"\bwith\s+(?:my|our)\s+(?:[\w-]+\s+){0,4}$")
_SELF_AFTER_RE = re.compile(r"\s+here\b(?!\s+(?:is|are)\b)")


# a person's role or an action, not a topic: "my grandad was a merchant sailor", "wants to be an astronaut",
# "he'll literally riot", "learning Italian on duolingo"; "a novel about a girl who is a pirate" still asks
_ROLE_BEFORE_RE = re.compile(r"\b(?:(?:was|is|am|be|become|became|as)\s+(?:a|an)\s+(?:[\w-]+\s+)?|"
                             r"(?:will|would|'ll|gonna|might)\s+(?:literally\s+|just\s+|totally\s+)?|"
                             r"(?:learning|learn|speaks?|speaking)\s+)$")
_TOPIC_WORD_RE = re.compile(r"\b(?:about|with|featuring|where|whose|set)\b")


def situational(text: str, hit: _Hit, lex: Lexicon, clause_start: int = 0) -> bool:
    """Is this topic word part of the user's situation, not of the wish? Only catalog subject headings
    (places, animals, people, things) are read this way: genres and moods are wishes wherever they stand."""
    facets = {f for fs in hit.targets.values() for f in fs}
    if not facets or any(set(lex.counts.get(f, {"": 0})) != {"book"} or f in FREE_FACETS for f in facets):
        return False
    if _about_the_user(text, hit):
        return True
    before = text[max(clause_start, hit.start - 40):hit.start]
    if _ROLE_BEFORE_RE.search(before) and not _TOPIC_WORD_RE.search(before):
        return True
    if _THE_BEFORE_RE.search(before) and _NARRATED_AFTER_RE.match(text, hit.end):
        return True  # "the train's delayed another hour", "the hotel tv has 4 channels": what happens
    if _WITH_MINE_RE.search(before) or _SELF_AFTER_RE.match(text, hit.end) or (
            _MY_RE.search(before) and _SUBJECT_AFTER_RE.match(text, hit.end)):
        return True  # "film night with my twins", "amateur astronomer here", "my grandparents would enjoy"
    return bool(_SITUATION_BEFORE_RE.search(before)) and not _ASKS_ABOUT_RE.search(before)


# a thing of the user's day told as the subject of a sentence: "the train's delayed", "the hotel tv has"
_THE_BEFORE_RE = re.compile(r"\b(?:the|our|my)\s+$")
_NARRATED_AFTER_RE = re.compile(r"(?:\s+[a-z]+)?(?:'s|\s+(?:is|was|has|had|got|gets|keeps|kept|won'?t|"
                                r"wouldn'?t|doesn'?t|didn'?t|just|broke|went|came|left|arrived|delayed|"
                                r"cancelled|canceled))\b")


# what the user does, said before any wish: "tree surgeon, lots of driving", "coast guard rescue swimmer.",
# "I host a tiny college radio show at 2am", "harbour pilot, I bring the big ships in at night"
_PIECE_END_RE = re.compile(r"[,.;:!?()\n]|\s[-–—]+\s")
_SELF_STATEMENT_RE = re.compile(
    r"\W*(?:(?:so|well|ok|okay|and|but)\s+)?(?:i|we)(?:'m|'ve|\s+am|\s+have|\s+was)?\s+"
    r"(?!(?:really\s+|also\s+|just\s+|kinda\s+|still\s+|do\s+)?(?:want|need|like|love|enjoy|prefer|adore|"
    r"'d|would|looking|look|feel like|fancy|into|miss|crave|wish|hope|collect|obsessed|interested|curious|"
    r"a (?:big |huge )?fan|fan|read|watch|listen|in the mood|after|"
    r"been (?:reading|watching|listening|into))\b)")
_WISH_WORD_RE = re.compile(r"\b(?:want|need|looking for|give me|recommend|suggest|something|anything|any|"
                           r"books?|novels?|films?|movies?|music|songs?|albums?|documentar(?:y|ies)|"
                           r"stor(?:y|ies)|about|set (?:in|on|at)|like|love)\b")
_JOB_WORD_RE = re.compile(r"\b(?:[a-z-]{2,}(?:er|or|ist|ian|man|woman)|[a-z-]*(?:guard|keeper|pilot|chef|"
                          r"cook|tech|surgeon|warden|nurse|medic|clerk|courier|agent|officer|hand|maid|smith|wright|"
                          r"student|intern))\b")
_LEAD_END_RE = re.compile(r"[.!?;()\n]|\s[-–—]+\s")


def _about_the_user(text: str, hit: _Hit) -> bool:
    """Is the topic word in what the user says about themselves, before saying what they want?"""
    piece_start = max((m.end() for m in _PIECE_END_RE.finditer(text, 0, hit.start)), default=0)
    head = text[piece_start:hit.start]
    if _SELF_STATEMENT_RE.match(head) and not _WISH_WORD_RE.search(head):
        return True
    lead = _LEAD_END_RE.search(text)  # the first sentence names the user's job and asks for nothing
    if lead is None or hit.end > lead.start() or lead.group().strip() in ("?", "("):
        return False
    first = text[:lead.start()]
    job = _JOB_WORD_RE.search(first)
    return (job is not None and len(first[:job.end()].split()) <= 5 and len(first.split()) <= 14
            and not _WISH_WORD_RE.search(first) and bool(text[lead.end():].strip()))


def _music_only(hit: _Hit, lex: Lexicon) -> bool:
    facets = hit.targets.get(None, ())
    return bool(facets) and all(set(lex.counts.get(f, {})) == {"music"} for f in facets)


def _clauses(low: str) -> list[tuple[int, int, str]]:
    """(start, end, the boundary that opened it) for each clause."""
    out: list[tuple[int, int, str]] = []
    start, opener = 0, ""
    for m in _CLAUSE_RE.finditer(low):
        out.append((start, m.start(), opener))
        start, opener = m.end(), m.group().strip()
    out.append((start, len(low), opener))
    return out


def _settle_overlaps(hits: list[_Hit], cues: list[Cue]) -> tuple[list[_Hit], list[Cue]]:
    """A cue inside a facet phrase is part of it ("no vocals"); a facet word inside a longer
    cue is part of the cue ("sick of" is not the topic "sick"). Both lists come back sorted;
    neither list overlaps itself, so a bisect finds the one neighbour that could overlap."""
    hits = sorted(hits, key=lambda h: h.start)
    starts = [h.start for h in hits]

    def inside_hit(cue: Cue) -> bool:
        i = bisect_right(starts, cue[0]) - 1
        return i >= 0 and hits[i].end >= cue[1]

    cues = [c for c in cues if not inside_hit(c)]
    cue_starts = [c[0] for c in cues]

    def under_cue(hit: _Hit) -> bool:
        i = bisect_left(cue_starts, hit.end) - 1
        return i >= 0 and cues[i][1] > hit.start

    return [h for h in hits if not under_cue(h)], cues


def _assign_facets(low: str, blanked: str, hits: list[_Hit], cues: list[Cue], lex: Lexicon,
                   domain: str | None, out: Extraction, faulted: list[tuple[int, int]] = ()) -> None:
    """Give each facet mention a polarity from the cues around it, then resolve synonyms.

    `low` is the text with facets in place (for cues after a facet), `blanked` has them
    blanked (for clause boundaries and list glue). `hits` and `cues` are sorted. `faulted` are the
    spans of faults found with a shown item ("#1 was cheesy"): disliked."""
    polarity: dict[str, str] = {}
    strength: dict[str, int] = {}  # how the deciding mention named the facet (see _mention_strength)
    hit_starts = [h.start for h in hits]
    cue_ends = [c[1] for c in cues]
    prev_clause_pol = "pos"
    soft: set[str] = set()  # disliked only by degree: "less scary"
    said: set[str] = set()  # facets some mention names first (not only as a side of another)
    implied: dict[str, str] = {}  # facet -> the facet said with it ("" for an occasion)
    guessed: set[str] = set()  # facets only an occasion's guess gives
    taken: set[str] = set()  # facets whose ban is taken back: liked later, they are reversals too
    uncued: list[str] = []  # facets of the last clause that no cue touched ("Horror? Nope.")
    taken_back = [m.span("body" if m.group("body") else "body2") for m in _TAKEN_BACK_RE.finditer(low)]
    for c_start, c_end, opener in _clauses(blanked):
        in_clause = hits[bisect_left(hit_starts, c_start):bisect_left(hit_starts, c_end)]
        residue = blanked[c_start:c_end]
        if not in_clause:
            if uncued and _BARE_NO_RE.fullmatch(residue):
                for facet in uncued:
                    polarity[facet] = "neg"
            if residue.strip():
                uncued = []
            continue
        uncued = []
        if _ABOUT_BOT_RE.match(low, c_start):
            continue  # "are you a robot?" is small talk, not a taste
        inherit = opener == "," and _LIST_GLUE_RE.match(residue) and _HAS_CONJ_RE.search(residue)
        pol = "pos"
        for n, hit in enumerate(in_clause):
            j = bisect_right(cue_ends, hit.start) - 1  # the last cue ending before the facet...
            pre = cues[j][2] if j >= 0 and cues[j][0] >= c_start else None  # ...in this clause
            next_start = in_clause[n + 1].start if n + 1 < len(in_clause) else c_end
            after = _after(low, hit.end, c_end)
            inherited = prev_clause_pol if inherit else None
            pol = _polarity(pre, after, _after(low, hit.end, next_start), inherited)
            if pol == "neg" and _FOR_BEFORE_RE.search(low, max(c_start, hit.start - 12), hit.start):
                continue  # "way too gory for date night": what it is for, neither liked nor banned
            if pol == "neg" and _WITHOUT_COMPANY_RE.search(low, max(c_start, hit.start - 14), hit.end):
                continue  # "rewatching Moana without the kids": who was there, no ban on family films
            retract = any(s <= hit.start < e for s, e in taken_back)
            if retract:
                pol = "tol"  # "I know I said no violence earlier, but some is fine"
            elif any(s <= hit.start < e for s, e in faulted):
                pol = "neg"  # "#1 was cheesy"
            one_kind = pol == "neg" and pre == "neg" and _names_a_kind(blanked[cues[j][1]:hit.start])
            softly = pol == "neg" and ((pre == "neg" and low[cues[j][0]:cues[j][1]] in _SOFT_NEG)
                                       or bool(_QUALIFIED_RE.match(low, hit.end)) or one_kind)
            cued = pre is not None or bool(inherit) or _post_cue(after) is not None
            facets = lex.resolve(hit.targets, domain)
            if pol == "neg" and len(facets) > 1:
                facets = facets[:1]  # "not a kids film" rules out family films, not animation too
            by_other = implied_among(facets, hit.occasion)  # "feel good": comedy and family only implied
            for facet in facets:
                if one_kind and polarity.get(facet) == "pos":
                    continue  # "I like comedies, but not grossout comedies": still comedies
                if facet in by_other:
                    implied.setdefault(facet, by_other[facet])
                    if hit.guess:
                        guessed.add(facet)
                else:
                    said.add(facet)
                rank = _mention_strength(facet, low[hit.start:hit.end], facets)
                if polarity.get(facet) == "tol" and pol == "pos":
                    taken.add(facet)  # "romance is fine actually, a robot love story would be perfect"
                elif strength.get(facet, -1) > rank and polarity[facet] != pol:
                    continue  # "I like comedy but not slapstick" keeps comedy
                strength[facet] = rank
                polarity.pop(facet, None)  # otherwise the latest mention decides, and its order counts
                polarity[facet] = pol
                if retract:
                    taken.add(facet)  # "I said no horror earlier but a horror movie sounds fun now"
                soft.discard(facet)
                if softly:
                    soft.add(facet)
                if not cued:
                    uncued.append(facet)
        prev_clause_pol = pol
    revision = bool(_REVISION_RE.search(low))
    overruled = overruled_guesses(guessed, said, polarity)
    for facet, pol in polarity.items():
        if pol == "pos" and facet in implied and facet not in said:
            if facet in overruled:
                continue  # "a scary book for the beach": the genre said decides, not the occasion's guess
            out.implied_likes[facet] = implied[facet]
        elif pol == "pos":
            out.likes.append(facet)
            if strength.get(facet, 2) < 2:  # "zombie" for horror: a narrower wish than the facet itself
                out.indirect_likes.append(facet)
            if revision or facet in taken:
                out.reversals.append(facet)
        elif pol == "neg":
            out.dislikes.append(facet)
            if facet in soft:
                out.soft_dislikes.append(facet)
        else:
            out.reversals.append(facet)


_KIND_AFTER_RE = re.compile(r"[\s-]+(?:films?|movies?|flicks?|novels?|books?|music|albums?|songs?)$", re.I)


def _names_a_kind(gap: str) -> bool:
    return any(w.isalpha() and w not in _NO_KIND_WORDS for w in gap.replace("-", " ").split())


def _mention_strength(facet: str, surface: str, facets: tuple[str, ...]) -> int:
    """2: the facet itself ("comedy"); 1: its synonym ("funny"); 0: one of several facets a
    word stands for ("slapstick" is slapstick and comedy). A weaker mention never flips
    the polarity a stronger one gave."""
    if phrase_key(facet) in (phrase_key(surface), phrase_key(_KIND_AFTER_RE.sub("", surface))):
        return 2  # "war films" names war itself
    return 1 if len(facets) == 1 else 0


def _after(low: str, start: int, end: int, reach: int = 60) -> str:
    """The text after a facet where a trailing cue may sit. Cut at `reach` characters (a
    trailing cue is close: "musicals are totally fine"); a cut text gets a tail that stops
    end-anchored cues ("horror no") from matching at the cut."""
    if end - start <= reach:
        return low[start:end]
    return low[start:start + reach] + " …"


def _post_cue(after: str) -> str | None:
    return "tol" if _POST_TOL_RE.search(after) else "neg" if _POST_NEG_RE.search(after) else None


def _polarity(pre: str | None, after: str, after_near: str, inherited: str | None) -> str:
    """pos, neg or tol for one facet mention.

    A negative or tolerant cue before it wins. A cue after it ("musicals are fine") decides
    when nothing came before, and beats a positive cue before it only when no other facet
    stands in between ("I want to give horror a chance", but "I love horror and musicals
    are fine")."""
    if pre in ("neg", "tol"):
        return pre
    if pre in ("pos", "pos_x"):
        return _post_cue(after_near) or "pos"
    return _post_cue(after) or inherited or "pos"
