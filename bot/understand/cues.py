"""The polarity cues: the regexes that say whether a facet is liked, disliked or accepted.

Shared by the lexicon (a cue word is never a facet), the facet step and the entity step.
"""

from __future__ import annotations

import re

# ----------------------------------------------------------------------------------------
# Cues. One alternation per purpose, longest and most specific alternatives first: at any
# position the regex engine takes the first alternative that matches, so "don't mind" must
# come before "don't", and "not a fan of" before "fan of".
# ----------------------------------------------------------------------------------------

_ADV = (r"(?:\s+(?:really|particularly|actually|even|much|ever|usually|generally|necessarily|exactly|quite|"
        r"totally|at all|so|too|very|that|super|big|huge|want to|wanna|feel like|like to|care to|need to|"
        r"have to))*")
_NEG_AUX = (r"(?:don'?t|do not|doesn'?t|does not|didn'?t|did not|won'?t|will not|wouldn'?t|would not|never|"
            r"can'?t|cannot|couldn'?t|could not|shouldn'?t)")
_NEG_VERB = (r"(?:\s+(?:want|wanna|like|love|enjoy|need|care for|care about|dig|fancy|feel like|watch|read|"
             r"listen to|see|get|recommend|show me|give me|suggest|do|stand|bear|handle|stomach|prefer))?")

_CUE_SRC = {
    # tolerance: the user accepts something (a reversal), but does not ask for it
    "tol": r"(?:do not|don'?t|dont|no longer|not)\s+(?:really\s+)?(?:mind|hate|dislike|object to)|"
           r"(?:can|may|could) (?:include|have|add)(?: some)?(?= \w+ again\b)|"
           r"not against|nothing against|no problem with|(?:ok|okay|fine|alright|cool) with|open to|"
           r"changed? my mind (?:about|on)|willing to (?:try|give)|can (?:live with|handle|tolerate)|"
           r"could (?:live with|handle|tolerate)|(?:doesn'?t|does not|don'?t|do not) (?:have|need) to be|"
           r"needn'?t be|"
           # a ban taken back: "ignore what I said earlier about no romance", "I know I said no metal before"
           r"(?:ignore|forget|scratch|disregard)\s+(?:what\s+)?(?:i|we)\s+said\s+(?:(?:earlier|before|about)\s+)*"
           r"(?:(?:the\s+)?(?:no|not)(?=\s))?|"
           r"take\s+back\s+(?:the|my|that|what (?:i|we) said about)\s+(?:no|not)(?=\s)|"
           r"take\s+back\s+what (?:i|we) said about(?=\s)|"  # "I take back what I said about folk"
           r"(?:i\s+know\s+)?(?:i|we)\s+said\s+no(?=\s+[\w-]+(?:\s+[\w-]+)?\s+"
           r"(?:last time|before|earlier|yesterday|the other day)\b)",
    # phrases that look negative but are not; "nope"/"nah" lead in ("nope the 6 year old is up again")
    "pos_x": r"nope|nah|"
             r"not only|not just|not necessarily|nothing but|nothing beats|nothing like a (?:good|great)|"
             r"nothing better than|can'?t wait|cannot wait|can'?t get enough(?: of)?|never get tired of|"
             r"(?:can'?t|cannot|couldn'?t) stop|"  # "she can't stop talking about wildlife"
             r"wouldn'?t mind|would not mind|wouldn'?t say no to|no doubt|not sure|don'?t know|no idea|"
             r"no matter|not bad|not too bad|(?:do|did) (?:you|u) no|more th[ae]n just|if not|"
             r"if there'?s no|if there is no|"  # "he'll riot if there's no hip hop": he wants it
             # "it doesn't matter as long as it's horror", "I can't decide between horror or a thriller",
             # "if you're not into sci-fi I could go for a comedy" (the bot's taste, not the user's)
             r"(?:doesn'?t|does not|don'?t|dont|do not) (?:really )?matter|"
             r"(?:can'?t|cannot|could not|couldn'?t) (?:decide|choose|pick)|"
             r"if (?:you'?re|you are|ur|u r|you|u) (?:not|don'?t|do not|aren'?t)|"
             # "No that's a funny title", "no I haven't": a no that answers, before a new sentence
             r"no(?=\s+(?:i|i'?m|i'?ve|i'?d|we|you|he|she|they|that|that'?s|it|it'?s|this|thanks|thank)\b)",
    "neg": r"anything (?:but|except|other than)|everything (?:but|except)|except(?: for)?|other than|"
           rf"apart from|rather than|instead of|had enough of|enough (?:with|of)|sick of|tired of|"
           rf"fed up with|bored (?:of|with)|done with|stay away from|steer clear of|keep away from|"
           rf"avoid(?:ing)?|skip(?:ping)?|hate[sd]?|dislike[sd]?|detest|loathe|despise|allergic to|"
           rf"spare me|without|excluding|minus|less|fewer|too much|"
           rf"too(?! (?:see|watch|read|hear|find|get)\b)|no more|no|nothing|none|nope|ugh|"
           # what went wrong before: "last pick was really depressing" (not so dark, then)
           r"(?:last|previous) (?:pick|one|book|read|movie|film|album|time)\s+(?:was|felt)(?:\s+(?:really|so|"
           r"too|very|pretty|a bit|kind of|super|way too))?(?=\s+(?:depressing|sad|dark|bleak|heavy|grim|"
           r"slow|boring|scary|violent|gory|long|cheesy)\b)|"
           # a worry, not a wish: "I've heard some are really slow", "afraid it might be too scary"
           r"(?:heard|worried|afraid|scared|concerned)(?:\s+that)?(?:\s+(?:some|most|many|a few|a lot)"
           r"(?:\s+of\s+(?:them|his|hers|theirs|these|those))?|\s+(?:they|it|these|those))?\s+(?:are|is|"
           r"can be|might be|may be|could be|will be|would be|gets?)|"
           rf"than|not{_ADV}(?:\s+(?:into|a fan of|fans of|keen on|big on|interested in|in the mood for|"
           rf"feeling|after))?|{_NEG_AUX}{_ADV}{_NEG_VERB}|isn'?t|aren'?t|wasn'?t|weren'?t",
    "pos": r"(?:i|we|i'?d|we'?d|would|do|really|also|definitely|totally|kinda|quite|i'?m|"
           r"we'?re)\s+(?:(?:really|usually|always|generally|just)\s+)?(?:like|love|want|need|enjoy|prefer|adore|"
           r"fancy)|love[sd]?|adore[sd]?|"
           r"enjoy(?:ed|s)?|prefer(?:red)?|want(?:ed)?|wanna|need|craving|into|fan of|looking for|"
           r"in the mood for|give me|show me|recommend|suggest|how about|what about|maybe|perhaps|instead|"
           r"rather|yes|yeah|sure|but also|also|plus|dig",
}
_CUE_RE = re.compile("|".join(rf"(?P<{k}>\b(?:{v})\b)" for k, v in _CUE_SRC.items()))

