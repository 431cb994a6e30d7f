"""The entity step's vocabulary: cues before and after a title or a person, and the shapes of names.

Read by bot/understand/titles.py, which decides from them what each title and person in a message is.
"""

from __future__ import annotations

import re

from bot.understand.vocab import REF_LAST, _wordset

_FILLER = (r"(?:\s+(?:the|that|this|a)\s+(?:movie|film|book|novel|album|record|band|artist|author|director|"
           r"writer|show|series|song|one|story|stuff|music))?(?:\s+(?:by|from))?(?:\s+(?:watching|reading|"
           r"listening to|hearing|seeing))?(?:\s+the(?=\s+$))?\s*[\"']?\s*$")  # "by the Coens"
_ENTITY_CUES = {
    "seen_like": r"(?:seen|saw|watched|read|heard|finished)\s+(?:and|&)\s+(?:really\s+)?(?:loved|liked|"
                 r"enjoyed|adored)|(?:been\s+)?(?:re-?reading|re-?watching|re-?read|re-?watched|binging|bingeing)",
    "seen_dislike": r"(?:seen|watched|read|heard|finished)\s+(?:and|&)\s+(?:hated|disliked)",
    "creator": r"(?:directed|written|composed|produced|performed|made|created|authored|illustrated|sung|"
               r"narrated|recorded|released|done|starring|featuring)(?:\s+by)?|by|from|starring|featuring|"
               r"to star|feat\.?|with|director|author|artist|band|writer|composer|more|more of|anything by|"
               r"something by",
    "dislike": r"hated|hate|disliked|dislike|can'?t stand|cannot stand|couldn'?t stand|"
               r"(?:that|which)\s+(?:isn'?t|is not|aren'?t|are not)(?:\s+by)?|"  # "poetry that isn't Keats"
               r"(?:didn'?t|did not|don'?t|do not)\s+(?:really\s+)?(?:like|enjoy|love|want)|"
               r"not a (?:big\s+)?fan of|nothing like|not like|anything but|anything except|except|not|"
               r"no more|no|without|other than|rather than|instead of|bored by|sick of|tired of|done with|"
               r"skip|avoid|detested|loathed",
    "sim": r"similar to|such as|along the lines of|in the vein of|reminds? me of|same (?:vibe|feel|style) as|"
           r"in the style of|as good as|the likes of|more like|like",
    "like": r"loved|liked|enjoyed|adored|love|enjoy|adore|dig|dug|(?:a\s+)?(?:big\s+|huge\s+)?fan of|"
            r"obsessed with|can'?t get enough of|never get tired of|"
            r"(?:all[- ]time\s+)?(?:faves?|favs?)(?:\s+(?:r|are|is))?\s*:?|"
            r"favou?rite(?:\s+(?:movie|film|book|"
            r"novel|album|record|band|artist|author|director|writer|one|ever))?(?:\s+(?:is|was|are|were))?\s*:?",
    "seen": r"(?:(?:i'?ve|i have|have|already|just|recently|i|we'?ve|we)\s+)*(?:seen|saw|watched|rewatched|"
            r"heard|listened to|finished|(?<!to )read|made (?:us|me|him|her|them) (?:watch|read|listen to)|"
            r"(?:after|since|just)\s+(?:finishing|watching|reading|seeing|binging|bingeing))",
}
_ENTITY_CUE_RE = re.compile("(?:" + "|".join(rf"(?P<{k}>\b(?:{v}))" for k, v in _ENTITY_CUES.items())
                            + ")" + _FILLER)
