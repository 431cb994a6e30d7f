"""The fast, deterministic understanding layer: one utterance in, interest tags out.

`extract(utterance, lexicon)` finds what the user likes and dislikes (as facet strings from
a lexicon built out of the catalog's own tags), titles they liked, disliked or have seen,
the domain they want, year bounds and creators. No model is involved: precompiled regexes
plus dictionary look-ups over word n-grams, so it runs in well under a millisecond for a
chat line (about 15 ms for a pathological 2,000-character one) and always gives the same
answer. An LLM layer can sit on top and be scored by the same benchmark
(bench/extraction_eval.py).

Pipeline, each step blanking what it explained so later steps do not read it twice:
titles and creators (only where a cue says how the user relates to them) -> "that one" /
"it" references -> years -> domain -> mood phrases and lexicon phrases -> a polarity for
each facet mention from the cues in its clause.

Conventions (the labelled set in bench/data/extraction_labels.jsonl follows them):

* Facets are lexicon "concepts": a catalog tag, lowercased ("science fiction", "ambient"),
  several catalog spellings folded into one ("Detective and mystery stories", "Mystery
  fiction" and the movie genre "Mystery" are all "mystery"; see FOLDS), or one of a few
  free facets no catalog tag carries ("feel-good", "mind-bending", "gore", "violence",...).
  `Lexicon.tags_for(facet, domain)` gives the catalog tags behind a facet, for scoring.
* A synonym may stand for several facets; when the utterance (or `domain_hint`) names a
  domain, only the facets the catalog has in that domain are kept ("kids" is
  family + animated for a movie, "children's books" for a book).
* Negation runs from its cue to the end of the clause (",", "but", ".", "and I ...");
  a comma list ending in "or"/"and" keeps it ("no horror, gore or musicals").
* Reversals are facets the user now accepts ("actually, musicals are fine", "I don't
  mind violence"): the dialogue manager drops them from the dislikes; they are not likes.
* Years: "after 2010" excludes 2010 (min 2011), "since 2010" / "from 2010 on" include it,
  "before 1990" gives max 1989, "until 1990" max 1990; a decade is its ten years; "early",
  "mid", "late" are x0-x3, x4-x6, x7-x9; "recent" / "new releases" / "latest" mean
  min = ref_year - 5; "last N years" min = ref_year - N. "old" and "classic" are left to
  the critique layer.
* Titles are reported as the user wrote them; `Extraction.title_ids` maps a span to the
  catalog id where the linker found one. Items already on screen are markers, not titles:
  "@last" ("not that one", or "loved it" with no title before it) and "@1", "@2", ...
  ("the first one").
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, field

from retrieval.items import DOMAINS, Item

MAX_CHARS = 2000  # longer input is cut: nobody types a facet after 2,000 characters
MAX_CANDIDATES = 150  # title/creator candidates examined per utterance (bounds the worst case)
MAX_MENTIONS = 64  # facet mentions kept per utterance
REF_YEAR = 2023  # the demo catalog ends in 2023; "recent" is relative to this
RECENT_SPAN = 5
REF_LAST = "@last"

LinkTitles = Callable[[str], list[tuple[str, str]]]
Targets = dict[str | None, tuple[str, ...]]  # facets by domain; None = no domain known
Cue = tuple[int, int, str]  # start, end, kind ("neg", "pos", "tol", "pos_x")

# ----------------------------------------------------------------------------------------
# Hand-written tables. Catalog tags become facets on their own; these add the words people
# actually say, and fold several catalog spellings of one idea into one facet.
# ----------------------------------------------------------------------------------------

# facet -> catalog tags (lowercased) that mean the same thing in some domain
FOLDS: dict[str, tuple[str, ...]] = {
    "science fiction": ("science fiction", "science-fiction & fantasy", "american science fiction",
                        "english science fiction", "science fiction by women"),
    "fantasy": ("fantasy", "fantasy fiction", "fantasy literature", "science-fiction & fantasy",
                "english fantasy fiction", "american fantasy fiction", "french fantasy fiction"),
    "horror": ("horror", "horror tales", "american horror tales", "english horror tales", "horror films"),
    "ghost stories": ("ghost stories", "ghosts", "english ghost stories", "american ghost stories"),
    "comedy": ("comedy", "humour", "humor", "humorous stories", "english humorous stories",
               "american humorous stories", "comedy plays", "wit and humor", "english wit and humor",
               "american wit and humor"),
    "romance": ("romance", "love stories", "romances", "romance fiction", "american love stories"),
    "mystery": ("mystery", "detective and mystery stories", "mystery and detective stories",
                "mystery fiction", "detective fiction", "english detective and mystery stories",
                "american detective and mystery stories", "crime, thrillers and mystery"),
    "crime": ("crime", "crime fiction", "crime, thrillers and mystery"),
    "thriller": ("thriller", "thrillers (fiction)", "crime, thrillers and mystery"),
    "western": ("western", "western stories"),
    "war": ("war", "war stories", "wars"),
    "world war i": ("world war i", "world war, 1914-1918"),
    "world war ii": ("world war ii", "world war, 1939-1945"),
    "spy": ("spy", "spy stories"),
    "adventure": ("adventure", "adventure stories", "adventure and adventurers",
                  "action and adventure fiction"),
    "biography": ("biography", "biographies", "autobiographies", "biographical fiction"),
    "historical": ("historical", "historical novels", "historical fiction"),
    "children's books": ("children & young adult reading", "children's fiction", "children's literature",
                         "children's stories", "children's book series", "children's picture books"),
    "poetry": ("poetry", "english poetry", "american poetry"),
    "sea stories": ("sea stories", "seafaring life", "american sea stories", "english sea stories"),
    "pirates": ("pirates", "pirates, buccaneers, corsairs, etc."),
    "fairy tales": ("fairy tales", "children's myths, fairy tales, etc."),
    "christmas": ("christmas", "christmas stories"),
    "musical": ("musical", "musicals", "musical fiction"),
    "electronic": ("electronic", "electronica"),
    "gothic": ("gothic", "gothic fiction"),
}

# Facets no catalog tag carries; kept so the retriever can search for them as text.
FREE_FACETS = frozenset({
    "feel-good", "mind-bending", "thought-provoking", "violence", "gore", "dark", "gritty", "sad",
    "cheesy", "cozy", "quirky", "epic", "slow", "upbeat", "slapstick",
})

_KIDS: Targets = {None: ("family", "animated"), "movie": ("family", "animated"),
                  "book": ("children's books",), "music": ()}
_CHILL: Targets = {None: ("ambient", "downtempo"), "music": ("ambient", "downtempo"),
                   "movie": ("feel-good",), "book": ("cozy",)}
_INDIE: Targets = {None: ("indie",), "music": ("indie",), "movie": ("independent",), "book": ()}
_YOUNG: Targets = {None: ("teen",), "movie": ("teen",), "book": ("children's books",), "music": ()}
_FEEL_GOOD = ("feel-good", "comedy", "family")

# what people say -> facets. Keys are matched as whole (stemmed) word sequences.
ALIASES: dict[str, tuple[str, ...] | Targets] = {
    # science fiction
    **dict.fromkeys(("sci-fi", "sci fi", "scifi", "syfy", "science-fiction", "space opera", "cyberpunk",
                     "aliens", "alien invasion", "outer space", "set in space", "dystopian",
                     "dystopia",
                     "ciencia ficcion", "fantascienza"), ("science fiction",)),
    # horror and its neighbours
    **dict.fromkeys(("scary", "spooky", "creepy", "frightening", "terrifying", "horrifying", "zombie",
                     "zombies", "terror", "horreur", "halloween"), ("horror",)),
    **dict.fromkeys(("ghost", "ghosts", "haunted", "haunting", "ghost story"),
                    ("supernatural", "ghost stories")),
    "paranormal": ("supernatural",),
    "gothic horror": ("gothic", "horror"),
    "space adventure": ("science fiction", "adventure"),
    **dict.fromkeys(("gore", "gory", "splatter", "blood and guts"), ("gore",)),
    **dict.fromkeys(("violence", "violent", "brutal", "brutality"), ("violence",)),
    # comedy and romance
    "slapstick": ("slapstick", "comedy"),
    **dict.fromkeys(("funnier", "lighter"), ("comedy",)),
    **dict.fromkeys(("scarier", "creepier"), ("horror",)),
    **dict.fromkeys(("electronique", "elektronisch", "electronica"), ("electronic",)),
    **dict.fromkeys(("animacion", "animacao", "animation japonaise"), ("animated",)),
    **dict.fromkeys(("ninos", "enfants", "kinder", "bambini"), _KIDS),
    **dict.fromkeys(("funny", "hilarious", "humorous", "comedic", "witty", "laughs",
                     "stand-up", "standup", "comedia", "comedie", "komodie"), ("comedy",)),
    **dict.fromkeys(("romcom", "rom-com", "rom com", "romantic comedy"), ("romance", "comedy")),
    **dict.fromkeys(("romantic", "love story", "romantique", "romantica", "romantisch"), ("romance",)),
    # mystery, crime, thriller
    **dict.fromkeys(("whodunit", "whodunnit", "detective", "detectives", "detective story",
                     "murder mystery", "sleuth", "policier"), ("mystery",)),
    **dict.fromkeys(("heist", "gangster", "gangsters", "mafia", "mob", "krimi"), ("crime",)),
    **dict.fromkeys(("suspenseful", "nail-biting", "nail biting", "tense"), ("thriller",)),
    # animation and family
    **dict.fromkeys(("animation", "cartoon", "cartoons", "animated film", "animated movie", "anime",
                     "pixar", "dessin anime", "dibujos animados"), ("animated",)),
    **dict.fromkeys(("kids", "kid", "children", "family-friendly", "family friendly", "kid-friendly",
                     "kid friendly", "all ages", "family film", "family movie"), _KIDS),
    **dict.fromkeys(("teenage", "teens", "teenagers", "high school", "young adult", "coming of age",
                     "coming-of-age"), _YOUNG),
    # moods
    **dict.fromkeys(("feel-good", "feel good", "feelgood", "uplifting", "heartwarming", "heart-warming",
                     "wholesome"), _FEEL_GOOD),
    **dict.fromkeys(("light-hearted", "lighthearted"), ("feel-good", "comedy")),
    **dict.fromkeys(("mind-bending", "mind bending", "mindbending", "mind-blowing", "mind blowing",
                     "mindblowing", "trippy", "twisty", "plot twist", "plot twists", "twist ending",
                     "twists"), ("mind-bending",)),
    **dict.fromkeys(("thought-provoking", "thought provoking", "cerebral"), ("thought-provoking",)),
    **dict.fromkeys(("dark", "bleak", "grim"), ("dark",)),
    "gritty": ("gritty",),
    **dict.fromkeys(("sad", "depressing", "tearjerker", "tear-jerker", "weepy", "melancholy",
                     "melancholic"), ("sad",)),
    **dict.fromkeys(("cheesy", "corny"), ("cheesy",)),
    **dict.fromkeys(("cozy", "cosy"), ("cozy",)),
    **dict.fromkeys(("quirky", "offbeat"), ("quirky",)),
    "epic": ("epic",),
    **dict.fromkeys(("slow", "slow-paced", "slow paced", "slow burn"), ("slow",)),
    **dict.fromkeys(("upbeat", "energetic", "high-energy", "high energy", "danceable"), ("upbeat",)),
    **dict.fromkeys(("chill", "chilled", "chillout", "chill-out", "chill out", "laid-back", "laid back",
                     "mellow", "relaxing", "calm", "soothing", "peaceful"), _CHILL),
    # movie genres
    **dict.fromkeys(("musicals", "broadway", "show tunes", "song and dance"), ("musical",)),
    **dict.fromkeys(("biopic", "biopics", "memoir", "memoirs"), ("biography",)),
    **dict.fromkeys(("superheroes", "super hero", "super heroes", "comic book", "comic books", "marvel"),
                    ("superhero",)),
    **dict.fromkeys(("cowboy", "cowboys", "wild west"), ("western",)),
    **dict.fromkeys(("war film", "war movie", "world war"), ("war",)),
    **dict.fromkeys(("ww2", "wwii", "world war 2", "world war two", "second world war"),
                    ("war", "world war ii")),
    **dict.fromkeys(("ww1", "wwi", "world war 1", "world war one", "first world war", "great war"),
                    ("war", "world war i")),
    **dict.fromkeys(("kung fu", "kung-fu", "karate"), ("martial arts",)),
    **dict.fromkeys(("spies", "espionage", "secret agent", "secret agents"), ("spy",)),
    **dict.fromkeys(("football", "baseball", "basketball", "boxing"), ("sports",)),
    **dict.fromkeys(("period drama", "period piece", "costume drama"), ("historical",)),
    "historical drama": ("historical", "drama"),
    **dict.fromkeys(("courtroom", "legal drama", "lawyers"), ("legal",)),
    "satirical": ("satire",),
    **dict.fromkeys(("film noir", "neo-noir", "neo noir"), ("noir",)),
    **dict.fromkeys(("erotica", "steamy"), ("erotic",)),
    **dict.fromkeys(("action-packed", "action packed", "explosions", "shootouts"), ("action",)),
    **dict.fromkeys(("adventurous", "swashbuckling", "swashbuckler"), ("adventure",)),
    **dict.fromkeys(("dragons", "wizards", "sword and sorcery", "high fantasy"), ("fantasy",)),
    "indie": _INDIE,
    **dict.fromkeys(("indie film", "indie movie", "independent film"), ("independent",)),
    # books
    **dict.fromkeys(("poems", "poem"), ("poetry",)),
    **dict.fromkeys(("stage plays", "theatre plays", "theater plays"), ("plays",)),
    **dict.fromkeys(("nautical", "seafaring", "sailing", "at sea"), ("sea stories",)),
    **dict.fromkeys(("sea adventure", "sea adventures"), ("sea stories", "adventure")),
    **dict.fromkeys(("fairytale", "fairytales", "fairy tale"), ("fairy tales",)),
    **dict.fromkeys(("xmas",), ("christmas",)),
    # music
    "edm": ("electronic",),
    **dict.fromkeys(("dnb", "d&b", "drum n bass", "drum'n'bass", "drumnbass"), ("drum & bass",)),
    **dict.fromkeys(("synthpop", "synthwave"), ("synth-pop",)),
    "triphop": ("trip hop",),
    "hiphop": ("hip hop",),
    "lofi": ("lo-fi",),
    "postrock": ("post rock",),
    **dict.fromkeys(("8-bit", "8 bit", "8bit", "chip music", "video game music"), ("chiptune",)),
    **dict.fromkeys(("classical music",), ("classical",)),
    **dict.fromkeys(("house music",), ("house",)),
    **dict.fromkeys(("world music",), ("world",)),
    **dict.fromkeys(("heavy metal",), ("metal",)),
    **dict.fromkeys(("punk rock",), ("punk",)),
    **dict.fromkeys(("piano music", "solo piano"), ("piano",)),
    **dict.fromkeys(("no vocals", "without vocals", "no lyrics", "without lyrics", "no singing"),
                    ("instrumental",)),
    "jazzy": ("jazz",),
    "folky": ("folk",),
}

def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Everyday chat words of 5+ letters that typo repair must leave alone.
CHAT_WORDS = _wordset("""
    amazing awesome boring brilliant cheers crappy dunno fantastic gonna gotta hello honestly kinda lately
    maybe pretty really seriously something sorta stuff super thanks terrible tonight totally whatever wanna
    weird yeah yikes lovely watch watched watching reading listened listening recommend recommendation
    recommendations suggestion suggestions please guess actually anything everything nothing another before
    after again always never sometimes usually tired bored sleepy hungry angry happy excited nervous stressed
    relax relaxed evening morning weekend tomorrow yesterday friday saturday sunday family friends partner
    girlfriend boyfriend husband parents mother father daughter grandma grandpa nephew niece colleague
    coworker birthday present plenty quite rather shows series seasons episode episodes characters ending
    endings story stories authors author writer artist artists bands singer singers albums songs tracks
    lyrics vocals cheesy meh okay alright sounds fine great thing things later earlier older newer longer
    shorter lighter heavier darker funnier scarier weirder better worse bored boring hated loved liked
    enjoyed overrated underrated scares scared scare
    """)


# Single catalog tags that are ordinary words; they never count as a facet on their own.
STOP_WORDS = _wordset("""
    movie movies film films book books novel novels music album albums song songs track tracks record
    records story stories read reading watch listen play plays game games live mix compilation short modern
    contemporary new old best love like life death time day night home man men woman women girl girls
    boy boys child brother brothers sister sisters uncle uncles aunt aunts cousin cousins father fathers
    mother mothers son sons daughter daughters wife wives husband husbands friend friends people youth
    american americans british english french german something anything nothing everything one success
    will william care cause chance character core eve general gift passing value wish trust relation ring road
    water sick tale poor fire bath camp club mar dam alice norman roland homer art reference origin influence
    imprint participation invalid letter language regression separation temper stock memory identity
    knowledge imagination conversation communication mission patient judge money business writing walking
    escape dream trial vacation birthday holiday west school schools cook cooks
    courage performance vocal ballad movy series sery fiction literature classic classics
    """)
# Music-style tags that are common words elsewhere ("a haunted house"): only in a music context.
MUSIC_ONLY_WORDS = _wordset("""
    house acid noise dub soul swing surf abstract minimal exotic traditional alternative melodic breaks
    jungle garage drone fusion world piano
    """)

EMOJI: dict[str, tuple[str, ...]] = {
    **dict.fromkeys("😂🤣😆😹", ("comedy",)),
    **dict.fromkeys("👻😱🔪🧟", ("horror",)),
    **dict.fromkeys("🚀👽🤖🛸", ("science fiction",)),
    **dict.fromkeys("💕💘💑💞", ("romance",)),
    "🤠": ("western",), "🕵": ("mystery",), "🔍": ("mystery",), "🧙": ("fantasy",), "🐉": ("fantasy",),
    "😭": ("sad",), "🎷": ("jazz",), "🎻": ("classical",), "🎹": ("piano",), "🎸": ("rock",),
}

# Mood and occasion phrases: (regex, facets). Checked before single words, and they hide the
# words inside them from the rest ("feeling sad" asks for cheering up, not for sad films).
_NUM = r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
MOODS: list[tuple[re.Pattern[str], tuple[str, ...] | Targets]] = [
    (re.compile(r"\b(?:after|had|having|it'?s been|what|such)\s+(?:a|an|the|one|such a)?\s*(?:really\s+|"
                r"very\s+|super\s+|long\s+and\s+)?(?:terrible|bad|awful|rough|long|hard|horrible|crappy|"
                r"shitty|stressful|tough|exhausting|miserable|lousy|brutal|horrid)\s+(?:day|week|shift)"),
     ("feel-good", "comedy")),
    (re.compile(r"\bcheer (?:me|us|him|her|them|my \w+) up\b|\bpick[- ]me[- ]up\b|\b(?:need|want)\s+(?:a|"
                r"some)\s+(?:good\s+)?(?:laugh|laughs|smile|giggle)\b|\bmake (?:me|us|them) (?:laugh|"
                r"smile)\b|\b(?:lift|boost) (?:my|our) (?:mood|spirits)\b|\bfeeling (?:a bit |so |"
                r"really )?(?:down|blue|low|sad|depressed|miserable)\b|\bi'?m (?:so |really )?(?:sad|down|"
                r"depressed)\b"),
     ("feel-good", "comedy")),
    (re.compile(rf"\bfamily[- ](?:movie |film )?night\b|\b(?:for|with)\s+(?:the|my|our|a|an|his|her|their|"
                rf"two|three|\d+)?\s*(?:little\s+)?(?:kids?|children|child|toddlers?|little ones|"
                rf"{_NUM}[- ]year[- ]olds?|grandkids|grandchildren)\b|\b{_NUM}[- ](?:year|yr)[- ]olds?\b|"
                rf"\bsuitable for (?:kids|children)\b"), _KIDS),
    (re.compile(r"\bdate night\b|\bromantic (?:evening|night|dinner)\b|\bvalentine'?s?(?: day)?\b"),
     ("romance",)),
    (re.compile(r"\b(?:fall asleep|sleep|nap) to\b|\bfor (?:sleep|sleeping|bedtime)\b"),
     {None: ("ambient",), "music": ("ambient",), "movie": (), "book": ()}),
    (re.compile(r"\b(?:for|while|when)\s+(?:i'?m\s+|i\s+)?(?:study|studying|work|working|focus|focusing|"
                r"concentrating|coding|programming)\b|\bhelp me (?:focus|concentrate)\b|\bto (?:study|work|"
                r"focus|code) to\b"),
     {None: ("ambient", "instrumental"), "music": ("ambient", "instrumental"), "movie": (), "book": ()}),
    (re.compile(r"\bfor (?:a |the |my )?(?:party|parties|workout|gym|run|running|dancing)\b|\bto (?:dance|"
                r"work out|run) to\b"),
     {None: ("upbeat",), "music": ("upbeat",), "movie": (), "book": ()}),
    (re.compile(r"\bedge[- ]of[- ](?:my|your|the)[- ]seat\b|\bkeeps? (?:me|you) guessing\b"), ("thriller",)),
    (re.compile(r"\bmake (?:me|us) cry\b|\ba good cry\b"), ("sad",)),
    (re.compile(r"\bsomething light\b|\b(?:easy|light) (?:to )?(?:watch|read)\b|\bnot too heavy\b|"
                r"\bnothing (?:too )?heavy\b"),
     ("feel-good", "comedy")),
    (re.compile(r"\brainy (?:day|afternoon|evening|sunday|weekend)\b|\bcurl up with\b|\bby the fire\b"),
     ("cozy",)),
    (re.compile(r"\bblows? (?:my|your) mind\b|\bmess(?:es)? with (?:my|your) head\b"), ("mind-bending",)),
    (re.compile(r"\bmakes? (?:me|you) think\b"), ("thought-provoking",)),
]

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
           r"not against|nothing against|no problem with|(?:ok|okay|fine|alright|cool) with|open to|"
           r"changed? my mind (?:about|on)|willing to (?:try|give)|can (?:live with|handle|tolerate)|"
           r"could (?:live with|handle|tolerate)",
    # phrases that look negative but are not
    "pos_x": r"not only|not just|not necessarily|nothing but|nothing beats|nothing like a (?:good|great)|"
             r"nothing better than|can'?t wait|cannot wait|can'?t get enough(?: of)?|never get tired of|"
             r"wouldn'?t mind|would not mind|wouldn'?t say no to|no doubt|not sure|don'?t know|no idea|"
             r"no matter|not bad|not too bad",
    "neg": r"anything (?:but|except|other than)|everything (?:but|except)|except(?: for)?|other than|"
           rf"apart from|rather than|instead of|had enough of|enough (?:with|of)|sick of|tired of|"
           rf"fed up with|bored (?:of|with)|done with|stay away from|steer clear of|keep away from|"
           rf"avoid(?:ing)?|skip(?:ping)?|hate[sd]?|dislike[sd]?|detest|loathe|despise|allergic to|"
           rf"spare me|without|excluding|minus|less|fewer|too much|too|no more|no|nothing|none|nope|ugh|"
           rf"than|not{_ADV}(?:\s+(?:into|a fan of|fans of|keen on|big on|interested in|in the mood for|"
           rf"feeling|after))?|{_NEG_AUX}{_ADV}{_NEG_VERB}|isn'?t|aren'?t|wasn'?t|weren'?t",
    "pos": r"(?:i|we|i'?d|we'?d|would|do|really|also|definitely|totally|kinda|quite|i'?m|"
           r"we'?re)\s+(?:really\s+)?(?:like|love|want|need|enjoy|prefer|adore|fancy)|love[sd]?|adore[sd]?|"
           r"enjoy(?:ed|s)?|prefer(?:red)?|want(?:ed)?|wanna|need|craving|into|fan of|looking for|"
           r"in the mood for|give me|show me|recommend|suggest|how about|what about|maybe|perhaps|instead|"
           r"rather|yes|yeah|sure|but also|also|plus|dig",
}
_CUE_RE = re.compile("|".join(rf"(?P<{k}>\b(?:{v})\b)" for k, v in _CUE_SRC.items()))

# cues that come after the facet ("musicals are fine", "horror isn't my thing")
_POST_TOL_RE = re.compile(
    r"\b(?:is|are|'s|'re|seems?|would be|'d be|will be|sounds?)\s+(?:\w+\s+)?(?:fine|ok|okay|alright|"
    r"all right|acceptable|allowed)\b|\ba(?:nother)? (?:chance|try|shot|go)\b|\bafter all\b|\b(?:is|"
    r"are) back\b|\bback on the (?:table|menu)\b")
_POST_NEG_RE = re.compile(
    r"(?:\b(?:is|are|'s|'re)\s+not|\bisn'?t|\baren'?t)\s+(?:really\s+)?(?:for me|my thing|my cup of tea|"
    r"my jam|my style)|\bnot for me\b|\bno,? thanks?\b|\bno thank you\b|\bplease no\b|\b(?:is|"
    r"are) a (?:hard )?no\b|\b(?:is|are) out\b|\bbores? me\b|\b(?:is|are) (?:boring|overrated|the worst|"
    r"annoying|too much)\b|\bfreaks? me out\b|\bgives? me nightmares\b|\bmakes? me (?:sick|queasy|"
    r"cringe)\b|\bno\W*$|\bnope\b|\bnot again\b|👎|🤮")

# Where a negation's scope ends. "anything but" is not a boundary.
_CLAUSE_RE = re.compile(
    r"[.!?;:\n]+|,|\s-+\s|[()]|(?<!anything )(?<!nothing )(?<!everything )(?<!all )\bbut\b|\b(?:though|"
    r"although|however|whereas|yet|otherwise|because|so that)\b|\band (?=(?:i|i'm|i'd|we|my|maybe|"
    r"something|some|a|an|lots|plenty|anything|also)\b)")
_LIST_GLUE_RE = re.compile(r"^[\s,]*(?:(?:or|nor|and|&|either)[\s,]+)*$")
_HAS_CONJ_RE = re.compile(r"\b(?:or|nor|and)\b|&")
_ABOUT_BOT_RE = re.compile(r"\s*(?:are|r) (?:you|u)\b|\s*(?:you are|you're|ur) ")
_BARE_NO_RE = re.compile(r"\W*(?:no|nope|nah|not really|no thanks|no thank you|hard pass|pass|👎)\W*")
_REVISION_RE = re.compile(r"\bchanged? my mind\b|\btake (?:it|that) back\b|\bon second thoughts?\b|"
                          r"\bi was wrong\b|\bafter all\b")

# ---- domain ----------------------------------------------------------------------------
_DOMAIN_RE = re.compile(
    r"\b(?:(?P<movie>movies?|films?|flicks?|cinema|watch|watching|pel[ií]culas?|filme)|(?P<book>books?|"
    r"novels?|novellas?|novelas?|paperbacks?|e-?books?|audiobooks?|(?:to|good|a|light|easy|quick|"
    r"next)\s+read|reading|livres?|libros?|b[uü]cher|buch)|(?P<music>music|albums?|songs?|tracks?|tunes|"
    r"beats|records?|lps?|eps?|playlists?|bands?|listen(?:ing)?(?: to)?|musique|musik|m[uú]sica))\b")
_DOMAIN_VERBS = ("watch", "listen", "read", "to ", "a ", "good", "light", "easy", "quick")
_DOMAIN_NEG_RE = re.compile(r"\b(?:not|no|no more|nothing|instead of|rather than|enough|without)\s+(?:(?:a|"
                            r"an|any|more|the|of|with)\s+)*$")
_DOMAIN_QUALIFIER_RE = re.compile(r"\b(?:based on|adapted from|adaptation of|version of)\s+(?:a|the|an)?\s*$")
_DOMAIN_OR_RE = re.compile(r"^\s*(?:,|/|or|and|nor|either)?\s*(?:or|and)?\s*(?:a|an|some|any)?\s*$")

# ---- years -----------------------------------------------------------------------------
_DECADE_WORDS = {"twenties": 20, "thirties": 30, "forties": 40, "fifties": 50, "sixties": 60,
                 "seventies": 70, "eighties": 80, "nineties": 90, "noughties": 0, "aughts": 0}
_ORDINAL_CENTURY = {"17th": 1600, "18th": 1700, "19th": 1800, "20th": 1900, "21st": 2000,
                    "seventeenth": 1600, "eighteenth": 1700, "nineteenth": 1800, "twentieth": 1900,
                    "twenty-first": 2000}
_PART = r"(?:(?P<part>early|mid|late)[- ]?)?"
_DECADE = (rf"(?:the\s+)?{_PART}(?:(?P<dfull>1[0-9]|20)(?P<dd>[0-9])0'?s|'?(?P<dshort>[0-9])0'?s|"
           rf"(?P<dword>{'|'.join(_DECADE_WORDS)}))")
_DECADE_PLAIN = re.sub(r"\(\?P<\w+>", "(?:", _DECADE)  # embeddable: no named groups
_YEAR = r"(?:1[0-9]{3}|20[0-9]{2})"
_YEAR_RES: dict[str, re.Pattern[str]] = {
    "between": re.compile(rf"\b(?:between|from)\s+(?P<a>{_YEAR})\s+(?:and|to|till|until|"
                          rf"-)\s+(?P<b>{_YEAR})\b|\b(?P<a2>{_YEAR})\s*(?:-|to|–)\s*(?P<b2>{_YEAR})\b"),
    "not_before": re.compile(rf"\b(?:nothing|not|no)\s+(?:\w+\s+)?(?:before|older than|earlier than|"
                             rf"prior to)\s+(?:the\s+)?(?P<y>{_YEAR})\b"),
    "not_after": re.compile(rf"\b(?:nothing|not|no)\s+(?:\w+\s+)?(?:after|newer than|later than)\s+"
                            rf"(?:the\s+)?(?P<y>{_YEAR})\b"),
    "before": re.compile(rf"\b(?:before|pre-?|older than|earlier than|prior to)\s*(?P<y>{_YEAR}|"
                         rf"{_DECADE_PLAIN})"),
    "until": re.compile(rf"\b(?:until|till|up to|through|no later than)\s+(?P<y>{_YEAR})\b"),
    "after": re.compile(rf"\b(?:after|post-?|newer than|later than)\s*(?P<y>{_YEAR}|{_DECADE_PLAIN})"),
    "since": re.compile(rf"\b(?:since|from)\s+(?P<y>{_YEAR}|{_DECADE_PLAIN})\s+(?:on|onwards?|and (?:later|"
                        rf"after|up)|or (?:later|newer|after))\b|\bsince\s+(?P<y2>{_YEAR}|{_DECADE_PLAIN})|"
                        rf"\b(?P<y3>{_YEAR})\s+(?:or|and)\s+(?:later|newer|after)\b|\b(?P<y4>{_YEAR})\s*\+"),
    "century": re.compile(r"\b(?:the\s+)?" + _PART.replace("part", "cpart")
                          + rf"(?P<c>{'|'.join(_ORDINAL_CENTURY)})[- ]century\b|"
                          + r"\b(?P<rel>this|last) century\b|\b(?:the\s+)?(?P<c2>1[0-9])00s\b"),
    "decade": re.compile(rf"\b{_DECADE}(?!\w)"),
    "recent": re.compile(r"\b(?:recent|recently released|new releases?|newer|newest|latest|brand new|"
                         r"new(?= (?:[\w-]+ ){0,2}(?:movies|films|books|novels|albums|songs|tracks|music|"
                         r"releases?|stuff)\b))\b|\b(?:last|past) (?P<n>few|couple of|\d+|two|three|five|"
                         r"ten) years\b|\b(?P<decade>last|past) decade\b|\b(?P<this>this|last) year'?s?\b"),
    "year": re.compile(rf"(?<![\w-])(?P<y>{_YEAR})(?![\w-])"),
}
_DECADE_NEG_RE = re.compile(r"\b(?:not|no|nothing|except|without|anything but)\s+(?:(?:from|in|of|the)\s+)*$")
_SMALL_NUMBERS = {"few": 5, "couple of": 2, "two": 2, "three": 3, "five": 5, "ten": 10}

# ---- entities (titles, creators) -------------------------------------------------------
_FILLER = (r"(?:\s+(?:the|that|this|a)\s+(?:movie|film|book|novel|album|record|band|artist|author|director|"
           r"writer|show|series|song|one|story|stuff|music))?(?:\s+(?:by|from))?(?:\s+(?:watching|reading|"
           r"listening to|hearing|seeing))?\s*[\"']?\s*$")
_ENTITY_CUES = {
    "seen_like": r"(?:seen|watched|read|heard|finished)\s+(?:and|&)\s+(?:really\s+)?(?:loved|liked|enjoyed|"
                 r"adored)",
    "seen_dislike": r"(?:seen|watched|read|heard|finished)\s+(?:and|&)\s+(?:hated|disliked)",
    "creator": r"(?:directed|written|composed|produced|performed|made|created|authored|illustrated|sung|"
               r"narrated|recorded|released|done|starring|featuring)(?:\s+by)?|by|from|starring|featuring|feat\.?|"
               r"with|director|author|artist|band|writer|composer|more|more of|anything by|something by",
    "dislike": r"hated|hate|disliked|dislike|can'?t stand|cannot stand|couldn'?t stand|"
               r"(?:didn'?t|did not|don'?t|do not)\s+(?:really\s+)?(?:like|enjoy|love|want)|"
               r"not a (?:big\s+)?fan of|nothing like|not like|anything but|anything except|except|not|"
               r"no more|no|without|other than|rather than|instead of|bored by|sick of|tired of|done with|"
               r"skip|avoid|detested|loathed",
    "sim": r"similar to|such as|along the lines of|in the vein of|reminds? me of|same (?:vibe|feel|style) as|"
           r"in the style of|as good as|the likes of|more like|like",
    "like": r"loved|liked|enjoyed|adored|love|enjoy|adore|dig|dug|(?:a\s+)?(?:big\s+|huge\s+)?fan of|"
            r"obsessed with|favou?rite(?:\s+(?:movie|film|book|novel|album|record|band|artist|author|"
            r"director|writer|one|ever))?(?:\s+(?:is|was|are|were))?\s*:?",
    "seen": r"(?:(?:i'?ve|i have|have|already|just|recently|i|we'?ve|we)\s+)*(?:seen|watched|rewatched|heard|"
            r"listened to|finished|(?<!to )read)",
}
_ENTITY_CUE_RE = re.compile("(?:" + "|".join(rf"(?P<{k}>\b(?:{v}))" for k, v in _ENTITY_CUES.items())
                            + ")" + _FILLER)
_POST_ENTITY = {
    "like": re.compile(r"^\W{0,3}(?:(?:was|is|were|are|'s)\s+(?:so\s+|really\s+|very\s+|pretty\s+|just\s+|"
                       r"absolutely\s+)?(?:great|amazing|awesome|brilliant|fantastic|excellent|perfect|"
                       r"good|incredible|wonderful|lovely|fun|hilarious|a masterpiece|the best|beautiful|"
                       r"(?:one of )?my (?:all[- ]time |absolute )?favou?rites?)|rocks|rules)\b"),
    "dislike": re.compile(r"^\W{0,3}(?:(?:was|is|were|are|'s)\s+(?:so\s+|really\s+|very\s+|pretty\s+|"
                          r"just\s+)?(?:boring|awful|terrible|bad|overrated|dull|meh|horrible|the worst|"
                          r"too \w+|not for me|not my thing)|sucked|sucks)\b"),
    "seen": re.compile(r"^\W{0,3}(?:i'?ve\s+|i\s+|we'?ve\s+)?(?:already\s+)?(?:seen|read|watched|heard)\s+"
                       r"(?:it|that|this)\b|^\W{0,3}already (?:seen|read|watched|heard)\b"),
}
_REF_RE = re.compile(
    r"\b(?P<cue>(?:i'?ve\s+|i have\s+|already\s+|we'?ve\s+)*(?:seen|watched|read|heard)|more like|"
    r"similar to|loved|liked|"
    r"enjoyed|adored|like|love|hated|disliked|(?:didn'?t|did not|don'?t)\s+(?:really\s+)?(?:like|enjoy|"
    r"love)|can'?t stand|couldn'?t stand|not|no|skip|nah)\s+(?P<ref>it|that(?: one)?|this(?: one)?|"
    r"the (?P<ord>first|second|third|fourth|fifth|1st|2nd|3rd|4th|5th|last) one)(?=\s*(?:$|[.!,;?)]|"
    r"\s(?:and|but|already|too|either|though|anyway|please|thanks|lol|at all|a|many|so|twice|again|before|"
    r"yesterday|last)\b))")
_REF_JUDGED_RE = re.compile(
    r"\b(?P<ref>it|that one|this one)(?:'s| (?:was|is))\s+(?:so\s+|really\s+|very\s+|pretty\s+|just\s+|"
    r"absolutely\s+)?(?:(?P<good>great|amazing|awesome|brilliant|fantastic|excellent|perfect|incredible|"
    r"wonderful|a masterpiece|my favou?rite)|(?:boring|awful|terrible|bad|overrated|dull|meh|horrible|"
    r"the worst))\b")
_SEEN_WORD_RE = re.compile(r"\b(?:seen|watched|read|heard)\b")
_LIKE_WORD_RE = re.compile(r"loved|liked|enjoyed|adored|like|love|more like|similar to")
_OTHER_SUBJECT_RE = re.compile(r"\b(?:my|our|his|her|their)\s+\w+(?:\s+\w+)?\s+(?:have\s+|has\s+|had\s+)?$|"
                               r"\b(?:he|she|they)\s+(?:have\s+|has\s+)?$")
_SUBJECT_END_RE = re.compile(r"\b(?:i|we)\s+(?:really\s+)?$")  # "I like that one", not "something like that"
_HATE_RE = re.compile(r"hate|stand|dislike|didn'?t|did not|bored|sick|tired")
_LOVE_RE = re.compile(r"\b(?:loved|liked|enjoyed|adored)\b|^(?:i|we) (?:really )?(?:love|like|enjoy)")
_ORDINALS = {"first": "@1", "1st": "@1", "second": "@2", "2nd": "@2", "third": "@3", "3rd": "@3",
             "fourth": "@4", "4th": "@4", "fifth": "@5", "5th": "@5", "last": REF_LAST}
_LIST_SEP_RE = re.compile(r"^\s*(?:,\s*|\s+)(?:and|or|&|as well as|plus|"
                          r",)?\s*(?:also\s+)?(?:the\s+(?:movie|film|book|novel|album)\s+)?[\"']?\s*$|"
                          r"^\s*[\"']?\s*(?:,|and|or|&|/)\s*[\"']?\s*$")
_HARD_STOP_RE = re.compile(r"[.!?;\n]|(?<!anything )(?<!nothing )(?<!everything )\bbut\b")
# a run of at most 10 capitalised words, small joining words allowed ("Pride and Prejudice")
_CAPS_RE = re.compile(r"(?<![\w'])(?:[A-Z0-9][\w'’.-]*)(?:\s+(?:(?:of|the|and|a|an|in|on|to|for|at|with|"
                      r"from|&|de|la|le|von|van|der)\s+){0,3}[A-Z0-9][\w'’-]*){0,9}!?")
_WORD_START_RE = re.compile(r"(?<![\w'])[A-Z0-9]")
_TRAILING_KIND_RE = re.compile(
    r"(?:'s)?(?:\s+(?:movies?|films?|books?|novels?|albums?|music|songs?|stuff))+$", re.IGNORECASE)
_WORKS_AFTER_RE = re.compile(r"(?:'s)?\s*(?:movies?|films?|books?|novels?|albums?|music|songs?|stuff|work)\b")
_THE_END_RE = re.compile(r"\bthe\s+$")
_QUOTED_RE = re.compile(r"\"([^\"\n]{1,100})\"")
_TITLE_STOP = _wordset("""
    it its it's that this those these them they he she him her his hers me you us we one ones all any some
    something anything everything nothing stuff things thing more most less much many lots few other others
    movie movies film films book books novel novels album albums music song songs a an the i my your our their
    up home out in on off well yes no ok okay sure thanks please lol hi hello hey
    """)
_FUNCTION_WORDS = _wordset("in on at for to of with by from and or but i you we it my your me about into")
_BY_CUE_RE = re.compile(r"\bby\b|director|author|writer|composer|starring|featuring")
_NOT_A_NAME_RE = re.compile(r"(?:the\s+)?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|"
                            r"february|march|april|may|june|july|august|september|october|november|december|"
                            r"tonight|tomorrow|today|christmas|i|me|you|us|them|far)")
_CONTRACTIONS = _wordset("cant dont wont isnt arent wasnt didnt doesnt im ive id ill youre thats")
_NAME_JUNK = frozenset({"various artists", "various", "anonymous", "unknown", "voices of", "writer", "et al"})

_WORD_RE = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
_POSSESSIVE_RE = re.compile(r"'s$")
_FACET_WORD_RE = re.compile(r"[^\W_]+(?:'[^\W_]+)*|&")
_ELISION_RE = re.compile(r"^(?:d|l|j|qu|s|n|c)'")  # French "d'horreur" is "horreur"
_EMOJI_RE = re.compile("|".join(map(re.escape, sorted(EMOJI, key=len, reverse=True))))


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


MUSIC_ONLY = frozenset(stem(w) for w in MUSIC_ONLY_WORDS)


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


# ----------------------------------------------------------------------------------------
# The lexicon
# ----------------------------------------------------------------------------------------


@dataclass
class Lexicon:
    """Facet phrases and the catalog's vocabulary, built once per catalog."""

    phrases: dict[str, Targets]  # phrase key -> facets by domain
    counts: dict[str, dict[str, int]]  # facet -> domain -> items carrying it
    catalog_tags: dict[str, dict[str, list[str]]]  # facet -> domain -> catalog tags behind it
    creators: dict[str, str] = field(default_factory=dict)  # name key -> display name
    surnames: dict[str, str] = field(default_factory=dict)  # last-name key -> display name
    known_words: frozenset[str] = frozenset()  # ordinary words: never "corrected"
    common_words: frozenset[str] = frozenset()  # too frequent to be a lowercase title
    # derived look-up tables, rebuilt from the fields above
    max_len: int = field(default=1, init=False)
    _prefixes: frozenset[str] = field(default_factory=frozenset, init=False, repr=False)
    _creator_prefixes: frozenset[str] = field(default_factory=frozenset, init=False, repr=False)
    _typo: dict[str, set[str]] = field(default_factory=dict, init=False, repr=False)
    _words: frozenset[str] = field(default_factory=frozenset, init=False, repr=False)
    _word_uses: dict[str, int] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        self._index()

    def __repr__(self) -> str:
        sizes = f"{len(self.phrases)} phrases, {len(self.counts)} facets, {len(self.creators)} creators"
        return f"Lexicon({sizes})"

    @classmethod
    def from_items(cls, items: Iterable[Item], min_count: int = 2, book_min_count: int = 3) -> Lexicon:
        """Facets from tags used at least `min_count` times in a domain (`book_min_count` for
        books, whose subject headings are long-tailed), plus the hand-written tables."""
        items = list(items)
        tags = _CatalogTags.collect(items, min_count, book_min_count)
        counts, catalog_tags = tags.facet_counts(items)
        creators, surnames = _creator_index(items)
        known, common = _vocabulary(items)
        return cls(phrases=tags.phrases(set(counts) | FREE_FACETS), counts=counts, catalog_tags=catalog_tags,
                   creators=creators, surnames=surnames, known_words=known, common_words=common)

    def _index(self) -> None:
        """Word-prefix sets (a scan stops as soon as no phrase can continue) and the typo index."""
        self.max_len = max((len(k.split()) for k in self.phrases), default=1)
        self._prefixes = _word_prefixes(self.phrases)
        self._creator_prefixes = _word_prefixes(self.creators)
        words: Counter = Counter(w for key in self.phrases for w in key.split())
        typo: dict[str, set[str]] = defaultdict(set)
        for word in words:
            if len(word) >= 4 and word.isalpha():
                typo[word].add(word)
                for d in _deletes(word):
                    typo[d].add(word)
        self._words, self._typo, self._word_uses = frozenset(words), dict(typo), dict(words)

    # -- queries --------------------------------------------------------------------------

    def correct(self, word: str) -> str | None:
        """The lexicon word one edit away from `word` (5+ letters, not an ordinary word)."""
        if not 5 <= len(word) <= 30 or not word.isalpha():
            return None
        if word in self.known_words or stem(word) in self._words:
            return None
        found: set[str] = set()
        for form in {word, stem(word)}:  # "musicls" is one edit from the stem "musical"
            for key in {form} | _deletes(form):
                found.update(w for w in self._typo.get(key, ()) if _within_one_edit(form, w))
        if not found:
            return None
        # a word that is a facet on its own beats one that only occurs inside phrases
        return min(found, key=lambda w: (w not in self.phrases, -self._word_uses.get(w, 0), w))

    def count(self, facet: str, domain: str | None = None) -> int:
        """How many catalog items carry the facet (in one domain, or in all)."""
        by_domain = self.counts.get(facet, {})
        return by_domain.get(domain, 0) if domain else sum(by_domain.values())

    def is_facet(self, facet: str) -> bool:
        return facet in self.counts or facet in FREE_FACETS

    def in_domain(self, facet: str, domain: str) -> bool:
        return facet in FREE_FACETS or self.counts.get(facet, {}).get(domain, 0) > 0

    def tags_for(self, facet: str, domain: str | None = None) -> list[str]:
        """The catalog tags behind a facet (in one domain, or all), for scoring items."""
        by_domain = self.catalog_tags.get(facet, {})
        if domain is not None:
            return list(by_domain.get(domain, []))
        return sorted({t for tags in by_domain.values() for t in tags})

    def resolve(self, targets: Targets, domain: str | None) -> tuple[str, ...]:
        """Pick a synonym's facets for the domain being talked about."""
        if domain is not None and domain in targets:
            return targets[domain]
        general = targets.get(None, ())
        if domain is None or len(general) < 2:
            return general
        return tuple(f for f in general if self.in_domain(f, domain)) or general


