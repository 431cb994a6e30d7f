"""Constants and hand-written word tables: the catalog-independent vocabulary of the layer.

Folds of catalog spellings, free facets, aliases (what people say -> facets), stop and chat words,
emoji and mood phrases. Data only, so every other module can import it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

MAX_CHARS = 2000  # longer input is cut: nobody types a facet after 2,000 characters
MAX_CANDIDATES = 150  # title/creator candidates examined per utterance (bounds the worst case)
MAX_MENTIONS = 64  # facet mentions kept per utterance
# "Recent" is relative to today (`this_year()`), or to a reference year the caller passes: a
# benchmark of dialogues from 2018 passes 2018. REF_YEAR is the reference of the hand-labelled
# extraction set (bench/data/extraction_labels.jsonl: "recent" is labelled from 2018).
REF_YEAR = 2023
RECENT_SPAN = 5  # years that count as "recent"; the app's setting is ScoringConfig.recent_years
NOT_OLD_SPAN = 25  # "nothing too old" / 不要太老的: wider than "recent", it only rules out the old
REF_LAST = "@last"



def this_year() -> int:
    """Today's year: what "recent" and "this year" are relative to in the app."""
    return date.today().year


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
    # books: stories of a family (Little Women is "Family life", The Railway Children "Families")
    "family": ("family", "families", "family life", "family relationships"),
}

# Kinds of a genre that the catalog tags without the genre itself (A Nightmare on Elm Street is
# "Slasher, Supernatural", never "Horror"): a hard dislike of the genre rules these out as well.
NARROWER: dict[str, tuple[str, ...]] = {
    "horror": ("slasher", "found footage", "vampires"),
    "comedy": ("satire", "slapstick"),
    "thriller": ("suspense",),
    "crime": ("noir",),
    "romance": ("erotic",),
}

# Facets no catalog tag carries; kept so the retriever can search for them as text.
FREE_FACETS = frozenset({
    "feel-good", "mind-bending", "thought-provoking", "violence", "gore", "dark", "gritty", "sad",
    "cheesy", "cozy", "quirky", "epic", "slow", "upbeat", "slapstick", "heist",
})
# What such a facet means, embedded in its place: the bare word "sad" sat nearest to titles with sad
# words ("Terrible, Horrible, No Good, Very Bad Day", "Failure to Launch"), not to sad stories.
FACET_MEANINGS: dict[str, str] = {
    "sad": "a sad, moving, tragic drama about loss, grief, illness or death that makes you cry",
    "feel-good": "a warm, uplifting, heartwarming feel-good story with a happy ending",
    "mind-bending": "a mind-bending, twisty puzzle about dreams, memory, time or reality",
    "thought-provoking": "a thought-provoking, intelligent story about big questions of society and life",
    "dark": "a dark, bleak, disturbing story",
    "gritty": "a gritty, raw, realistic story set on hard streets",
    "cozy": "a cozy, gentle, comforting story of village life, friendship and small mysteries",
    "quirky": "a quirky, offbeat, eccentric comedy",
    "epic": "an epic, sweeping, grand-scale saga",
    "cheesy": "a cheesy, campy, over-the-top guilty pleasure",
    "upbeat": "upbeat, energetic, happy music",
    "heist": "a heist: a crew of thieves plans and pulls off a robbery",
}
# Where no catalog tag carries such a facet, a film whose description says it in plain words carries it
# (Context: tag matches, the best-known channel, dislikes). Narrow on purpose: "death" alone is every
# horror film, "dream" every Nightmare on Elm Street; and a grieving hero does not make John Wick sad
# (CUE_NOT_WITH: tags of items the cue cannot make so).
CUE_NOT_WITH: dict[str, frozenset[str]] = {
    "sad": frozenset({"action", "comedy", "horror", "slasher", "thriller", "humorous stories",
                      "comedy plays"}),
}
DESCRIPTION_CUES: dict[str, str] = {
    "heist": r"\b(?:heists?|robbery|robberies|bank robbers?|caper|con artists?|con m[ae]n|safecrackers?|"
             r"(?:gang|crew|band|team) of (?:thieves|robbers|criminals|con artists))\b",
    "sad": r"\b(?:tragic|tragedy|tragedies|grief|griev(?:e|es|ed|ing)|terminally ill|"
           r"terminal (?:illness|cancer)|"
           r"mourn(?:s|ed|ing)?|heartbreak(?:ing)?|tearjerker|melodrama|bereave(?:d|ment)|"
           r"(?:dying|late|dead|deceased) (?:wife|husband|mother|father|son|daughter|child|friend)|"
           r"(?:loss|death) of (?:his|her|their) (?:wife|husband|mother|father|son|daughter|child|friend))\b",
    "feel-good": r"\b(?:heart-?warming|uplifting|feel-good|life-affirming)\b",
    "mind-bending": r"\b(?:mind-bending|time loops?|alternate realit(?:y|ies)|dreams within dreams|paradox|"
                    r"(?:questions?|nature of) (?:his|her|their|our)? ?(?:reality|identity)|"
                    r"simulated reality|parallel (?:worlds?|universes?))\b",  # not amnesia: 50 First Dates
}