_POST_ENTITY = {
    "like": re.compile(r"^\W{0,3}(?:(?:was|is|were|are|'s)\s+(?:so\s+|really\s+|very\s+|pretty\s+|just\s+|"
                       r"absolutely\s+)?(?:great|amazing|awesome|brilliant|fantastic|excellent|perfect|"
                       r"good|incredible|wonderful|lovely|(?:so much |a lot of |great |good )?fun|hilarious|"
                       r"a masterpiece|the best|beautiful|a blast|"
                       r"(?:one of )?my (?:all[- ]time |absolute )?favou?rites?|a (?:big |huge )?hit)|"
                       r"rocks|rules|blew (?:my mind|me away)|gave me (?:chills|goosebumps)|"
                       r"(?:all|both) (?:great|amazing|awesome|brilliant|fantastic|excellent|good|loved))\b|"
                       # a title a wish is likened to: "horror but make it funny. Shaun of the Dead energy"
                       r"^\s+(?:energy|vibes?|feels?)\b"),
    "dislike": re.compile(r"^\W{0,3}(?:(?:was|is|were|are|'s)\s+(?:so\s+|really\s+|very\s+|pretty\s+|"
                          r"just\s+|way\s+|far\s+)?(?:boring|awful|terrible|bad|overrated|dull|meh|horrible|"
                          r"the worst|too \w+|not for me|not my thing)|sucked|sucks)\b|"
                          r"^\W{0,3}(?:no|nope|never again|no thanks|no way)\W*(?:$|[.!;])|"
                          r"^\W{0,3}(?:and\s+)?(?:i\s+)?(?:gave up|couldn'?t finish|could not finish|"
                          r"didn'?t finish|dnf'?d|bailed|abandoned it|put it down for good)\b|"
                          r"^(?:'s|\s+is|\s+are)?\s+out\b|"
                          # "read Wuthering Heights in school and hated every page"
                          r"^[^.!?;]{0,30}?\band\s+(?:i\s+)?(?:hated|loathed|couldn'?t stand|didn'?t (?:like|"
                          r"enjoy))\s+(?:it|that|every (?:page|minute|second|bit|word)|the whole thing)\b"),
    "seen": re.compile(r"^\W{0,3}(?:i'?ve\s+|i\s+|we'?ve\s+)?(?:already\s+)?(?:seen|read|watched|heard)\s+"
                       r"(?:it|that|this|all of (?:those|them|these)|them all|both)\b|"
                       r"^\W{0,3}already (?:seen|read|watched|heard)\b|"
                       # "The Shining is the only Kubrick film I've seen"
                       r"^\s+(?:is|was) the only (?:[\w-]+\s+){0,3}(?:i'?ve|i have|i|we'?ve)\s+(?:ever\s+)?"
                       r"(?:seen|read|watched|heard)\b"),
}
_REF_RE = re.compile(
    r"\b(?P<cue>(?:i'?ve\s+|i have\s+|already\s+|we'?ve\s+)*(?:seen|watched|read|heard|saw|did see)|"
    r"more like|"
    r"similar to|loved|liked|"
    r"enjoyed|adored|like|love|hated|disliked|(?:didn'?t|did not|don'?t)\s+(?:really\s+)?(?:like|enjoy|"
    r"love)|can'?t stand|couldn'?t stand|not|no|skip|nah)\s+(?P<ref>it|that(?: one| movie| film| book)?|"
    r"this(?: one| movie| film| book)?|"
    r"(?:number|no\.?|#)\s*(?P<num>[1-5])|"
    r"the (?P<ord>first|second|third|fourth|fifth|1st|2nd|3rd|4th|5th|last)(?: (?:one|track|song|album|"
    r"record|book|novel|film|movie|pick))?)(?=\s*(?:$|[.!,;?)]|"
    r"\s(?:and|but|already|too|either|though|anyway|please|thanks|lol|at all|a|many|so|twice|again|before|"
    r"yesterday|last|at|in|on|with|when|back|years|ages|over)\b))")