_Counts = dict[str, dict[str, int]]  # facet -> domain -> items
_Behind = dict[str, dict[str, list[str]]]  # facet -> domain -> catalog tags


@dataclass
class _CatalogTags:
    """The catalog's tags, normalised, and which of them become facets in which domain."""

    norm: dict[str, str]  # tag as written -> normalised
    original: dict[str, str]  # normalised -> first spelling seen
    kept: dict[str, set[str]]  # normalised tag -> domains where it is common enough

    @classmethod
    def collect(cls, items: list[Item], min_count: int, book_min_count: int) -> _CatalogTags:
        norm: dict[str, str] = {}
        original: dict[str, str] = {}
        per_domain: dict[str, Counter] = defaultdict(Counter)
        for item in items:
            for tag in item.tags:
                n = norm.get(tag)
                if n is None:
                    n = norm[tag] = _norm_tag(tag)
                    original.setdefault(n, tag)
                per_domain[item.domain][n] += 1
        kept: dict[str, set[str]] = defaultdict(set)
        for domain, counter in per_domain.items():
            floor = book_min_count if domain == "book" else min_count
            for tag, n in counter.items():
                if n >= floor or tag in _FACET_OF:
                    kept[tag].add(domain)
        return cls(norm, original, dict(kept))

    def facets(self, tag: str) -> tuple[str, ...]:
        return _FACET_OF.get(tag) or (tag,)

    def facet_counts(self, items: list[Item]) -> tuple[_Counts, _Behind]:
        """Items per facet per domain, and the catalog tags behind each facet."""
        counts: dict[str, Counter] = defaultdict(Counter)
        for item in items:
            facets = set()
            for tag in item.tags:
                n = self.norm[tag]
                if item.domain in self.kept.get(n, ()):
                    facets.update(self.facets(n))
            for facet in facets:
                counts[facet][item.domain] += 1
        behind: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for tag, domains in self.kept.items():
            for facet in self.facets(tag):
                for domain in domains:
                    behind[facet][domain].append(self.original[tag])
        return ({f: dict(c) for f, c in counts.items()},
                {f: {d: list(t) for d, t in ds.items()} for f, ds in behind.items()})

    def phrases(self, known_facets: set[str]) -> dict[str, Targets]:
        phrases: dict[str, Targets] = {}
        for tag in self.kept:
            for key in _tag_keys(self.original[tag]):
                if key and len(key.split()) <= 6 and not _is_common_word(key):
                    phrases.setdefault(key, {None: self.facets(tag)})
        for alias, targets in ALIASES.items():
            resolved = _clean_targets(targets, known_facets)
            if resolved is not None:
                phrases[phrase_key(alias)] = resolved
        for facet in FREE_FACETS:
            phrases.setdefault(phrase_key(facet), {None: (facet,)})
        return phrases