_KIDS: Targets = {None: ("family", "animated"), "movie": ("family", "animated"),
                  "book": ("children's books",), "music": ()}
_CHILL: Targets = {None: ("ambient", "downtempo"), "music": ("ambient", "downtempo"),
                   "movie": ("feel-good",), "book": ("cozy",)}
_INDIE: Targets = {None: ("indie",), "music": ("indie",), "movie": ("independent",), "book": ()}
_YOUNG: Targets = {None: ("teen",), "movie": ("teen",), "book": ("children's books",), "music": ()}
_FEEL_GOOD = ("feel-good", "comedy", "family")
# no album is tagged "upbeat": in music it implies styles that are ("upbeat music for a party" had got jazz)
UPBEAT: Targets = {None: ("upbeat",), "music": ("upbeat", "pop", "disco", "house", "funk"),
                   "movie": ("upbeat",), "book": ("upbeat",)}

# what people say -> facets. Keys are matched as whole (stemmed) word sequences.
# the nations whose fiction the catalog shelves as "<nation> fiction"
NATIONS = ("american", "canadian", "english", "french", "german", "italian", "japanese", "norwegian",
            "polish", "russian", "spanish", "swedish")
ALIASES: dict[str, tuple[str, ...] | Targets] = {
    # science fiction
    **dict.fromkeys(("sci-fi", "sci fi", "scifi", "syfy", "science-fiction", "space opera", "cyberpunk",
                     "aliens", "alien invasion", "outer space", "set in space",
                     "ciencia ficcion", "fantascienza"), ("science fiction",)),
    # the book shelf "Dystopias" (13 of them); films have only science fiction
    **dict.fromkeys(("dystopian", "dystopia", "dystopias"), {None: ("science fiction",),
                                                           "movie": ("science fiction",),
                                                           "book": ("dystopias", "science fiction"),
                                                           "music": ()}),
    # horror and its neighbours
    **dict.fromkeys(("scary", "spooky", "creepy", "frightening", "terrifying", "horrifying", "zombie",
                     "zombies", "terror", "horreur"), ("horror",)),
    "halloween": {None: ("horror",), "movie": ("horror",), "book": ("horror",), "music": ()},
    # music as a film's or book's subject: "about music" names no domain (bot/understand/domain.py)
    **dict.fromkeys(("about music", "about musicians", "about a musician", "about a band", "about bands",
                     "music biopic", "music biopics"),
                    {None: ("music",), "movie": ("music",), "book": ("music",), "music": ()}),
    **dict.fromkeys(("music documentary", "music documentaries"), ("music", "documentary")),
    **dict.fromkeys(("strong female lead", "strong female character", "strong female protagonist",
                     "female protagonist", "female lead", "strong heroine", "strong women", "a heroine"),
                    {None: (), "book": ("women",), "movie": (), "music": ()}),
    **dict.fromkeys(("ghost", "ghosts", "haunted", "haunting", "ghost story"),
                    ("supernatural", "ghost stories")),
    "paranormal": ("supernatural",),
    "gothic horror": ("gothic", "horror"),
    "space adventure": ("science fiction", "adventure"),
    **dict.fromkeys(("space movie", "space movies", "space film", "space films"), ("science fiction",)),
    **dict.fromkeys(("psychological novel", "psychological novels"), ("psychological fiction",)),
    # pets and animals as children say them
    **dict.fromkeys(("bunny", "bunnies"), ("rabbits",)),
    **dict.fromkeys(("kitty", "kitties", "kitten", "kittens"), ("cats",)),
    **dict.fromkeys(("puppy", "puppies", "doggo", "doggos"), ("dogs",)),
    **dict.fromkeys(("pony", "ponies"), ("horses",)),
    **dict.fromkeys(("docs", "docos", "docu", "docuseries"), ("documentary",)),
    # a stop word elsewhere ("a compilation of essays"), but "no compilations" is about albums
    **dict.fromkeys(("compilation", "compilations", "compilation albums", "various artists"),
                    {None: (), "music": ("compilation",), "movie": (), "book": ()}),
    **dict.fromkeys(("gore", "gory", "splatter", "blood and guts", "blood", "bloody"), ("gore",)),
    **dict.fromkeys(("violence", "violent", "brutal", "brutality"), ("violence",)),
    # comedy and romance
    "slapstick": ("slapstick", "comedy"),
    **dict.fromkeys(("funnier", "lighter"), ("comedy",)),
    **dict.fromkeys(("scarier", "creepier", "spookier"), ("horror",)),
    **dict.fromkeys(("electronique", "elektronisch", "electronica"), ("electronic",)),
    **dict.fromkeys(("animacion", "animacao", "animation japonaise"), ("animated",)),
    **dict.fromkeys(("ninos", "enfants", "kinder", "bambini"), _KIDS),
    **dict.fromkeys(("funny", "hilarious", "humorous", "comedic", "witty", "laughs",
                     "stand-up", "standup", "comedia", "comedie", "komodie"), ("comedy",)),
    **dict.fromkeys(("romcom", "rom-com", "rom com", "romantic comedy"), ("romance", "comedy")),
    **dict.fromkeys(("romantic", "love story", "romantique", "romantica", "romantisch", "fall in love",
                     "falling in love", "falls in love"), ("romance",)),
    # mystery, crime, thriller
    **dict.fromkeys(("whodunit", "whodunnit", "detective", "detectives", "detective story",
                     "murder mystery", "sleuth", "policier"), ("mystery",)),
    **dict.fromkeys(("heist", "heists", "caper", "robbery", "bank robbery"), ("crime", "heist")),
    **dict.fromkeys(("gangster", "gangsters", "mafia", "mob", "krimi"), ("crime",)),
    **dict.fromkeys(("cop", "cops", "policeman", "policemen", "police officers"), ("police",)),
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
                     "wholesome", "hopeful", "optimistic", "life-affirming"), _FEEL_GOOD),
    **dict.fromkeys(("light-hearted", "lighthearted"), ("feel-good", "comedy")),
    **dict.fromkeys(("mind-bending", "mind bending", "mindbending", "mind-blowing", "mind blowing",
                     "mindblowing", "trippy", "twisty", "plot twist", "plot twists", "twist ending",
                     "twists"), ("mind-bending",)),
    **dict.fromkeys(("thought-provoking", "thought provoking", "cerebral"), ("thought-provoking",)),
    **dict.fromkeys(("confusing", "convoluted", "hard to follow", "twistier"), ("mind-bending",)),
    **dict.fromkeys(("gorier", "bloodier"), ("gore",)),
    "gruesome": ("violence",),
    # "nothing where the dog dies": a sad ending, not dogs
    **dict.fromkeys(("a good cry", "good cry", "make me cry", "cry my eyes out", "the dog dies", "dog dies",
                     "the dog die", "the pet dies", "the animal dies"), ("sad",)),
    **dict.fromkeys(("ai", "a.i.", "artificial intelligence"), ("artificial intelligence",)),
    **dict.fromkeys(("dark", "bleak", "grim", "gloomy", "dreary", "darker", "bleaker", "grimmer"), ("dark",)),
    "gritty": ("gritty",),
    **dict.fromkeys(("sad", "depressing", "tearjerker", "tearjerkers", "tear-jerker", "weepy", "melancholy",
                     "melancholic"), ("sad",)),
    **dict.fromkeys(("cheesy", "corny", "cheesier", "cornier", "sappy", "schmaltzy", "saccharine"),
                    ("cheesy",)),
    **dict.fromkeys(("cozy", "cosy", "comfy"), ("cozy",)),
    # "nothing too intense": thrills and violence, not a genre of its own
    **dict.fromkeys(("intense", "nerve-wracking", "harrowing"), {None: ("thriller",), "movie": ("thriller",),
                                                                 "book": ("thriller",), "music": ()}),
    **dict.fromkeys(("quirky", "offbeat"), ("quirky",)),
    "epic": ("epic",),
    **dict.fromkeys(("slow", "slow-paced", "slow paced", "slow burn"), ("slow",)),
    **dict.fromkeys(("upbeat", "energetic", "high-energy", "high energy", "danceable"), UPBEAT),
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
    "football": {None: ("sports",), "movie": ("sports",), "book": ("football",), "music": ()},
    **dict.fromkeys(("baseball", "basketball", "boxing"), ("sports",)),
    **dict.fromkeys(("period drama", "period dramas", "costume drama"), ("historical", "drama")),
    "period piece": ("historical",),
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
    **dict.fromkeys(("love poems", "love poem", "love poetry", "love sonnets"), ("love", "poetry")),
    **dict.fromkeys(("stage plays", "theatre plays", "theater plays"), ("plays",)),
    # "a classic Russian novel": the catalog's national fiction shelf, not books about Russians
    **{f"{nation} {kind}": (f"{nation} fiction",) for nation in NATIONS
       for kind in ("novel", "novels", "novelist", "novelists", "fiction", "literature", "lit", "classic",
                    "classics")},
    **dict.fromkeys(("nautical", "seafaring", "sailing", "at sea"), ("sea stories",)),
    **dict.fromkeys(("trains", "railways", "steam trains", "railroads"), ("railroads",)),
    **dict.fromkeys(("about space", "in space", "space travel", "space exploration", "astronauts"),
                    ("outer space",)),
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
    **dict.fromkeys(("no vocals", "without vocals", "no lyrics", "without lyrics", "no singing",
                     "nothing with vocals", "without any vocals", "vocal-free", "no vocal",
                     "nothing with singing", "without singing", "no words", "without words", "with no words",
                     "no singers"),
                    ("instrumental",)),
    "jazzy": ("jazz",),
    "folky": ("folk",),
}