_REF_JUDGED_RE = re.compile(
    r"\b(?P<ref>it|that one|this one|the (?P<ord>first|second|third|fourth|fifth|1st|2nd|3rd|4th|5th|last)"
    r"(?: (?:one|track|song|album|record|book|novel|film|movie|pick))?)(?:'s| (?:was|is|looks|sounds|"
    r"seems))\s+(?:so\s+|really\s+|very\s+|pretty\s+|just\s+|"
    r"absolutely\s+)?(?:(?P<good>great|amazing|awesome|brilliant|fantastic|excellent|perfect|incredible|"
    r"wonderful|a masterpiece|my favou?rite|good|interesting|fun|nice|sick|dope|fire|rad|lit)|"
    r"(?:boring|awful|terrible|bad|"
    r"overrated|dull|meh|horrible|the worst))\b")
# "number 3 sounds great", "#2 looks boring": a shown item by its number
_NUMBER_JUDGED_RE = re.compile(
    r"(?:\bnumber|\bno\.?|#)\s*(?P<n>[1-5])\b\s*(?:(?:sounds|looks|seems|is|was)\s+)?(?:so\s+|really\s+|pretty\s+)?"
    r"(?:(?P<good>great|good|amazing|awesome|perfect|interesting|fun|nice|cool)|(?P<bad>boring|bad|meh|awful|"
    r"dull|too old|too long))\b")
# "#1 was cheesy", "the second one is way too slow": a shown item faulted by what it is (the facet named
# stays in the text, and the pipeline has bot/understand/facets.py read it as a dislike)
_FAULTS = r"cheesy|sappy|corny|slow|boring|scary|violent|gory|bloody|dark|depressing|sad|predictable|long"
_NUMBER_FAULT_RE = re.compile(
    r"(?:\bnumber|\bno\.?|#)\s*(?P<n>[1-5])\b\s*(?:was|is|'s|looks|looked|seems|seemed)\s+(?:(?:way|far|too|so|"
    rf"really|pretty|kinda|a bit|rather|just)\s+)*(?P<fault>{_FAULTS})\b")
# the message holds a title up as a taste ("that's my taste", "more of the same", "loved both")
_TASTE_RE = re.compile(
    r"\b(?:lov(?:e|ed|ing)|enjoy(?:ed)?|ador(?:e|ed)|favou?rites?|great|amazing|awesome|brilliant|a hit|"
    r"hit me|my (?:taste|jam|thing|vibe)|more of (?:the same|those|these|that|them)|more (?:like|of) (?:it|"
    r"that|this|those|these|them)|similar|(?:in|of) (?:that|the same) (?:vein|kind|style)|along (?:those|the "
    r"same) lines|same (?:vibe|feel|kind)|(?:that|this|similar) (?:vibe|feel|mood|energy)|what (?:else|"
    r"next)|anything else|more please|twice|on repeat|"
    r"looping|every (?:christmas|year|summer|winter|week|time)|again and again|over and over)\b")
_SEEN_VERB_RE = re.compile(r".*\b(read|watched|rewatched|listened|heard)\b")
_VERB_DOMAIN = {"read": "book", "watched": "movie", "rewatched": "movie", "listened": "music",
                "heard": "music"}
_SEEN_WORD_RE = re.compile(r"\b(?:seen|watched|read|heard|saw|see)\b")
_LIKE_WORD_RE = re.compile(r"loved|liked|enjoyed|adored|like|love|more like|similar to")
_OTHER_SUBJECT_RE = re.compile(r"\b(?:my|our|his|her|their)\s+\w+(?:\s+\w+)?\s+(?:have\s+|has\s+|had\s+)?$|"
                               r"\b(?:he|she|they)\s+(?:have\s+|has\s+)?$")
_SUBJECT_END_RE = re.compile(r"\b(?:i|we)\s+(?:really\s+)?$")  # "I like that one", not "something like that"
_HATE_RE = re.compile(r"hate|stand|dislike|didn'?t|did not|bored|sick|tired")
_LOVE_RE = re.compile(r"\b(?:loved|liked|enjoyed|adored)\b|"
                      r"^(?:i|we) (?:really |usually |always |generally |also |just )?(?:love|like|enjoy)")
_ORDINALS = {"first": "@1", "1st": "@1", "second": "@2", "2nd": "@2", "third": "@3", "3rd": "@3",
             "fourth": "@4", "4th": "@4", "fifth": "@5", "5th": "@5", "last": REF_LAST}