_FACET_OF: dict[str, tuple[str, ...]] = {}  # normalised catalog tag -> the facets it is folded into
for _facet, _tags in FOLDS.items():
    for _tag in _tags:
        _FACET_OF[_tag] = (*_FACET_OF.get(_tag, ()), _facet)


def _is_common_word(key: str) -> bool:
    """A one-word tag that is an ordinary or cue word ("love", "can't") is not a facet."""
    return " " not in key and (key in STOP_WORDS or key in _CONTRACTIONS or bool(_CUE_RE.fullmatch(key)))


def _word_prefixes(keys: Iterable[str]) -> frozenset[str]:
    out: set[str] = set()
    for key in keys:
        words = key.split()
        out.update(" ".join(words[:n]) for n in range(1, len(words) + 1))
    return frozenset(out)


def _longest_at(tokens: list[str], i: int, index: Mapping, prefixes: frozenset[str], max_len: int):
    """(end, value) of the longest key in `index` made of tokens[i:end], or None."""
    key, best = "", None
    for j in range(i, min(len(tokens), i + max_len)):
        key = f"{key} {tokens[j]}" if key else tokens[j]
        if key not in prefixes:
            break
        value = index.get(key)
        if value is not None:
            best = (j + 1, value)
    return best


def _tag_keys(tag: str) -> list[str]:
    """A tag's keys: itself, and without a capitalised qualifier ("London (England)" -> "london")."""
    keys = [phrase_key(tag)]
    m = re.match(r"^(.*?)\s*\(([A-Z][^)]*)\)\s*$", tag)
    if m and m.group(1):
        keys.append(phrase_key(m.group(1)))
    return keys