# cues that come after the facet ("musicals are fine", "horror isn't my thing")
_POST_TOL_RE = re.compile(
    r"(?:\b(?:is|are|seems?|would be|will be|sounds?)|'s|'re|'d be)\s+(?:\w+\s+)?(?:fine|ok|okay|alright|"
    r"all right|acceptable|allowed)\b|\ba(?:nother)? (?:chance|try|shot|go)\b|\bafter all\b|\b(?:is|"
    r"are) back\b|\bback on the (?:table|menu)\b")
_POST_NEG_RE = re.compile(
    r"(?:(?:\b(?:is|are)|'s|'re)\s+not|\bisn'?t|\baren'?t)\s+(?:really\s+)?(?:for me|my thing|my cup of tea|"
    r"my jam|my style)|\bnot for me\b|\bno,? thanks?\b|\bno thank you\b|\bplease no\b|\b(?:is|"
    r"are) a (?:hard )?no\b|(?:\b(?:is|are)|'s) out\b(?!\s+(?:now|in|yet|there|on|today|this|next|soon|"
    r"already|of))|\bbores? me\b|"  # "family movies that are out now" are in theatres, not ruled out
    r"\b(?:is|are) (?:boring|overrated|the worst|"
    r"annoying|too much)\b|\bfreaks? me out\b|\bgives? me nightmares\b|\bmakes? me (?:sick|queasy|"
    r"cringe)\b|\b(?:has|have|had) been (?:played|done|overdone) to death\b|\boverplayed\b|"
    r"\bno\W*$|\bnope\b|\bnot again\b|👎|🤮")