_LIST_SEP_RE = re.compile(r"^\s*(?:,\s*|\s+)(?:and|or|&|as well as|plus|"
                          r",)?\s*(?:also\s+)?(?:the\s+(?:movie|film|book|novel|album)\s+)?[\"']?\s*$|"
                          r"^\s*[\"']?\s*(?:,|and|or|&|/)\s*[\"']?\s*$")
_HARD_STOP_RE = re.compile(r"[.!?;\n]|(?<!anything )(?<!nothing )(?<!everything )\bbut\b")
# a run of at most 10 capitalised words, small joining words allowed ("Pride and Prejudice")
_CAPS_RE = re.compile(r"(?<![\w'])(?:[A-Z0-9][\w'’.-]*)(?:\s+(?:(?:of|the|and|a|an|in|on|to|for|at|with|"
                      r"from|&|de|la|le|von|van|der)\s+){0,3}[A-Z0-9][\w'’-]*){0,9}!?")
_JOINER_RE = re.compile(r"\s+(?:and|&|or)\s+")
_WORD_START_RE = re.compile(r"(?<![\w'])[A-Z0-9]")
_TRAILING_KIND_RE = re.compile(
    r"(?:'s)?(?:\s+(?:movies?|films?|books?|novels?|albums?|music|songs?|stuff))+$", re.IGNORECASE)
_WORKS_AFTER_RE = re.compile(r"(?:'s)?\s*(?:movies?|films?|books?|novels?|albums?|music|songs?|stuff|work)\b")
_QUOTED_RE = re.compile(r"\"([^\"\n]{1,100})\"")
_TITLE_STOP = _wordset("""
    it its it's that this those these them they he she him her his hers me you us we one ones all any some
    something anything everything nothing stuff things thing more most less much many lots few other others
    movie movies film films book books novel novels album albums music song songs a an the i my your our their
    up home out in on off well yes no ok okay sure thanks please lol hi hello hey
    tonight tonite today tomorrow yesterday now later weekend next again instead first last soon
    """)
_FUNCTION_WORDS = _wordset("in on at for to of with by from and or but i you we it my your me about into")
_BY_CUE_RE = re.compile(r"\bby\b|director|author|writer|composer|starring|featuring")
# people: requirement, style, like or aside (see _creator_role)
_ROLE_DOMAIN = {**dict.fromkeys(("director", "filmmaker", "film-maker", "actor", "actress"), "movie"),
                **dict.fromkeys(("author", "writer", "novelist", "poet"), "book"),
                **dict.fromkeys(("artist", "band", "singer", "musician", "composer", "rapper", "dj", "group",
                                 "producer"), "music")}
_ROLE_LIKE_RE = re.compile(r"\b(?P<role>" + "|".join(sorted(_ROLE_DOMAIN, key=len, reverse=True))
                           + r")(?:s|es)?\s+(?:like|similar to|in the vein of|such as|along the lines of|"
                           r"in the style of)\s*$")
_THIRD_PARTY_LIKE_RE = re.compile(
    r"\b(?:(?:my|our|his|her|their)\s+\w+(?:\s+\w+)?|he|she|they)\s+(?:really\s+|also\s+)?(?:likes?|loves?|"
    r"adores?|enjoys?|(?:is|are)\s+(?:a\s+)?(?:big\s+|huge\s+)?(?:fans?\s+of|into))\s+$")
_RIGHT_TAIL_RE = re.compile(r"\b(?:right|correct|isn'?t (?:it|he|she)|wasn'?t (?:it|he|she)|"
                            r"didn'?t (?:he|she))\W*\?$")
_REMARK_RE = re.compile(r"\b(?:(?:that|it|this|he|she)(?:'s|\s+is|\s+was)|(?:is|was) (?:that|it|this)|"
                        r"its\s+(?=an?\b))\b"
                        r"[^.!?]*$")