def _clean_targets(targets: tuple[str, ...] | Targets, known: set[str]) -> Targets | None:
    """Drop facets this catalog does not have; None if nothing is left in any domain."""
    raw: Targets = targets if isinstance(targets, dict) else {None: targets}
    out = {d: tuple(f for f in fs if f in known) for d, fs in raw.items()}
    if not any(out.values()):
        return None
    out.setdefault(None, ())
    return out


def _name_key(name: str) -> str:
    return " ".join(w.replace("'", "") for w in _WORD_RE.findall(fold(name)))


def _creator_index(items: list[Item]) -> tuple[dict[str, str], dict[str, str]]:
    counts: Counter = Counter()
    display: dict[str, str] = {}
    for item in items:
        for name in item.creators[:4]:
            key = _name_key(name)
            if len(key) < 3 or key in _NAME_JUNK or "(" in name or not any(c.isalpha() for c in key):
                continue  # "voices of", "writer)": scraps of cast lists
            counts[key] += 1
            display.setdefault(key, name)
    surname_count: dict[str, tuple[int, str]] = {}
    for key, n in counts.items():
        parts = key.split()
        if len(parts) >= 2 and len(parts[-1]) >= 4:
            best = surname_count.get(parts[-1])
            if best is None or n > best[0]:
                surname_count[parts[-1]] = (n, display[key])
    return display, {s: name for s, (n, name) in surname_count.items()}