# Where a negation's scope ends. "anything but" is not a boundary.
_CLAUSE_RE = re.compile(
    r"[.!?;:\n]+|,|\s-+\s|[()]|(?<!anything )(?<!nothing )(?<!everything )(?<!all )\bbut\b|\b(?:though|"
    r"although|however|whereas|yet|otherwise|because|so that)\b|\band (?=(?:i|i'm|i'd|we|my|maybe|"
    r"something|some|a|an|lots|plenty|anything|also)\b)|"
    r"(?<=\w )(?=i (?:\w+ )?(?:like|love|want|need|enjoy|prefer)\b)|"  # "…fantasy movies I especially like…"
    # an unpunctuated question starts a new sentence: "I have not Are there any good comedies?", "no I
    # haven't seen them are they action packed?", "I don't like action movies Do you know another comedy?"
    r"(?<=\w )(?=(?:are|is|was|were|do|does|did|can|could|have|has) (?:there|they|you|u|it|that|this|these|"
    r"those)\b)")
_LIST_GLUE_RE = re.compile(r"^[\s,]*(?:(?:or|nor|and|&|either)[\s,]+)*$")
_HAS_CONJ_RE = re.compile(r"\b(?:or|nor|and)\b|&")
_ABOUT_BOT_RE = re.compile(r"\s*(?:are|r) (?:you|u)\b|\s*(?:you are|you're|ur) ")
_BARE_NO_RE = re.compile(r"\W*(?:no|nope|nah|not really|no thanks|no thank you|hard pass|pass|👎)\W*")
_REVISION_RE = re.compile(r"\bchanged? my mind\b|\btake (?:it|that) back\b|\bon second thoughts?\b|"
                          r"\bi was wrong\b|\bafter all\b")

# A remark about one item, not a wish: "I don't think it was scary", "I don't consider that a historical
# drama", "it wasn't that funny" (what it names is no like or dislike of the user's)
# the item talked of as a subject; "that"/"this" only opening a clause ("a movie that is not scary" asks)
_ITEM_SUBJ = (r"(?:\bit|(?:^|(?<=[.!?,;:]\s)|(?<=\bbut\s)|(?<=\bthough\s)|(?<=\balthough\s)|(?<=\band\s))"
              r"(?:that|this)(?:\s+one)?|\bthe (?:movie|film|book|novel|album|show|first|second|last|other)"
              r"(?:\s+one)?)")
_ITEM_REMARK_RE = re.compile(
    # "It wasn't a horror movie." (a sentence about one film; "something... but that isn't a kids film" asks)
    r"(?:^|(?<=[.!?]\s))(?:it|that|this|that one|this one)\s+(?:wasn'?t|isn'?t|was not|is not)\s+"
    r"(?:really\s+|quite\s+|even\s+)?an?\s+(?:[\w-]+\s+)?(?:movie|film|book|novel|album|one)s?\b|"
    # "the movie is not scary but gruesome", "it's not a movie with as much drama as…", "that's not a slasher
    # movie like Friday the 13th", "I won't call it a real comedy": about the item talked of
    rf"{_ITEM_SUBJ}(?:'s|’s|\s+is|\s+was)\s+not\s+(?:really\s+|that\s+|very\s+|too\s+|so\s+)?"
    r"(?:an?\s+|about\s+|like\s+)?[\w-]+"  # "it is not about aliens but it's one of the few good ones"
    r"(?:\s+(?:with|about|that|as|like)\b[^.!?,;\n]*)?|"
    r"\b(?:won'?t|wont|wouldn'?t|would not|will not)\s+call\s+(?:it|that|this|them)\b[^.!?,\n]*|"
    r"\b(?:i\s+)?(?:don'?t|didn'?t|do not|did not)\s+(?:think|find|consider|feel|believe)\s+(?:that|it|this|"
    r"that one|this one|he|she|they|the \w+)\b[^.!?\n]*|"
    rf"{_ITEM_SUBJ}\s+(?:wasn'?t|isn'?t|was not|is not)\s+(?:that|very|really|too|so)?\s*\w+|"
    # "not quite a comedy, but I loved It"; "Paranormal Activity isn't really my type of horror"
    r"\bnot\s+(?:quite|exactly)\s+an?\s+[\w-]+\b(?!\s+(?:fan|person|lover|buff|guy|girl)\b)|"
    r"\b(?:isn'?t|wasn'?t|is not|was not)\s+(?:really\s+|quite\s+)?my\s+(?:type|kind|sort)\s+of\s+[\w-]+")