# praise of the one work just talked of: "Awesome Sean Penn movie", "Classic Tom Hanks film!"
_PRAISE_LEAD_RE = re.compile(r"^\W*(?:(?:what|such)\s+an?\s+|another\s+)?(?:awesome|great|classic|amazing|"
                             r"fantastic|excellent|wonderful|brilliant|typical|solid)\s+$")
_PRAISED_WORK_RE = re.compile(r"(?:'s)?\s+(?:movie|film|flick|book|novel|album|song|role)\s*(?:[.!]|$)")
# praise of a work just shown, naming its maker: "Another nice piece of work by Steven Spielberg."
_PRAISED_BY_LEAD_RE = re.compile(r"^\W*(?:(?:what|such)\s+an?\s+|another\s+)(?:[\w-]+\s+)?(?:piece of work|"
                                 r"work|movie|film|flick|book|novel|album|one)\s+(?:by|from)\s+$|"
                                 r"^\W*(?:an?\s+)?(?:[\w-]+\s+)?piece of work\s+(?:by|from)\s+$")
_WITH_END_RE = re.compile(r"\b(?:with|starring|featuring|played by|directed by|by)\s+$")
# "Yes with Denzel Washington, great movie.": a fragment about the film just named
_WITH_FRAGMENT_RE = re.compile(r"^\W*(?:yes|yeah|yep|oh|ah|and yes)\W+(?:with|starring)\s+$")
_YEAR_LABEL_END_RE = re.compile(r"\(\s*(?:1[89]|20)\d\d\s*\)$")
_I_LIKE_RE = re.compile(r"\b(?:i|we)\s+(?:really\s+|also\s+|do\s+|just\s+)?like\s+$")
_ASIDE_START_RE = re.compile(r"\W*(?:is|was|isn'?t|wasn'?t|are|were|did|didn'?t|does|doesn'?t|who|which|"
                             r"has|hasn'?t|remember|is it|was it|wasn'?t it)\b")
_THE_ONE_RE = re.compile(r"\b(?:the|that) (?:other |first |second |third |last |new |old |original )?"
                         r"(?:ones?|movies?|films?|books?|albums?|shows?|songs?) "
                         r"(?:with|where|starring|that|featuring|by)\b")
# "Agatha Christie if possible", "maybe P. G. Wodehouse": a name asked for with a hedge is still asked for
_HEDGED_AFTER_RE = re.compile(r"\W*(?:if possible|if you can|ideally|preferably|please|pls|"
                              r"would be (?:great|nice|"
                              r"ideal|perfect))\b")
_HEDGED_BEFORE_RE = re.compile(r"(?:^|[,.;:!?]\s*|\b(?:and|or)\s+)(?:maybe|perhaps|preferably|ideally)\s+$")
# "a heist film with Wes Anderson energy": a style
_STYLE_AFTER_RE = re.compile(r"(?:'s)?\s+(?:energy|vibes?|feel|aesthetic|flavou?r)\b")
_SENTENCE_END_RE = re.compile(r"[.!?\n]")
_ATTRIBUTIVE_RE = re.compile(r"\b(?:a|an|some|any|another|more|the|which|what|those|these|other|all)\s+"
                             # "a lesser-known Hitchcock movie", "an early Spielberg film"
                             r"(?:(?:lesser[- ]known|less[- ]known|little[- ]known|underrated|obscure|early|"
                             r"late|older|newer)\s+)?$")
# "feels like a Wes Anderson film", "something à la Tarantino": a style, not a requirement
_SAW_ONE_RE = re.compile(r"\b(?:watched|saw|seen|read|heard)\s+(?:a|an|the|that|this)\b[^.!?,]*$")
_ASKED_WORKS_RE = re.compile(r"\b(?:which|what|any|other|more|some)\s+$")
_LIKE_A_RE = re.compile(r"\b(?:like|similar to|à la|a la|in the vein of|in the style of|reminiscent of|"
                        r"along the lines of)\s+(?:a|an|the|some|one of)?\s*$")