def _vocabulary(items: list[Item]) -> tuple[frozenset[str], frozenset[str]]:
    """Words of the catalog's own text: ordinary (3+ uses) and common (300+ uses).

    Catalog text is encyclopedic, so chat words ("boring", "awesome") are added by hand:
    otherwise "boring" would be "corrected" to "boxing"."""
    text = "\n".join(f"{item.title}\n{item.description}" for item in items).lower()
    counter = Counter(re.findall(r"[a-z]+", text))
    known = frozenset(w for w, n in counter.items() if n >= 3) | CHAT_WORDS
    common = frozenset(w for w, n in counter.items() if n >= 300)
    return known, common


# ----------------------------------------------------------------------------------------
# The title linker: an in-memory title index, no embedder
# ----------------------------------------------------------------------------------------


def _title_key(title: str) -> str:
    return " ".join(w.replace("'", "") for w in _WORD_RE.findall(fold(title).replace("&", " and ")))


def title_index_linker(items: Iterable[Item], max_words: int = 10) -> LinkTitles:
    """A `link_titles` function over an exact/normalised title index.

    For every start position it keeps the longest n-gram that is a catalog title (or a
    title without its leading article), drops spans inside longer ones, and returns
    (span as written, item id). Deciding whether a span is really meant as a title is
    `extract`'s job: the linker happily finds "Up" and "Her" in any sentence.
    """
    ranked = sorted(items, key=lambda i: (DOMAINS.index(i.domain) if i.domain in DOMAINS else 9,
                                          "tv" in i.id.lower(), -len(i.description)))
    index: dict[str, str] = {}
    for item in ranked:
        key = _title_key(item.title)
        if key:
            index.setdefault(key, item.id)
            bare = re.sub(r"^(?:the|a|an) ", "", key)
            if bare != key and len(bare) >= 5:
                index.setdefault(bare, item.id)
    # every word prefix of every key, so a scan stops as soon as no title can continue
    prefixes = {" ".join(k.split()[:n]) for k in index for n in range(1, min(max_words, len(k.split())) + 1)}

    def link(text: str) -> list[tuple[str, str]]:
        text = clean_text(text)
        toks = [("and" if m.group() == "&" else m.group().replace("'", ""), m.start(), m.end())
                for m in _FACET_WORD_RE.finditer(fold(text))]
        found: list[tuple[int, int, str]] = []
        for i in range(len(toks)):
            key, best = "", None
            for j in range(i, min(len(toks), i + max_words)):
                key = f"{key} {toks[j][0]}" if key else toks[j][0]
                if key not in prefixes:
                    break
                if key in index:
                    best = (toks[i][1], toks[j][2], index[key])
            if best:
                found.append(best)
        kept, reach = [], -1
        for span in found:  # in start order; drop spans inside an earlier, longer one
            if span[1] > reach:
                kept.append(span)
                reach = span[1]
        return [(text[s:e], item_id) for s, e, item_id in kept]

    return link