def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Everyday chat words of 5+ letters that typo repair must leave alone.
CHAT_WORDS = _wordset("""
    amazing awesome boring brilliant cheers crappy dunno fantastic gonna gotta hello honestly kinda lately
    adaption adaptions adaptation adaptations
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
    enjoyed overrated underrated scares scared scare likes loves adores enjoys wants prefers
    arent isnt dont doesnt didnt wont cant couldnt wouldnt shouldnt wasnt werent havent hasnt youre theyre
    thats whats gears switching confusing vibes sequels remakes faves fave favs fav bangers banger
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
    grandfather grandfathers grandmother grandmothers grandparents grandpa grandma teacher teachers author
    authors writer writers students student parents
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
_CHILD_AGE = "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"  # a child's age
_NUM = r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
# what an occasion guesses (MOODS below and bot/understand/zh_vocab.py): a light read for the beach or a
# holiday, a page-turner for a long journey, rock and pop for the drive, a romantic comedy with one's partner
HOLIDAY: Targets = {None: ("comedy", "adventure", "romance"), "book": ("comedy", "adventure", "romance"),
                    "movie": ("comedy", "adventure"), "music": ("pop",)}
JOURNEY: Targets = {None: ("adventure", "mystery", "thriller"), "book": ("adventure", "mystery", "thriller"),
                    "movie": ("comedy", "adventure"), "music": ()}
DRIVE: Targets = {None: ("rock", "pop"), "music": ("rock", "pop"), "movie": ("comedy", "adventure"),
                  "book": ()}
COUPLE: Targets = {None: ("romance", "comedy"), "movie": ("romance", "comedy"), "book": (), "music": ()}
_PARTNER = r"(?:my|the) (?:girlfriend|boyfriend|gf|bf|wife|husband|partner|fianc[ée]e?|other half)"
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
                rf"\bsuitable for (?:kids|children)\b|\b(?:[1-9]|1[0-2])\s*(?:yo|y/o|yr olds?)\b|"
                rf"\b(?:nephews?|nieces?|sons?|daughters?|grandsons?|granddaughters?|godsons?|goddaughters?|"
                rf"godchildren|godchild|kids?|boys?|girls?)\s+"
                rf"(?:\(\s*|(?:turns?|turning|is|who'?s|aged|age)\s+)(?:[1-9]|1[0-2]|{_CHILD_AGE})\b(?![\d:%])|"
                rf"\b(?:he|she)(?:'s| is| turns| turned| just turned)\s+(?:[1-9]|1[0-2]|{_CHILD_AGE})"
                rf"(?:\s+(?:years? old|next \w+|soon|in \w+))?\s*(?:[.,!?;]|$)"),
     _KIDS),
    (re.compile(r"\bdate night\b|\bromantic (?:evening|night|dinner)\b|\bvalentine'?s?(?: day)?\b|"
                r"\bfirst date\b|\bfor (?:a|our|my) date\b"),
     ("romance",)),
    (_SLEEP_RE := re.compile(r"\b(?:fall asleep|sleep|nap) to\b|\bfor (?:sleep|sleeping|bedtime)\b"),
     {None: ("ambient",), "music": ("ambient",), "movie": (), "book": ()}),
    (_STUDY_RE := re.compile(r"\b(?:for|while|when)\s+(?:i'?m\s+|i\s+)?(?:study|studying|work|working|"
                             r"focus|focusing|concentrating|coding|programming)\b|\bhelp me (?:focus|"
                             r"concentrate)\b|\bto (?:study|work|focus|code) to\b"),
     {None: ("ambient", "instrumental"), "music": ("ambient", "instrumental"), "movie": (), "book": ()}),
    (_PARTY_RE := re.compile(r"\bfor (?:a |the |my )?(?:party|parties|workout|gym|run|running|dancing)\b|"
                             r"\bto (?:dance|work out|run) to\b"),
     {None: ("upbeat",), "music": UPBEAT["music"], "movie": (), "book": ()}),
    # something on in the background: light, no thinking needed
    (re.compile(r"\b(?:nothing|something|anything) that (?:needs|requires|takes) (?:much |a lot of |my )?"
                r"(?:attention|thought|thinking|concentration|brainpower)\b|\b(?:doesn'?t|does not|won'?t) "
                r"(?:need|require|take) (?:much |a lot of |my )?(?:attention|thought|thinking|"
                r"concentration)\b|"
                r"\b(?:switch|turn) (?:my |your )?brain off\b|\bmindless\b|\bin the background\b"),
     {None: ("feel-good", "comedy"), "movie": ("feel-good", "comedy"), "book": ("feel-good", "comedy"),
      "music": ("ambient",)}),
    (re.compile(r"\bedge[- ]of[- ](?:my|your|the)[- ]seat\b|\bkeeps? (?:me|you) guessing\b"), ("thriller",)),
    (re.compile(r"\bmake (?:me|us) cry\b|\ba good cry\b"), ("sad",)),
    # "less graphic please": violence shown ("a graphic novel" is a form)
    (re.compile(r"\bgraphic\b(?!\s+novels?\b)"), ("violence",)),
    (re.compile(r"\bsomething light\b|\b(?:easy|light) (?:to )?(?:watch|read)\b|\bnot too heavy\b|"
                r"\bnothing (?:too )?heavy\b"),
     ("feel-good", "comedy")),
    (_RAINY_RE := re.compile(r"\brainy (?:day|afternoon|evening|sunday|weekend)\b|\bcurl up with\b|"
                             r"\bby the fire\b"),
     ("cozy",)),
    # a read or a film for the beach or a holiday: light and entertaining, not about beaches
    (_HOLIDAY_RE := re.compile(r"\b(?:for|at|on|by|to)\s+(?:the\s+)?(?:beach|pool|poolside|seaside)\b|"
                               r"\bbeach (?:reads?|reading|books?|holiday|vacation|trip)\b|"
                               r"\b(?:summer|holiday|vacation) (?:reads?|reading)\b|"
                               r"\bfor (?:my|our|the|a)\s+(?:summer\s+)?(?:holiday|holidays|vacation)\b|"
                               r"\bon (?:holiday|vacation)\b"),
     HOLIDAY),
    # a long journey: a page-turner to read, something easy to watch
    (_JOURNEY_RE := re.compile(r"\b(?:on|for|during)\s+(?:a|the|my|our)?\s*(?:long\s+|overnight\s+|"
                               r"long-haul\s+|transatlantic\s+|\d+[- ]hours?\s+)?(?:flight|plane ride|plane|"
                               r"train ride|train journey|train trip|bus ride|commute|journey)\b|"
                               r"\bon the (?:plane|train|bus|subway|tube)\b|"
                               # "long train ride tomorrow, need a book": the trip, not railways
                               r"\b(?:long|overnight|long-haul|\d+[- ]hours?)\s+(?:flight|plane ride|"
                               r"train ride|train journey|train trip|bus ride|journey)\b"),
     JOURNEY),
    # a film to watch with one's partner: a romantic comedy is the usual guess (a genre said wins)
    (_COUPLE_RE := re.compile(rf"\b(?:watch|see|movie night|film night|netflix|film|movie|flick|night in)\b"
                              rf"[^.!?]{{0,40}}?\bwith {_PARTNER}\b(?!'s)|\bwith {_PARTNER} tonight\b"),
     COUPLE),
    (_DRIVE_RE := re.compile(r"\broad ?trips?\b|\b(?:for|while|when)\s+(?:i'?m\s+)?driving\b|"
                             r"\bfor (?:the|a|my|our) (?:long\s+)?(?:drive|car ride)\b"),
     DRIVE),
    (re.compile(r"\bblows? (?:my|your) mind\b|\bmess(?:es)? with (?:my|your) head\b"), ("mind-bending",)),
    (re.compile(r"\bmakes? (?:me|you) think\b"), ("thought-provoking",)),
]
# occasions, not wishes: what they give is implied ("music for studying" implies ambient; nobody said it)
OCCASIONS = (_SLEEP_RE, _STUDY_RE, _PARTY_RE, _RAINY_RE, _HOLIDAY_RE, _JOURNEY_RE, _DRIVE_RE, _COUPLE_RE)
# occasions whose facets are only a guess at a genre: "a scary book for the beach" wants horror alone
OCCASION_GUESSES = (_HOLIDAY_RE, _JOURNEY_RE, _DRIVE_RE, _COUPLE_RE)
# what a said facet implies when one word gives both ("feel good" -> feel-good, comedy, family): the implied
# ones rank but are not shown back as said. "romantic comedy" says both of its facets.
IMPLIES: dict[str, frozenset[str]] = {
    "feel-good": frozenset({"comedy", "family"}), "family": frozenset({"animated"}),
    # no film is tagged cozy: alone it had found horror for "something cozy to watch tonight"
    "cozy": frozenset({"feel-good"}),
    "ambient": frozenset({"downtempo"}), "lo-fi": frozenset({"downtempo"}),
    "crime": frozenset({"heist"}),  # "a heist movie" is said as crime; heist narrows it (DESCRIPTION_CUES)
    "upbeat": frozenset({"pop", "disco", "house", "funk"}),
}


def overruled_guesses(guessed: set[str], said: set[str], polarity: dict[str, str]) -> set[str]:
    """The facets only an occasion's guess gave (`guessed`) that a genre said in the same message overrules:
    "a scary book for the beach", 飞机上看的恐怖小说 want horror alone."""
    return guessed if any(pol == "pos" and facet in said for facet, pol in polarity.items()) else set()


def implied_among(facets: tuple[str, ...] | list[str], occasion: bool = False) -> dict[str, str]:
    """The facets of one mention that are only implied, each with the facet that implies it; an occasion
    ("for studying") implies all of its facets, by no said facet ("")."""
    if occasion:
        return dict.fromkeys(facets, "")
    return {f: g for f in facets for g in reversed(facets) if g != f and f in IMPLIES.get(g, ())}