# the only words that may stand between a negation and the name it rules out ("not Nolan", "nothing by
# King", "don't want any more films directed by Bay"); "won't shut up about Austen" rules nobody out
_NEG_GAP = _wordset("""
    any anything something more else other another again new by from of the a an his her their me us
    directed written made produced starring featuring with films film movies movie books book novels novel
    albums album music songs song stuff works work ones one please thanks really usual typical same obvious
    """)
_NOT_A_NAME_RE = re.compile(r"(?:the\s+)?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|"
                            r"february|march|april|may|june|july|august|september|october|november|december|"
                            r"tonight|tomorrow|today|christmas|i|me|you|us|them|far)")
# words that ask for something: a sentence without any only says something
_ASKING_WORD_RE = re.compile(r"\b(?:recommend|suggest|any|some|want|wanna|looking for|find|something|"
                             r"anything|more|how about|what about|give me|show me|need|please|pls|can you|"
                             r"could you|got|if possible|ideally|maybe)\b")
# "I have heard The Big Sick (2017) is good": heard of it, not heard it
_KIND_RE = re.compile(r"\b(?:films?|movies?|books?|novels?|albums?|songs?|music|something|anything|ones?)\b")
_HEARSAY_RE = re.compile(r"\s*(?:\(\s*\d{4}\s*\))?\s*(?:is|was|'s|are|were|has|had)\b")
_PLACE_BEFORE_RE = re.compile(r"\b(?:in|at|during|through|since|from|after|before)\s+(?:high\s+)?$")
_ME = frozenset({"i", "ive", "im", "id", "ill"})  # "I've had him on for weeks" names no title "I've"
_GOES_ON_RE = re.compile(r"[ ]+(?!(?:and|or|but|was|is|were|are|too|already|again|twice|though|lol|please|"
                         r"pls|thanks|by|from|with|in|on|at|for|to|of|as|so|yet|i|it|its|that|this|which|who|"
                         r"because|since|last|before|after|when|if|then|more|a|an|the)\b)[a-z]{2,}")


# every work of the person named next has been seen: "he's seen all the clint eastwood ones", "I've read
# everything by Austen" (someone else, then)
ALL_DONE_BEFORE_RE = re.compile(r"\b(?:seen|watched|read|heard|done|finished|through)\s+(?:all|every|"
                                r"everything|each)(?:\s+(?:of|the|by|from|single|one|movie|film|book))*\s+$")

# a sentence's subject that a title also is: "My wife and I want…", "Me and my brother loved…"
SUBJECT_TITLE_RE = re.compile(r"(?:my|our|me|we|i)\b[\w\s]*\b(?:i|me|we|us)\b|(?:my|our) (?:wife|husband|"
                              r"partner|kids?|son|daughter|family|friends?|dad|mom|mum|brother|sister)\b")
SUBJECT_VERB_RE = re.compile(r"\s+(?:(?:both|all|really|just|would|will|are|were|have|had|want|need|wanna|"
                             r"love|loved|like|liked|enjoy|enjoyed|watched|read|saw)\b)")
# "not another Fitzgerald"
NOT_ANOTHER_RE = re.compile(r"\b(?:not|no|nothing)\s+(?:another|more|any more)\s+$")
# "seen it, and Interstellar too"
SEEN_IT_AND_RE = re.compile(r"\b(?:seen|watched|read|heard)\s+(?:it|that|that one|this one|them|both)"
                            r"\s*,?\s*(?:and|&|plus)\s+(?:also\s+)?$")
# "like 70s or 80s": decades, not titles
DECADE_SPAN_RE = re.compile(r"(?:the\s+)?(?:'?\d0'?s|(?:19|20)\d0'?s)", re.I)
# seen more than once: "watched Julie & Julia again last night", "read it for the third time"
AGAIN_AFTER_RE = re.compile(r"\s+(?:again|twice|(?:for the )?(?:second|third|fourth|fifth|\w+th|nth) time)\b")