# ----------------------------------------------------------------------------------------
# Extraction
# ----------------------------------------------------------------------------------------


@dataclass
class Extraction:
    likes: list[str] = field(default_factory=list)
    dislikes: list[str] = field(default_factory=list)
    reversals: list[str] = field(default_factory=list)
    liked_titles: list[str] = field(default_factory=list)
    disliked_titles: list[str] = field(default_factory=list)
    seen_titles: list[str] = field(default_factory=list)
    domain: str | None = None
    year_min: int | None = None
    year_max: int | None = None
    creators: list[str] = field(default_factory=list)
    title_ids: dict[str, str] = field(default_factory=dict)  # title span -> catalog id, where linked

    def to_dict(self) -> dict:
        return asdict(self)

    def is_empty(self) -> bool:
        return not any(v for k, v in self.to_dict().items() if k != "title_ids")


@dataclass
class _Hit:
    """A facet mention: where it is and what it may stand for."""

    start: int
    end: int
    targets: Targets


@dataclass
class _Entity:
    start: int
    end: int
    kind: str  # "title" or "creator"
    text: str
    ref: str | None = None  # catalog id (title) or display name (creator)
    strong: bool = False  # a linked or quoted title, or a full multi-word creator name
    surname: bool = False  # a creator found by last name only ("Tolkien")
    cue: str | None = None  # the entity cue before it (see _ENTITY_CUES)
    cue_text: str = ""
    post: str | None = None  # the cue right after it ("was great", "seen it")


class _Masked:
    """The working text: folded lowercase, with spans already explained blanked out."""

    def __init__(self, text: str):
        self.text = fold(text)

    def blank(self, start: int, end: int) -> None:
        self.text = self.text[:start] + " " * (end - start) + self.text[end:]