# figures of speech that hold a facet word: "it gave me chills" is no wish for chill-out music
_FIGURE_RE = re.compile(r"\b(?:gave|gives|give) me (?:the )?(?:chills|goosebumps|shivers)\b|\bchills down\b")

# A yes/no question about something already named ("is it scary?", "isn't that a children's movie?",
# "wasn't Tom Hanks in that?"): what it names is asked about, not wished for or against.
_ASIDE_QUESTION_RE = re.compile(
    r"(?:^|(?<=[.!?\n,;:-]))[^\w.!?\n]*(?:(?:is|isn'?t|was|wasn'?t|does|doesn'?t|did|didn'?t)\s+(?:it|that|this|he|she|"
    r"they|the \w+)\b|(?:is|was|isn'?t|wasn'?t)\s+\w+(?:\s+\w+)?\s+in\s+(?:it|that|this)\b|"
    r"(?:is|was|isn'?t|wasn'?t)\s{4,}(?=\w)|(?:what|which)\s+(?:\w+\s+){0,2}(?:is|was)\s+(?:it|that|this)\b)"
    r"[^.!?\n]*\?")  # "Is The Shining scary?": the title is blanked

# a question about the bot itself: its words are no wishes ("are you a robot?" asks for no science fiction)
_ABOUT_BOT_RE = re.compile(r"^\W*(?:are you (?:a |an |even )?(?:bot|robot|human|real person|real|ai|machine|"
                           r"person|chatgpt)|你是(?:不是)?(?:机器人|人工智能|AI|ai|真人|人|谁)(?:(?:还是|或者?)(?:机器人|人工智能|AI|ai|"
                           r"真人|人))?[吗啊呀呢吧]?)\W*$", re.I)


# "你们这个 chatbot 背后是真人还是 AI 啊？", "are you a real person or an AI?": a question of what answers
_HUMAN_OR_AI_RE = re.compile(r"(?:真人|人工|人类)\s*(?:还是|或者?)\s*"
                             r"(?:AI|机器人?|人工智能|程序)|(?:AI|机器人?|人工智能|程序)\s*(?:还是|或者?)\s*"
                             r"(?:真人|人工|人类)|"
                             r"\b(?:are|r) (?:you|u) (?:a )?(?:real )?(?:person|human) or (?:an? )?"
                             r"(?:ai|bot|robot)\b|\b(?:are|r) (?:you|u) (?:an? )?(?:ai|bot|robot) or (?:a )?"
                             r"(?:real )?(?:person|human)\b",
                             re.I)


def about_bot(text: str) -> bool:
    text = text or ""
    return bool(_ABOUT_BOT_RE.match(text)) or (len(text) < 60 and bool(_HUMAN_OR_AI_RE.search(text)))


# What a request is about when it names no genre, title or person ("a movie or a book about space",
# "something set in Japan"): those words are the wish. Not after a negation ("not sure about horror").
_TOPIC_RE = re.compile(r"\b(?:about|involving|featuring|set (?:in|on|during|at)|on the (?:topic|subject) of)"
                       r"\s+(?!(?:it|that|this|them|those|these|the (?:first|second|third|last|other)\b))"
                       r"[^.?!,;:]{2,60}", re.I)
_NEGATED_RE = re.compile(r"\b(?:not|no|never|nothing|without)\b|n't\b", re.I)


def topic_of(text: str) -> str | None:
    """The topic words of a request ("about space"), or None."""
    m = _TOPIC_RE.search(text or "")
    if m is None or _NEGATED_RE.search(text[:m.end()]):
        return None
    return m.group(0).strip()