def extract(
    utterance: str,
    lexicon: Lexicon,
    link_titles: LinkTitles | None = None,
    *,
    domain_hint: str | None = None,
    ref_year: int = REF_YEAR,
) -> Extraction:
    """Understand one utterance. Never raises on any text; input is cut at MAX_CHARS.

    `link_titles(text)` returns (span, item id) pairs, e.g. `title_index_linker(items)`;
    without it, titles are taken from quotes and capitalised words after a cue.
    `domain_hint` is the domain of the conversation so far; it only picks between a
    synonym's facets and never becomes the extraction's domain.
    """
    text = clean_text(utterance or "")
    out = Extraction()
    if not text.strip():
        return out
    work = _Masked(text)

    entities = _find_entities(text, work.text, lexicon, link_titles)
    _assign_entities(work.text, entities, out)
    for ent in entities:
        work.blank(ent.start, ent.end)
    _find_references(work, [e for e in entities if e.kind == "title"], out)

    out.year_min, out.year_max = _find_years(work, ref_year)
    out.domain = _find_domain(work.text, entities)

    domain = out.domain or (domain_hint if domain_hint in DOMAINS else None)
    post_spans = [m.span() for rx in (_POST_TOL_RE, _POST_NEG_RE) for m in rx.finditer(work.text)]
    hits = [h for h in _find_moods(work) + _find_facets(work, lexicon, domain)
            if not any(s < h.end and h.start < e for s, e in post_spans)]  # "gives me nightmares"
    hits = sorted(hits, key=lambda h: h.start)[:MAX_MENTIONS]
    cue_text = work.text  # cues are read with the facet words still in place...
    cues = [(m.start(), m.end(), m.lastgroup or "") for m in _CUE_RE.finditer(cue_text)]
    hits, cues = _settle_overlaps(hits, cues)
    for hit in hits:
        work.blank(hit.start, hit.end)  # ...and clauses with them blanked ("crime, thrillers and mystery")
    _assign_facets(cue_text, work.text, hits, cues, lexicon, domain, out)
    return out


# -- entities ------------------------------------------------------------------------------


def _find_entities(text: str, low: str, lex: Lexicon, link_titles: LinkTitles | None) -> list[_Entity]:
    """Candidate titles and creators, each kept only if a cue says how the user feels about it."""
    cands: list[_Entity] = []
    if link_titles is not None:
        cands += _linked_titles(text, low, link_titles)
    cands += [_Entity(m.start(1), m.end(1), "title", m.group(1).strip(), strong=True)
              for m in _QUOTED_RE.finditer(text)]
    cands += _creator_spans(low, lex)
    cands += _caps_runs(text)
    cands.sort(key=lambda e: (e.start, not e.strong, -(e.end - e.start)))

    accepted: list[_Entity] = []
    for cand in cands[:MAX_CANDIDATES]:
        if any(a.start < cand.end and cand.start < a.end for a in accepted):
            continue
        ent = _accept(cand, text, low, lex, accepted)
        if ent is not None:
            accepted.append(ent)
    return accepted


def _caps_runs(text: str) -> list[_Entity]:
    """Capitalised word runs, and every tail of them: "Loved The Matrix" also offers "The Matrix"."""
    out: list[_Entity] = []
    for m in _CAPS_RE.finditer(text):
        for w in _WORD_START_RE.finditer(m.group()):
            out.append(_Entity(m.start() + w.start(), m.end(), "title", text[m.start() + w.start():m.end()]))
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
    """Creator names from the catalog, longest first at each position (up to 5 words)."""
    # "Allen's" is "allen"
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
    return out


def _clause_start(low: str, pos: int, reach: int = 120) -> int:
    """Where the sentence part holding `pos` starts; cues are never looked for further back
    than `reach` characters, which keeps long inputs linear."""
    start = max(0, pos - reach)
    for m in _HARD_STOP_RE.finditer(low, start, pos):
        start = m.end()
    return start


def _cue_before(low: str, start: int) -> tuple[str | None, str]:
    """The entity cue that ends right before `start` (fillers like "the movie" allowed)."""
    window = low[max(_clause_start(low, start), start - 80):start]
    m = _ENTITY_CUE_RE.search(window)
    if not m or not m.lastgroup:
        return None, ""
    return m.lastgroup, m.group(m.lastgroup)


def _clause_feeling(low: str, start: int) -> str | None:
    """For a catalog title with no cue right before it: a love/hate verb earlier in the clause."""
    last = None
    for m in _CUE_RE.finditer(low, _clause_start(low, start), start):
        last = m
    if last is None:
        return None
    if last.lastgroup == "neg" and _HATE_RE.search(last.group()):
        return "dislike"
    if last.lastgroup == "pos" and _LOVE_RE.search(last.group()):
        return "like"  # "I loved every minute of Heat", but not "I'd like to read Dune"
    return None


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
    cand.post = _cue_after(low, cand.end)
    if _unknown_creator(cand, lex):
        cand.kind, cand.ref, cand.strong = "creator", cand.text, True  # "by Tolkien", not in the catalog
    ok = _creator_ok(cand, text, low, lex) if cand.kind == "creator" else _title_ok(cand, lex)
    return cand if ok else None


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


def _unknown_creator(cand: _Entity, lex: Lexicon) -> bool:
    """A capitalised name right after "by" / "directed by" that the catalog does not know."""
    return (cand.kind == "title" and cand.ref is None and not cand.strong and cand.cue == "creator"
            and bool(_BY_CUE_RE.search(cand.cue_text)) and not _NOT_A_NAME_RE.fullmatch(fold(cand.text))
            and phrase_key(cand.text) not in lex.phrases)


def _creator_ok(cand: _Entity, text: str, low: str, lex: Lexicon) -> bool:
    """Names: full multi-word names after almost any cue; a bare last name or a one-word
    artist only where the sentence says it is a creator ("by Tolkien", "from Monochord")."""
    capitalised = text[cand.start:cand.start + 1].isupper()
    by_cue = bool(_BY_CUE_RE.search(cand.cue_text))
    possessive = _WORKS_AFTER_RE.match(low, cand.end)
    if all(w in _TITLE_STOP for w in fold(cand.text).split()):
        return False  # some band is called "This One"; "more like this one" is still not about it
    if cand.surname:  # "by Tolkien", "Dickens's novels"; not "Science-Fiction Film"
        return by_cue or (capitalised and low[cand.end:cand.end + 2] == "'s")
    if not cand.strong:  # a one-word name
        if phrase_key(cand.text) in lex.phrases and not by_cue:
            return False  # "I love Jazz" is the genre, whatever band is called Jazz
        return by_cue or (capitalised and (cand.cue in ("creator", "like", "sim") or bool(possessive)))
    if cand.cue in ("creator", "like", "sim", "dislike") or possessive:
        return True  # a disliked name is kept as an entity (so it is no title) but not as a creator
    return cand.cue is None and capitalised


def _title_ok(cand: _Entity, lex: Lexicon) -> bool:
    cue, post, span = cand.cue, cand.post, cand.text
    if cue in (None, "creator") and (post is None or not cand.strong):
        return False
    key = phrase_key(span)
    low_words = fold(span).replace("'", "").split()
    capital_title = bool(cand.ref) and span[:1].isupper() and span != "I"
    if capital_title and cue not in (None, "sim", "creator"):
        return True  # a catalog title written as a name: "I loved Aliens", "I've seen Up"
    if not key or all(w in _TITLE_STOP for w in low_words):
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


def _assign_entities(low: str, entities: list[_Entity], out: Extraction) -> None:
    for ent in entities:
        if ent.kind == "creator":
            if ent.cue != "dislike" and not _negated_before(low, ent.start):
                _add(out.creators, ent.ref or ent.text)
            continue
        if ent.ref:
            out.title_ids[ent.text] = ent.ref
        for kind in _title_kinds(ent.cue, ent.post, low, ent.start):
            _add(getattr(out, f"{kind}_titles"), ent.text)


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


def _negated_before(low: str, pos: int) -> bool:
    """Is there a negative cue earlier in the same clause?"""
    start = _clause_start(low, pos)
    last = None
    for m in _CUE_RE.finditer(low, start, pos):
        last = m.lastgroup
    return last == "neg"


def _find_references(work: _Masked, titles: list[_Entity], out: Extraction) -> None:
    """"not that one", "seen it", "loved the first one": items on screen, or a title just named.

    "it" is the nearest title named before it in the utterance, else the item shown last."""

    def referent(m: re.Match) -> str:
        if m.group("ref") == "it":
            before = [t.text for t in titles if t.end <= m.start()]
            if before:
                return before[-1]
        ordinal = m.groupdict().get("ord")
        return _ORDINALS[ordinal] if ordinal else REF_LAST

    for m in _REF_JUDGED_RE.finditer(work.text):  # "..., it was great"
        _add(out.liked_titles if m.group("good") else out.disliked_titles, referent(m))
        work.blank(m.start(), m.end())
    for m in _REF_RE.finditer(work.text):
        cue, ref = m.group("cue"), referent(m)
        if _SEEN_WORD_RE.search(cue):  # "my kids have watched it": seen in this household too
            _add(out.seen_titles, ref)
        elif _OTHER_SUBJECT_RE.search(work.text, max(0, m.start() - 30), m.start()):
            continue  # "my kids loved it" is their taste, not the user's
        elif _LIKE_WORD_RE.match(cue):
            subject = _SUBJECT_END_RE.search(work.text, max(0, m.start() - 20), m.start())
            if cue in ("like", "love") and not subject:
                continue  # "something like that" is a figure of speech; "I like that one" is not
            _add(out.liked_titles, ref)
        else:
            _add(out.disliked_titles, ref)
        work.blank(m.start(), m.end())


def _add(values: list[str], value: str) -> None:
    if value and value.lower() not in (v.lower() for v in values):
        values.append(value)


# -- years -----------------------------------------------------------------------------------


def _decade_range(m: re.Match) -> tuple[int, int] | None:
    gd = m.groupdict()
    if gd.get("dfull"):
        century, digit = int(gd["dfull"]), int(gd["dd"])
        if digit == 0 and century < 20:  # "1800s", "1900s": a century
            return _part(century * 100, 100, gd.get("part"))
        lo = century * 100 + digit * 10
    elif gd.get("dshort"):
        d = int(gd["dshort"])
        lo = (2000 if d <= 1 else 1900) + d * 10  # "10s" is the 2010s, "20s" the 1920s
    elif gd.get("dword"):
        d = _DECADE_WORDS[gd["dword"]]
        lo = (2000 if d < 20 else 1900) + d
    else:
        return None
    return _part(lo, 10, gd.get("part"))


def _part(lo: int, span: int, part: str | None) -> tuple[int, int]:
    """A decade (span 10) or century (span 100), or its early / mid / late part:
    x0-x3, x4-x6, x7-x9 of a decade; 1800-1839, 1840-1869, 1870-1899 of a century."""
    if part is None:
        return lo, lo + span - 1
    first, last = {"early": (0, 3), "mid": (4, 6), "late": (7, 9)}[part]
    unit = span // 10
    return lo + first * unit, lo + last * unit + unit - 1


def _year_value(raw: str | None) -> tuple[int, int] | None:
    """A year or a decade in a before/after phrase, as (first year, last year)."""
    if raw is None:
        return None
    if re.fullmatch(_YEAR, raw):
        return int(raw), int(raw)
    sub = _YEAR_RES["decade"].search(raw)
    return _decade_range(sub) if sub else None


# Each year phrase gives bounds: ("range", lo, hi) for "the 90s", ("min", y, _) / ("max", y, _)
# for "after" / "before". None means "not a year phrase after all" (the text stays).
_Bound = tuple[str, int, int]


def _between(m: re.Match, text: str, ref_year: int) -> list[_Bound] | None:
    a, b = int(m.group("a") or m.group("a2")), int(m.group("b") or m.group("b2"))
    return [("range", a, b)] if a <= b and b - a < 300 else None


def _before(m: re.Match, text: str, ref_year: int) -> list[_Bound] | None:
    v = _year_value(m.group("y"))
    return [("max", v[0] - 1, 0)] if v else None


def _until(m: re.Match, text: str, ref_year: int) -> list[_Bound] | None:
    v = _year_value(m.group("y"))
    return [("max", v[1], 0)] if v else None


def _after_year(m: re.Match, text: str, ref_year: int) -> list[_Bound] | None:
    v = _year_value(m.group("y"))
    return [("min", v[1] + 1, 0)] if v else None


def _since(m: re.Match, text: str, ref_year: int) -> list[_Bound] | None:
    v = _year_value(next(g for g in m.groups() if g))
    return [("min", v[0], 0)] if v else None


def _century(m: re.Match, text: str, ref_year: int) -> list[_Bound] | None:
    if m.group("rel"):
        lo, hi = (2000, ref_year) if m.group("rel") == "this" else (1900, 1999)
    elif m.group("c2"):
        lo, hi = _part(int(m.group("c2")) * 100, 100, None)
    else:
        lo, hi = _part(_ORDINAL_CENTURY[m.group("c")], 100, m.group("cpart"))
    return [("range", lo, hi)]


def _decade(m: re.Match, text: str, ref_year: int) -> list[_Bound] | None:
    if _DECADE_NEG_RE.search(text, max(0, m.start() - 30), m.start()):
        return []  # "not from the 80s": no range can say that; drop the phrase
    r = _decade_range(m)
    return [("range", *r)] if r else None


def _recent(m: re.Match, text: str, ref_year: int) -> list[_Bound] | None:
    if m.group("this"):  # "this year's", "last year"
        y = ref_year if m.group("this") == "this" else ref_year - 1
        return [("range", y, y)]
    if m.group("decade"):
        floor = ref_year - 10
    elif m.group("n"):
        n = m.group("n")
        floor = ref_year - (int(n) if n.isdigit() else _SMALL_NUMBERS[n])
    else:
        floor = ref_year - RECENT_SPAN
    return [("min", floor, 0)]


def _bare_year(m: re.Match, text: str, ref_year: int) -> list[_Bound] | None:
    if text[m.start() - 1 : m.start()] == "(" and text[m.end() : m.end() + 1] == ")":
        return []  # "Paranormal Activity (2007)": a title's year label, not a wish for that year
    y = int(m.group("y"))
    return [("range", y, y)] if 1870 <= y <= ref_year + 2 else None


_YEAR_HANDLERS = {
    "between": _between,
    "not_before": lambda m, text, ref: [("min", int(m.group("y")), 0)],  # "nothing before 1980": min 1980
    "not_after": lambda m, text, ref: [("max", int(m.group("y")), 0)],
    "before": _before,
    "until": _until,
    "after": _after_year,
    "since": _since,
    "century": _century,
    "decade": _decade,
    "recent": _recent,
    "year": _bare_year,
}


def _find_years(work: _Masked, ref_year: int) -> tuple[int | None, int | None]:
    """Year bounds. Ranges ("70s or 80s") are joined; min/max bounds then narrow them.
    Phrases used are blanked, so "90s" is not read again as a facet or a bare year."""
    bounds: list[_Bound] = []
    for name, rx in _YEAR_RES.items():
        handler = _YEAR_HANDLERS[name]
        for m in list(rx.finditer(work.text)):
            found = handler(m, work.text, ref_year)
            if found is None:
                continue
            bounds += found
            work.blank(m.start(), m.end())
    ranges = [(lo, hi) for kind, lo, hi in bounds if kind == "range"]
    mins = [lo for kind, lo, _ in bounds if kind == "min"]
    maxes = [lo for kind, lo, _ in bounds if kind == "max"]
    if ranges:
        mins.append(min(r[0] for r in ranges))
        maxes.append(max(r[1] for r in ranges))
    lo, hi = max(mins, default=None), min(maxes, default=None)
    if lo is not None and hi is not None and lo > hi:
        return None, None  # contradictory phrases: trust neither
    return lo, hi


# -- domain ----------------------------------------------------------------------------------


def _find_domain(low: str, entities: list[_Entity]) -> str | None:
    """The domain asked for: the last one named, unless two are offered as alternatives."""
    mentions: list[tuple[int, int, str]] = []
    starts = {e.start for e in entities if e.kind == "title"}
    for m in _DOMAIN_RE.finditer(low):
        before = low[max(0, m.start() - 40):m.start()]
        is_verb = m.group().startswith(_DOMAIN_VERBS)
        if (_DOMAIN_NEG_RE.search(before) and not is_verb) or _DOMAIN_QUALIFIER_RE.search(before):
            continue  # "no more movies" is not a wish for movies; "not watch anything violent" still is
        if _THE_END_RE.search(before) and any(0 < s - m.end() <= 3 for s in starts):
            continue  # "the movie Inception": names a title, not a wish
        mentions.append((m.start(), m.end(), m.lastgroup or ""))
    if not mentions:
        return None
    last = mentions[-1]
    for prev in reversed(mentions[:-1]):
        if prev[2] == last[2]:
            continue
        if _DOMAIN_OR_RE.match(low[prev[1]:last[0]]):
            return None  # "books or movies"
        break
    return last[2]


# -- facets ----------------------------------------------------------------------------------


def _find_moods(work: _Masked) -> list[_Hit]:
    hits: list[_Hit] = []
    for rx, targets in MOODS:
        for m in rx.finditer(work.text):
            t = targets if isinstance(targets, dict) else {None: targets}
            hits.append(_Hit(m.start(), m.end(), t))
            work.blank(m.start(), m.end())
    for m in _EMOJI_RE.finditer(work.text):
        hits.append(_Hit(m.start(), m.end(), {None: EMOJI[m.group()]}))
    return hits


def _find_facets(work: _Masked, lex: Lexicon, domain: str | None) -> list[_Hit]:
    """Longest lexicon phrase at each position, over stemmed words with mild typo repair."""
    raw = list(_FACET_WORD_RE.finditer(work.text))
    words = [(_ELISION_RE.sub("", m.group()).replace("'", "").replace("&", "and"), m.start(), m.end())
             for m in raw]
    tokens: list[str] = []
    for (w, _, _), m in zip(words, raw, strict=True):
        s = stem(w)
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
        hit = _Hit(words[i][1], words[j - 1][2], targets)
        (music_words if j - i == 1 and tokens[i] in MUSIC_ONLY else hits).append(hit)
        i = j
    if domain == "music" or (domain is None and any(_music_only(h, lex) for h in hits)):
        hits += music_words
    return hits


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
                   domain: str | None, out: Extraction) -> None:
    """Give each facet mention a polarity from the cues around it, then resolve synonyms.

    `low` is the text with facets in place (for cues after a facet), `blanked` has them
    blanked (for clause boundaries and list glue). `hits` and `cues` are sorted."""
    polarity: dict[str, str] = {}
    strength: dict[str, int] = {}  # how the deciding mention named the facet (see _mention_strength)
    hit_starts = [h.start for h in hits]
    cue_ends = [c[1] for c in cues]
    prev_clause_pol = "pos"
    uncued: list[str] = []  # facets of the last clause that no cue touched ("Horror? Nope.")
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
            cued = pre is not None or bool(inherit) or _post_cue(after) is not None
            facets = lex.resolve(hit.targets, domain)
            for facet in facets:
                rank = _mention_strength(facet, low[hit.start:hit.end], facets)
                if strength.get(facet, -1) > rank and polarity[facet] != pol:
                    continue  # "I like comedy but not slapstick" keeps comedy
                strength[facet] = rank
                polarity.pop(facet, None)  # otherwise the latest mention decides, and its order counts
                polarity[facet] = pol
                if not cued:
                    uncued.append(facet)
        prev_clause_pol = pol
    revision = bool(_REVISION_RE.search(low))
    for facet, pol in polarity.items():
        if pol == "pos":
            out.likes.append(facet)
            if revision:
                out.reversals.append(facet)
        elif pol == "neg":
            out.dislikes.append(facet)
        else:
            out.reversals.append(facet)


def _mention_strength(facet: str, surface: str, facets: tuple[str, ...]) -> int:
    """2: the facet itself ("comedy"); 1: its synonym ("funny"); 0: one of several facets a
    word stands for ("slapstick" is slapstick and comedy). A weaker mention never flips
    the polarity a stronger one gave."""
    if phrase_key(facet) == phrase_key(surface):
        return 2
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
