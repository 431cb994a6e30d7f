"""The deterministic understanding layer (bot/understand/) and the dialogue state (bot/state.py).

The lexicon and the title linker are built once from the real demo catalog. Latency is measured by
bench/bench_understand.py, not asserted here.
"""

from __future__ import annotations

import datetime
import importlib.util
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.state import Constraints, DialogueState, Facet
from bot.understand import MAX_CHARS, REF_LAST, Extraction, extract
from retrieval.items import DOMAINS

REPO = Path(__file__).resolve().parent.parent
LABELS = REPO / "bench" / "data" / "extraction_labels.jsonl"

# Measured micro-F1 on the labelled set is 0.997 (see bench/results/extraction.json); the
# floor sits 0.03 below it so a real regression fails but small label edits do not. (Fresh
# utterances written after the rules were tuned scored 0.945-0.964 before their fixes.)
# Rows whose labels the later conventions read otherwise: "Nope, not that one, I've seen it" (seen only, not
# disliked too) and "now something for adults" (less of what is for children, a soft dislike; the label has
# no dislike) cost .003; the floor sits at .965 with them.
MICRO_F1_FLOOR = 0.965


def _load_eval_module():
    spec = importlib.util.spec_from_file_location("extraction_eval", REPO / "bench" / "extraction_eval.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# -- (1) the labelled set ----------------------------------------------------------------


def test_labelled_set_is_well_formed(lexicon, catalog_items):
    rows = [json.loads(line) for line in LABELS.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(rows) >= 170
    titles = {i.title.lower() for i in catalog_items}
    for row in rows:
        for field in ("likes", "dislikes", "reversals"):
            for facet in row[field]:
                assert lexicon.is_facet(facet), (row["text"], facet)
        for field in ("liked_titles", "disliked_titles", "seen_titles"):
            for title in row[field]:
                assert title.startswith("@") or title.lower() in titles, (row["text"], title)
        assert row["domain"] in (None, *DOMAINS)


def test_labelled_set_regression_floor(understand):
    ev = _load_eval_module()
    result = ev.evaluate(understand, ev.load_rows(LABELS))
    assert result["micro"]["f1"] >= MICRO_F1_FLOOR, json.dumps(result["errors"][:10], indent=1)


def test_evaluate_scores_any_callable():
    """The scorer takes plain dicts too, so an LLM layer can be measured the same way."""
    ev = _load_eval_module()
    rows = [{"text": "x", "likes": ["horror"], "dislikes": [], "reversals": [],
             "liked_titles": ["The Matrix"], "disliked_titles": [], "seen_titles": [],
             "domain": "movie", "year_min": None, "year_max": None, "creators": []}]
    pred = {"likes": ["Horror ", "comedy"], "liked_titles": ["the matrix!"], "domain": "book"}
    result = ev.evaluate(lambda _text: pred, rows, warmup=0)
    assert result["fields"]["likes"]["tp"] == 1 and result["fields"]["likes"]["fp"] == 1
    assert result["fields"]["liked_titles"]["f1"] == 1.0
    assert result["fields"]["domain"]["fp"] == 1 and result["fields"]["domain"]["fn"] == 1
    assert result["n"] == 1 and len(result["errors"]) == 1


# -- (2) behaviour -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, facet",
    [
        ("not horror", "horror"),
        ("anything but animated films", "animated"),
        ("I can't stand musicals", "musical"),
        ("no more musicals", "musical"),
        ("nothing scary", "horror"),
        ("I hate gore", "gore"),
        ("a thriller without violence", "violence"),
        ("I'm not into romance", "romance"),
        ("avoid slashers", "slasher"),
        ("no westerns please", "western"),
        ("Westerns aren't my thing", "western"),
        ("I'm sick of superhero movies", "superhero"),
        ("Horror? Nope.", "horror"),
        ("horror 👎", "horror"),
    ],
)
def test_negation_forms(understand, text, facet):
    ex = understand(text)
    assert facet in ex.dislikes
    assert facet not in ex.likes


def test_dont_mind_is_not_a_dislike(understand):
    ex = understand("I don't mind violence")
    assert "violence" not in ex.dislikes
    assert ex.reversals == ["violence"]


def test_contrast_does_not_flip(understand):
    ex = understand("not only horror but comedy")
    assert ex.likes == ["horror", "comedy"] and ex.dislikes == []


def test_scope_ends_at_clause_boundary(understand):
    ex = understand("no horror but I love thrillers")
    assert ex.dislikes == ["horror"] and ex.likes == ["thriller"]
    ex = understand("I like comedy, not drama")
    assert ex.likes == ["comedy"] and ex.dislikes == ["drama"]


def test_negation_carries_over_a_list(understand):
    assert understand("no horror, gore or musicals").dislikes == ["horror", "gore", "musical"]
    assert understand("not horror, comedy").likes == ["comedy"]  # no list: a contrast


def test_synonym_does_not_override_the_facet_itself(understand):
    ex = understand("I like comedy but not slapstick")
    assert ex.likes == ["comedy"] and ex.dislikes == ["slapstick"]


@pytest.mark.parametrize(
    "text",
    ["actually, musicals are fine", "I changed my mind about musicals", "musicals are back on the table",
     "ok, I'll give musicals another chance"],
)
def test_reversals(understand, text):
    ex = understand(text)
    assert ex.reversals == ["musical"]
    assert "musical" not in ex.dislikes


@pytest.mark.parametrize(
    "text, lo, hi",
    [
        ("90s crime thriller", 1990, 1999),
        ("something from the '90s", 1990, 1999),
        ("1990s movies", 1990, 1999),
        ("music from the nineties", 1990, 1999),
        ("from the seventies", 1970, 1979),
        ("early 2000s comedies", 2000, 2003),
        ("mid-90s thrillers", 1994, 1996),
        ("late 80s horror", 1987, 1989),
        ("a 19th century novel", 1800, 1899),
        ("before 1990", None, 1989),
        ("after 2010", 2011, None),
        ("since 2010", 2010, None),
        ("from 2010 onwards", 2010, None),
        ("between 1995 and 2005", 1995, 2005),
        ("nothing before 1980", 1980, None),
        ("a movie from 1994", 1994, 1994),
        ("80s or 90s action", 1980, 1999),
    ],
)
def test_year_phrases(understand, text, lo, hi):
    ex = understand(text)
    assert (ex.year_min, ex.year_max) == (lo, hi)


def test_recent_is_relative_to_today_or_the_reference_year(understand):
    this_year = datetime.date.today().year
    assert understand("something recent").year_min == this_year - 5
    assert understand("something recent").recent and not understand("a movie from 1994").recent
    assert understand("something recent", ref_year=2030).year_min == 2025
    assert understand("new sci-fi films", ref_year=2023).year_min == 2018
    assert understand("the latest albums", ref_year=2018, recent_span=3).year_min == 2015
    assert understand("action, nothing older than ten years", ref_year=2026).year_min == 2016
    assert understand("a thriller, not older than 5 years", ref_year=2026).year_min == 2021
    assert understand("this year's best books").year_min == this_year


def test_nothing_too_old_rules_out_only_the_old(understand):
    assert understand("a comedy, nothing too old", ref_year=2026).year_min == 2001
    assert understand("a thriller, not too old please", ref_year=2026).year_min == 2001
    assert understand("my son is not too old for cartoons, a family movie").year_min is None
    assert understand("I'm not that old but I love 80s films").year_min == 1980


def test_a_title_is_not_a_year(understand):
    ex = understand("I loved 1917")
    assert ex.liked_titles == ["1917"] and ex.year_min is None


@pytest.mark.parametrize(
    "text, domain",
    [
        ("now a book for my dad", "book"),
        ("something to read on the train", "book"),
        ("something to listen to while I cook", "music"),
        ("an album please", "music"),
        ("a film for tonight", "movie"),
        ("I loved the movie Inception, any books like that?", "book"),
        ("no more movies, a novel this time", "book"),
        ("books or movies, I don't mind", None),
        ("hi there", None),
    ],
)
def test_domain(understand, text, domain):
    assert understand(text).domain == domain


def test_domain_hint_picks_synonym_facets_but_is_not_a_domain(understand):
    ex = understand("something for the kids", domain_hint="book")
    assert ex.domain is None and ex.likes == ["children's books"]
    kids = understand("something for the kids", domain_hint="movie")
    assert kids.likes == ["family"] and kids.implied_likes == {"animated": "family"}


@pytest.mark.parametrize(
    "text, creators",
    [
        ("directed by Christopher Nolan", ["Christopher Nolan"]),
        ("a novel by Jane Austen", ["Jane Austen"]),
        ("something from Monochord", ["Monochord"]),
        ("anything by Dickens?", ["Charles Dickens"]),
        ("books by Tolkien", ["J. R. R. Tolkien"]),  # not in the catalog: his full name, a known person
        ("Tom Hanks movies", ["Tom Hanks"]),
        ("nothing by Stephen King", []),
    ],
)
def test_creators(understand, text, creators):
    assert understand(text).creators == creators


@pytest.mark.parametrize(
    "text, name, role",
    [
        ("directed by Steven Spielberg", "Steven Spielberg", None),  # requirements: filters
        ("something by Stephen King", "Stephen King", None),
        ("I want a Nolan film", "Christopher Nolan", None),
        ("starring Tom Hanks only", "Tom Hanks", None),
        ("a Steven Spielberg adventure", "Steven Spielberg", None),
        ("Anything with Leonardo DiCaprio?", "Leonardo DiCaprio", None),
        ("is that the one with Emily Blunt?", "Emily Blunt", "mention"),  # asides and warmth: soft
        ("wasn't Tom Hanks in that?", "Tom Hanks", "mention"),
        ("I love Morgan Freeman", "Morgan Freeman", "like"),
        ("I like Tom Hanks", "Tom Hanks", "like"),
        ("my wife likes Tom Hanks, something funny", "Tom Hanks", "like"),
        ("a mystery in the vein of Agatha Christie", "Agatha Christie", "style"),
        ("something like H. G. Wells", "H. G. Wells", "style"),
        ("something by a director like Christopher Nolan", "Christopher Nolan", "style"),
    ],
)
def test_creator_roles(understand, text, name, role):
    ex = understand(text)
    assert name in ex.creators and ex.creator_roles.get(name) == role, ex.to_dict()
    assert (name in ex.hard_creators()) == (role is None)


@pytest.mark.parametrize(
    "text, name",
    [("nothing by Stephen King", "Stephen King"), ("a thriller, not Nolan", "Christopher Nolan"),
     ("no Tarantino please", "Quentin Tarantino"), ("I don't want anything by Stephen King", "Stephen King")],
)
def test_negated_creators_are_excluded(understand, text, name):
    ex = understand(text)
    assert ex.excluded_creators == [name] and name not in ex.creators


def test_a_role_before_like_names_the_domain_and_is_no_facet(understand):
    ex = understand("an artist like Aphex Twin")  # not in the catalog: kept as said
    assert ex.domain == "music" and ex.creator_roles == {"Aphex Twin": "style"} and ex.likes == []
    assert understand("something by a director like Christopher Nolan").domain == "movie"


@pytest.mark.parametrize("text", [
    "is that the one with Robin Williams",  # no question mark
    "I'm looking for something like The Hole (2001), with Keira Knightley.",  # about the film named
    "That is with Jeff Goldblum, I don't think I have seen it.",
    "I have heard of it but never seen it. With Jim Carrey, right?",
    # found replaying ReDial train-part dialogues through the filters: each had become a hard limit
    "Another great movie is Cold Mountain (2003) with Nicole Kidman and Jude Law",  # both said of it
    "And the other movie with Ryan Gosling is the movie i love.",
    "Oh nice! With Bruce Willis. Yes, I've seen that and liked it a lot",
    "With Drew Barrymore, such a good movie",
    "It sounds kind of different from Stephen King's normal stuff. Any other suggestions?",
    "Kevin Spacey is starring in it with Kate Winslet, it is about a man accused of murder",
    "Tom Hanks is really great in that",
    "Awesome Sean Penn movie",  # praise of the film just named
    "Classic Tom Hanks film!",
    "its a Clint Eastwood film I think",
])
def test_asides_about_one_film_are_mentions(understand, text):
    ex = understand(text)
    assert ex.creators and ex.hard_creators() == [] and set(ex.creator_roles.values()) == {"mention"}


@pytest.mark.parametrize(("text", "dislikes"), [
    ("Not quite a comedy but I have seen It (2017) and loved it", []),  # what one film is
    ("I didn't like that movie. It wasn't a horror movie. I want something with gore", []),
    ("Paranormal Activity (2007) isn't really my type of horror either", []),  # a horror fan speaking
    ("not quite a thriller, more of a drama please", []),
    ("I'm not really a horror fan", ["horror"]),  # still a dislike
    ("I'm not quite a horror fan", ["horror"]),
    ("horror isn't my thing", ["horror"]),
])
def test_what_one_film_is_not_is_no_dislike(understand, text, dislikes):
    assert understand(text).dislikes == dislikes


@pytest.mark.parametrize(("text", "hard"), [
    ("a comedy with Jim Carrey and Adam Sandler", ["Jim Carrey", "Adam Sandler"]),  # both asked for
    ("Any good ones with Helen Hunt? Or Jack Nicholson?", ["Helen Hunt", "Jack Nicholson"]),
    ("With Tom Hanks please", ["Tom Hanks"]),
    ("Stephen King's novels please", ["Stephen King"]),
])
def test_names_asked_for_together_are_all_asked_for(understand, text, hard):
    assert understand(text).hard_creators() == hard


def test_a_first_name_of_someone_else_is_no_last_name(understand):
    """"Dean Koontz" (not in the catalog) had required films with Loren Dean."""
    ex = understand("nothing by Stephen King or Dean Koontz")
    assert ex.excluded_creators == ["Stephen King"] and ex.creators == []


def test_a_liked_person_named_after_praise_is_not_excluded(understand):
    ex = understand("I saw John Wick but not yet John Wick: Chapter 2, Keanu Reeves is the best")
    assert ex.excluded_creators == []
    assert understand("I like films by Michael Mann").creator_roles == {"Michael Mann": "like"}
    assert understand("racism by white people").creators == []  # a last name alone must be a Name


@pytest.mark.parametrize(("text", "dislikes"), [
    ("I have not seen that one- is it scary?!", []),  # a question about a film, not a ban
    ("Isn't that a children's movie?", []),
    ("It doesn't have to be animation.", []),
    ("i want too see comedy movies", []),
    ("a thriller but not too scary", ["horror"]),
])
def test_questions_and_tolerance_are_no_bans(understand, text, dislikes):
    ex = understand(text)
    assert ex.dislikes == dislikes
    assert ex.soft_dislikes == dislikes  # "not too scary" asks for less, not none


@pytest.mark.parametrize(("text", "domain"), [
    ("a good children's movie to watch with my kids, we enjoy ones with lots of good music", "movie"),
    ("I love the songs from Moana, can you think of another movie that has great songs too?", "movie"),
    ("I'm looking for a movie based off a book series", "movie"),
    ("but probably not into comic book heroes", None),
    ("I was reading that Natalie Portman got an award", None),
    ("a movie about music", "movie"),
    ("I love music", "music"),
])
def test_a_domain_word_naming_a_feature_is_no_domain(understand, text, domain):
    assert understand(text).domain == domain


def test_likes_is_no_typo_of_lakes(understand):
    assert understand("my wife likes Tom Hanks").likes == []


def test_less_is_a_soft_dislike_and_a_synonym_like_is_indirect(understand):
    assert understand("less scary please").soft_dislikes == ["horror"]
    assert understand("no horror").soft_dislikes == []
    assert understand("a zombie movie").indirect_likes == ["horror"]
    assert understand("a horror movie").indirect_likes == []


def test_titles_and_references(understand):
    ex = understand("I loved Inception")
    assert ex.liked_titles == ["Inception"] and ex.title_ids["Inception"] == "movie:wp:Inception"
    assert understand("something like The Matrix").liked_titles == ["The Matrix"]
    assert understand("I can't stand Titanic").disliked_titles == ["Titanic"]
    assert understand("I've seen Alien").seen_titles == ["Alien"]
    assert understand("not that one").disliked_titles == [REF_LAST]
    assert understand("I liked the second one").liked_titles == ["@2"]
    ex = understand("I've seen Alien and loved it")
    assert ex.seen_titles == ["Alien"] and ex.liked_titles == ["Alien"] and ex.likes == []


def test_titles_without_a_linker(lexicon):
    ex = extract("I loved The Matrix, Heat too", lexicon)
    assert ex.liked_titles == ["The Matrix", "Heat"] and ex.title_ids == {}
    # without the index, "and" between capitals may be part of a title ("Pride and Prejudice")
    assert extract("I loved Pride and Prejudice", lexicon).liked_titles == ["Pride and Prejudice"]


def test_title_linker_prefers_the_longest_span(linker):
    spans = dict(linker("I watched the dark knight rises twice"))
    assert "the dark knight rises" in spans
    assert "the dark knight" not in spans


@pytest.mark.parametrize(
    "text, facet",
    [
        ("I love sciense fiction", "science fiction"),
        ("some horor movies", "horror"),
        ("comdey please", "comedy"),
        ("no musicls", "musical"),
    ],
)
def test_typos_one_edit_away(understand, text, facet):
    ex = understand(text)
    assert facet in ex.likes + ex.dislikes


def test_ordinary_words_are_not_corrected(understand):
    assert understand("that was boring").likes == []  # not "boxing"
    assert understand("the hours fly by").likes == []  # not "horror" or "house"


def test_moods(understand):
    """What a mood says comes first; what it only implies ranks the same but is not shown back as said."""
    bad_day = understand("after a terrible day")
    assert bad_day.likes == ["feel-good"] and bad_day.implied_likes == {"comedy": "feel-good"}
    assert understand("family night with a 6-year-old").likes == ["family"]
    chilled = understand("chilled electronic music")
    assert chilled.likes == ["ambient", "electronic"] and chilled.implied_likes == {"downtempo": "ambient"}
    assert understand("a mind-bending movie").likes == ["mind-bending"]
    study = understand("lofi beats to study to")  # an occasion implies, it says nothing
    assert study.likes == ["lo-fi"] and set(study.implied_likes) == {"ambient", "instrumental"}


def test_occasions_guess_a_genre_that_a_genre_said_overrules(understand):
    """"A book for the beach" is about a light read, not beaches: the occasion implies what suits it; a genre
    said with it ("a scary book for the beach") decides alone. A beach that is the subject stays one."""
    beach = understand("a book for the beach")
    assert beach.likes == [] and set(beach.implied_likes) == {"comedy", "adventure", "romance"}
    assert all(by == "" for by in beach.implied_likes.values())
    scary = understand("a scary book for the beach")
    assert scary.likes == ["horror"] and scary.implied_likes == {}
    flight = understand("something to read on a long flight")
    assert flight.likes == [] and set(flight.implied_likes) == {"adventure", "mystery", "thriller"}
    drive = understand("music for a road trip")
    assert drive.domain == "music" and set(drive.implied_likes) == {"rock", "pop"}
    assert understand("a movie set on a beach").likes == ["beaches"]
    assert set(understand("lofi beats to study to").implied_likes) == {"ambient", "instrumental"}  # no guess
    zh = understand("飞机上看的书")
    assert zh.likes == [] and set(zh.implied_likes) == {"adventure", "mystery", "thriller"}
    zh_horror = understand("飞机上看的恐怖小说")
    assert zh_horror.likes == ["horror"] and zh_horror.implied_likes == {}
    assert set(understand("去海边度假带本书").implied_likes) == {"comedy", "adventure", "romance"}
    date = understand("something to watch with my girlfriend tonight, she hates horror")
    assert date.likes == [] and date.dislikes == ["horror"]
    assert set(date.implied_likes) == {"romance", "comedy"}
    assert understand("a horror movie to watch with my boyfriend").implied_likes == {}
    assert set(understand("周末想和女朋友一起看部电影").implied_likes) == {"romance", "comedy"}
    assert understand("a book for my wife").implied_likes == {}  # a gift, not a date


def test_upbeat_music_implies_the_styles_albums_are_tagged_with(understand):
    party = understand("upbeat music for a party")
    assert party.likes == ["upbeat"] and set(party.implied_likes) == {"pop", "disco", "house", "funk"}
    gym = understand("music for the gym, no pop")
    assert gym.dislikes == ["pop"] and "pop" not in gym.implied_likes and "disco" in gym.implied_likes
    assert understand("an upbeat movie").implied_likes == {}


def test_the_opposite_of_a_scene_is_no_wish_for_it(understand):
    """What comes before "I need the (complete) opposite" is what the wish is set against."""
    punk = understand("a jazz brunch with my boss on friday so tonight I need the complete opposite. punk")
    assert punk.likes == ["punk"]
    soft = understand("my uncle plays 80s rock bands at every family dinner. I want the exact opposite for "
                      "my own headphones, something soft and ambient")
    assert soft.likes == ["ambient"] and soft.year_min is None and soft.year_max is None
    film = understand("my flatmate has watched Top Gun: Maverick 6 times this week. I need the opposite. "
                      "a slow drama")
    assert film.liked_titles == [] and film.seen_titles == [] and "drama" in film.likes
    assert (film.domain or film.implied_domain) == "movie"
    assert understand("I want the opposite of boring: a thriller").likes == ["thriller"]


def test_a_ban_taken_back_because_it_now_sounds_fun(understand):
    back = understand("ok I know I said no horror earlier but the bf is away this weekend and honestly a "
                      "horror movie on my own sounds kind of fun now")
    assert back.likes == ["horror"] and back.reversals == ["horror"] and not back.dislikes
    assert understand("I said no horror but I'm not having fun with these picks").dislikes == ["horror"]


def test_chinese_topics_essays_birds_and_fighting(understand):
    assert understand("不想看打打杀杀的，来点温情的").dislikes == ["violence"]
    assert understand("想读点散文或者诗").likes == ["essays", "poetry"]
    assert understand("我妈迷上了观鸟，想送她一本讲鸟的书").likes == ["birds"]


def test_lexicon_folds_catalog_spellings(lexicon):
    assert "Detective and mystery stories" in lexicon.tags_for("mystery", "book")
    assert lexicon.tags_for("mystery", "movie") == ["Mystery"]
    assert lexicon.in_domain("ambient", "music") and not lexicon.in_domain("ambient", "movie")


def test_chit_chat_gives_nothing(understand):
    for text in ("hi!", "thanks, that's perfect", "what's it about?", "are you a robot?", "🙂", ""):
        assert understand(text).is_empty(), text


def test_long_hostile_inputs_still_give_an_extraction(understand):
    """Full-length runs of cues, capitalised pairs and a misspelling (timed in bench/bench_understand.py)."""
    cues, caps, typos = (understand(text) for text in (
        "no horror, I loved The Matrix by Stephen King from the 90s 😂 " * 40,
        "Aa Bb " * 400,
        "horor " * 400,
    ))
    for ex in (cues, caps, typos):
        assert isinstance(ex, Extraction)
        _check_types(ex)
    assert "horror" in cues.dislikes and cues.liked_titles == ["The Matrix"]
    assert (cues.year_min, cues.year_max) == (1990, 1999)
    assert caps.is_empty()
    assert typos.likes == ["horror"]


# -- (3) never raises ---------------------------------------------------------------------

_TRICKY = list("abcXYZ ,.;!?'\"-&()\n\t\x00\x1b\u202e\u200f\ufeff😂👻🚀👎🎷é") + [
    "horror", "not ", "no ", "but ", "I loved ", "The Matrix", "90s", "1999", "by ", "Stephen King",
    "that one", "שלום", "مرحبا", "漫画", "'s", "anything but ", "don't mind ", "İ", "ß", "ﬁ",
]
_TEXTS = st.one_of(
    st.text(),
    st.text(max_size=4000),
    st.lists(st.sampled_from(_TRICKY), max_size=400).map("".join),
)
_LIST_FIELDS = (
    "likes", "dislikes", "reversals", "liked_titles", "disliked_titles", "seen_titles", "creators",
)


def _check_types(ex: Extraction) -> None:
    for name in _LIST_FIELDS:
        value = getattr(ex, name)
        assert isinstance(value, list) and all(isinstance(v, str) and v for v in value), name
    assert ex.domain is None or ex.domain in DOMAINS
    for name in ("year_min", "year_max"):
        assert getattr(ex, name) is None or isinstance(getattr(ex, name), int)
    if ex.year_min is not None and ex.year_max is not None:
        assert ex.year_min <= ex.year_max
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in ex.title_ids.items())


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=_TEXTS)
def test_extract_never_raises(understand, text):
    _check_types(understand(text))


def test_huge_input_is_cut(understand):
    ex = understand("I hate gore. " + "x" * 1_000_000 + " I love horror")
    _check_types(ex)
    assert ex.dislikes == ["gore"] and ex.likes == []  # the end lies past MAX_CHARS
    assert MAX_CHARS == 2000


def test_a_broken_linker_is_ignored(lexicon):
    def broken(_text):
        raise RuntimeError("index offline")

    assert extract("I loved Inception, sci-fi please", lexicon, broken).likes == ["science fiction"]


# -- (4) the dialogue state ---------------------------------------------------------------


def _state() -> DialogueState:
    return DialogueState(
        turn=3,
        likes=[Facet("science fiction", 1), Facet("mind-bending", 2, 0.5)],
        liked_items=["movie:wp:Inception"],
        dislikes=[Facet("horror", 1, 1.25)],
        disliked_items=["movie:wp:Titanic_(1997_film)"],
        constraints=Constraints(domain="movie", year_min=1990, year_max=None, creators=["Christopher Nolan"]),
        seen=["movie:wp:Alien_(film)"],
        rejected=["movie:wp:Heat_(1995_film)"],
        recommended=["movie:wp:Heat_(1995_film)", "book:pg:35"],
        last_shown=["book:pg:35"],
    )


def test_state_json_round_trip():
    state = _state()
    assert DialogueState.from_json(state.to_json()) == state
    assert DialogueState.from_json(DialogueState().to_json()) == DialogueState()
    odd = DialogueState(likes=[Facet("Ünïcode «quoted» 😂", 0, 0.1)])
    assert DialogueState.from_json(odd.to_json()) == odd


def test_state_summary():
    assert _state().summary() == {
        "likes": ["science fiction", "mind-bending"],
        "liked_items": ["movie:wp:Inception"],
        "dislikes": ["horror"],
        "people": [],
        "novelty": False,
        "constraints": {
            "domain": "movie", "year_min": 1990, "year_max": None, "creators": ["Christopher Nolan"],
            "excluded_creators": [],
        },
    }


def test_state_remove_tag():
    state = _state()
    assert state.remove_tag("likes", "Science  Fiction")  # compared like facets are
    assert state.summary()["likes"] == ["mind-bending"]
    assert not state.remove_tag("likes", "science fiction")
    assert state.remove_tag("dislikes", "horror") and state.dislikes == []
    assert state.remove_tag("liked_items", "movie:wp:Inception") and state.liked_items == []
    assert state.remove_tag("creators", "christopher nolan") and state.constraints.creators == []
    assert not state.remove_tag("domain", "book")  # a value that does not match
    assert state.remove_tag("domain") and state.constraints.domain is None
    assert state.remove_tag("year_min", 1990) and state.constraints.year_min is None
    with pytest.raises(ValueError):
        state.remove_tag("moods", "x")


def test_state_like_and_dislike_replace_each_other():
    state = DialogueState(turn=2)
    state.add_dislike("musical")
    state.add_like("musical")
    assert [f.text for f in state.likes] == ["musical"] and state.dislikes == []
    state.add_dislike("musical")
    assert state.accept("musical") and state.dislikes == [] and state.likes == []


@pytest.mark.parametrize(("text", "liked"), [
    ("Heat, Scarface, The Godfather — that's my taste. Hit me.", ["Heat", "Scarface", "The Godfather"]),
    ("After Toy Story and Finding Nemo my kids want more of the same", ["Toy Story", "Finding Nemo"]),
    ("Did Spielberg direct Jurassic Park? Loved that one.", ["Jurassic Park"]),
    ("Seen Alien and Aliens, all great. More in that vein?", ["Alien", "Aliens"]),
    ("who played the Joker in The Dark Knight?", []),
    # "for tonight" names no film called Tonight (found chatting as a new user); a capitalised one does
    ("I loved Inception and Interstellar, something mind-bending for tonight?",
     ["Inception", "Interstellar"]),
    ("I loved Tonight, such a good film", ["Tonight"]),
])
def test_titles_held_up_as_a_taste_are_liked_and_titles_in_questions_are_not(understand, text, liked):
    assert sorted(understand(text).liked_titles) == sorted(liked)


@pytest.mark.parametrize(("text", "excluded"), [
    ("A tense thriller to watch tonight. Just not Nolan.", ["Christopher Nolan"]),
    ("Explosions and car chases, yes. Michael Bay, no.", ["Michael Bay"]),
    ("My sister won't shut up about Jane Austen, but I want an adventure book", []),
])
def test_a_person_is_ruled_out_only_when_the_negation_is_about_them(understand, text, excluded):
    assert understand(text).excluded_creators == excluded


@pytest.mark.parametrize("text", [
    "I saw 1922 on Netflix and loved it",  # the film called 1922, not the year
    "I don't think it was scary",  # a remark about one film, not a dislike of horror
    "I don't consider that a historical drama of course.",
])
def test_remarks_about_one_item_set_no_limits(understand, text):
    ex = understand(text)
    assert ex.year_min is None and ex.year_max is None and not ex.dislikes and not ex.likes, ex


@pytest.mark.parametrize(("text", "field", "value"), [
    ("I already read Frankenstein and Dracula", "seen_titles", ["Frankenstein", "Dracula"]),
    ("Knives Out was so much fun, more whodunits please", "liked_titles", ["Knives Out"]),
    ("Titanic was way too long", "disliked_titles", ["Titanic"]),
    ("Nolan's out, I've seen them all", "excluded_creators", ["Christopher Nolan"]),
    ("The Shining gave me chills, loved it", "likes", []),  # no chill-out music
])
def test_lists_names_and_figures_of_speech(understand, text, field, value):
    assert getattr(understand(text), field) == value


@pytest.mark.parametrize("text", [
    "I haven't seen many new movies",  # no wish for new ones
    "I liked the new one also",  # one film, not recent films
    "Did you see 2012 (2009)?",  # the film called 2012
    "2001: A Space Odyssey is another favorite",
    "I'm a 90's baby",  # an age
])
def test_years_said_about_something_else_are_no_limits(understand, text):
    ex = understand(text)
    assert ex.year_min is None and ex.year_max is None, ex


def test_a_definite_thing_is_no_domain_wish(understand):
    assert understand("he throws the book out the window").domain is None
    assert understand("back to the books").domain == "book"


@pytest.mark.parametrize(("text", "field", "value"), [
    ("heat, ronin and collateral. more like those pls", "liked_titles", ["heat", "ronin", "collateral"]),
    ("done with nolan. mind-bending sci-fi from anyone else", "excluded_creators", ["Christopher Nolan"]),
    ("90s crime thrillers, no tarantino", "likes", ["crime", "thriller"]),  # the "no" was about him
    ("nothing by conan doyle, i've read all of his", "excluded_creators", ["Arthur Conan Doyle"]),
    ("i loved up and her", "liked_titles", []),  # lowercase everyday words are no titles
])
def test_people_who_write_without_capitals(understand, text, field, value):
    assert getattr(understand(text), field) == value


def test_compilations_are_an_album_facet_only_about_music(understand):
    assert understand("no compilations", domain_hint="music").dislikes == ["compilation"]
    assert understand("a compilation of short stories").likes == ["short stories"]
    romcom = understand("a romantic comedy")  # one word can say two facets: both are said
    assert sorted(romcom.likes) == ["comedy", "romance"] and not romcom.implied_likes


# -- found on the v4 blind set once it was opened for development (bench/data/understand_v4.md) ------------


@pytest.mark.parametrize(("text", "field", "value"), [
    ("Don't recommend me anything by Jane Austen, but I do want a romance novel", "excluded_creators",
     ["Jane Austen"]),
    ("I'd love a book by Jules Verne", "creators", ["Jules Verne"]),  # a wish, not a taste
    ("Who else writes the way Agatha Christie does? Not her though", "excluded_creators",
     ["Agatha Christie"]),
    ("Did Greta Gerwig also direct Barbie? If so, give me more of her films.", "creators", ["Greta Gerwig"]),
    ("ok horror's fine again, my sister went home", "reversals", ["horror"]),
    ("romance's out", "dislikes", ["romance"]),
    ("I know I said no violence earlier, but some is fine if the story's strong", "reversals", ["violence"]),
    ("之前说不要恐怖的，现在可以了", "reversals", ["horror"]),
    ("Ugh, #1 was cheesy as hell. Something less sappy?", "dislikes", ["cheesy"]),
    ("Ugh, #1 was cheesy as hell. Something less sappy?", "disliked_titles", ["@1"]),
    ("#2 looks boring", "disliked_titles", ["@2"]),
    ("I loved Heat, it was dark and gritty", "likes", ["dark", "gritty"]),  # praise, not a fault
    ("it scarred me 😂 but I do want a romance novel", "likes", ["romance"]),  # a laugh, not a wish
    ("zombie movies but funny pls 😂", "likes", ["horror", "comedy"]),
    ("the cheesier the better, 80s action movies", "likes", ["cheesy", "action"]),
    ("a space movie", "likes", ["science fiction"]),
])
def test_v4_people_reversals_and_faults(understand, text, field, value):
    assert getattr(understand(text), field) == value


@pytest.mark.parametrize(("text", "domain"), [
    ("actually forget movies, what about a book for the plane?", "book"),
    ("something that feels like a Christopher Nolan film, twisty", "movie"),  # only the comparison names one
    ("a novel a bit like a Wes Anderson film", "book"),
    ("a horror movie that feels like this album", "movie"),
    ("something ambient for reading", None),  # when it plays, not books
    ("my grandpa only reads westerns", "book"),
    ("Are there other directors with a similar look?", "movie"),
])
def test_v4_domains(understand, text, domain):
    assert understand(text).domain == domain


@pytest.mark.parametrize(("text", "field", "value"), [
    ("sci fi films since 2018 that arent sequels", "likes", ["science fiction"]),  # "arent" is no "parents"
    ("hated tenet, way too confusing", "dislikes", ["mind-bending"]),
    ("something with robots but that isn't a kids film", "dislikes", ["family"]),  # not animation too
    ("already watched the first one", "implied_domain", "movie"),
    ("already read the first one, sorry", "implied_domain", "book"),
])
def test_v3_words_and_heads(understand, text, field, value):
    assert getattr(understand(text), field) == value


@pytest.mark.parametrize(("text", "domain"), [
    ("is there a documentary about hip hop?", "movie"),  # the form asked for, not its topic
    ("switching gears: a biopic about a musician?", "movie"),
    ("jk, I want a cookbook", "book"),
])
def test_a_form_names_the_domain_over_its_topic(understand, text, domain):
    ex = understand(text)
    assert (ex.domain or ex.implied_domain) == domain


@pytest.mark.parametrize("text", [
    "I like classics, but I will also watch new films",  # an addition, not a limit
    "I loved Grumpy Old Men! But I also like newer movies too!",
    "That's newer, I prefer vintage movies",  # a remark about one film
    "maybe not any films from the 80's though I did like those films",  # a decade ruled out is no range
])
def test_years_that_are_no_limit(understand, text):
    ex = understand(text)
    assert (ex.year_min, ex.year_max) == (None, None), ex


@pytest.mark.parametrize("text", [
    "We also really like Trolls, I think it had really good music, catchy stuff.",
    "Those songs in Moana sure are catchy!",
    "I really also like Mulan - there are some funny parts and some good music",
    "I have not! I'll add that to my playlist!",  # a film kept for later
    "what movies would you recommend if I liked movies with really good sound tracks",
    "We also really like Trolls, the music is super catchy!",
])
def test_music_said_of_a_film_is_no_switch_to_music(understand, text):
    """Found replaying ReDial train-part dialogues through the filters: each switched a film chat to music."""
    assert understand(text).domain in (None, "movie")


@pytest.mark.parametrize(("text", "domain"), [
    ("some good music for the car", "music"),
    ("are there any new albums like that?", "music"),
    ("songs in Spanish please", "music"),
])
def test_music_asked_for_still_switches(understand, text, domain):
    assert understand(text).domain == domain


@pytest.mark.parametrize("text", [
    "We are in our twenties and like movies like Fargo",  # an age, not the 1920s
    "she is in her early 30s and loves thrillers",
    "i love all movies esp.. scary happy 2018!!!!",  # a greeting
    "I liked this years The Disaster Artist. Something like it?",  # one film described
    "I haven't heard of it but it's a 2018 movie.",
    "Okay. The Shape of Water is a recent film.",
    "He wasn't the joker in that movie. That was in the 80s",
    "I like Pulp Fiction. I don't tend to watch newer movies",  # a recency turned down
    "I really like the original Halloween, not so much the one from 2007",  # which version
    "I just watched the most recent season.",
])
def test_a_year_that_describes_one_thing_or_the_user_is_no_limit(understand, text):
    """Found replaying ReDial train-part dialogues through the filters (where these had ruled out the
    films the recommender then named)."""
    ex = understand(text)
    assert (ex.year_min, ex.year_max) == (None, None), ex


@pytest.mark.parametrize(("text", "lo", "hi"), [
    ("a movie that is a 90s classic", 1990, 1999),
    ("this year's best thrillers", None, None),  # a range: checked below
    ("I want a recent film", "recent", None),
    ("a horror movie from 2018", 2018, 2018),
])
def test_the_same_words_as_a_wish_still_limit(understand, text, lo, hi):
    ex = understand(text)
    if lo == "recent":
        assert ex.year_min is not None and ex.year_max is None, ex
    elif lo is None:
        assert ex.year_min is not None and ex.year_min == ex.year_max, ex
    else:
        assert (ex.year_min, ex.year_max) == (lo, hi), ex


def test_a_year_label_picks_the_film_of_that_year(linker):
    (span, item_id), = linker("I really enjoyed Friday the 13th (1980)")
    assert span == "Friday the 13th" and "1980" in item_id


@pytest.mark.parametrize(("text", "field", "value"), [
    ("skip the big names, some lesser-known post-rock", "disliked_titles", []),  # "big" goes on: no film
    ("loved Prisoners and Sicario, what else has Denis Villeneuve directed?", "hard_creators",
     ["Denis Villeneuve"]),
    ("novels like Edith Wharton's but by other writers please", "excluded_creators", ["Edith Wharton"]),
    ("my all time faves r Alien, The Thing and Jaws", "liked_titles", ["Alien", "The Thing", "Jaws"]),
    ("70s or earlier only, rock albums", "year_max", 1979),
    ("70s or earlier only, rock albums", "year_min", None),
    ("also nothing older than like 2000", "year_min", 2000),
    ("also nothing older than like 2000", "disliked_titles", []),  # a year, not the film "2000"
    ("studying in edinburgh this year, any feel-good films?", "year_min", None),  # when they are, not a wish
    ("a new thriller from this year", "year_max", 2026),
    ("homesick af 😭 any feel-good films", "likes", ["feel-good"]),  # a crying face beside no wish
    ("I very much enjoyed Moby-Dick.", "liked_titles", ["Moby-Dick"]),
    ("I'd like it to star Clint Eastwood if possible", "hard_creators", ["Clint Eastwood"]),
    ("halloween party playlist, dark electronic tracks", "likes", ["dark", "electronic"]),
    ("my 10yo wants pirate books", "likes", ["children's books", "pirates"]),
])
def test_v5_and_v6_development_rows(understand, text, field, value):
    got = getattr(understand(text, ref_year=2026), field)
    assert (got() if callable(got) else got) == value


@pytest.mark.parametrize(("text", "field", "value"), [
    # where the user is, what they have: no topic asked for
    ("driving nights thru nebraska all week, need music that keeps me awake", "likes", []),
    ("exchange student in ohio rn and homesick. need a feel-good book", "likes", ["feel-good"]),
    ("Not a problem.. I have puppies chewing on my toes HA", "likes", []),
    ("6 months on a container ship, so I'm loading up on books. sea stories please", "likes",
     ["sea stories"]),
    ("a novel set in ohio", "likes", ["ohio"]),  # ...but a setting asked for still counts
    ("books on ships please", "likes", ["ships"]),
    # the person named is ruled out once the user has had all of theirs, or asks for someone else
    ("she's read every single Agatha Christie, so someone else who writes like her please",
     "excluded_creators", ["Agatha Christie"]),
    ("a dark fairy-tale film like Guillermo del Toro makes, but not one of his, I've seen them all",
     "excluded_creators", ["Guillermo del Toro"]),
    ("did Sofia Coppola make Lost in Translation? if yes I want more of hers", "hard_creators",
     ["Sofia Coppola"]),
    ("Spielberg films from the 80s, the fun ones", "hard_creators", ["Steven Spielberg"]),
    ("a funny novel, maybe P. G. Wodehouse", "hard_creators", ["P. G. Wodehouse"]),
    ("Agatha Christie if possible", "hard_creators", ["Agatha Christie"]),
    # years: a setting, a widening, a put-down are no limits
    ("something with historical settings of the 1920s", "year_min", None),
    ("good movies from mid 2000's or earlier? Even the 1990's or 1980's", "year_max", 2006),
    ("good movies from mid 2000's or earlier? Even the 1990's or 1980's", "year_min", None),
    ("something sad, nothing newer than 1999 please, new stuff doesn't hit the same", "year_max", 1999),
    ("films from the last couple years that aren't superhero stuff", "year_min", 2024),
    # wanting more of it is no ban
    ("Happy Death Day was fun but not as scary as i hoped", "likes", ["horror"]),
    ("the last one wasn't funny enough", "dislikes", []),
    # references to the picks by number, or by what they are
    ("the 3rd one looks sick", "liked_titles", ["@3"]),
    ("watched number 4 already", "seen_titles", ["@4"]),
    ("I heard that too but yet to see it", "seen_titles", []),  # heard of it
    # a remark on one film's music names no domain
    ("Steven Price music awesome", "domain", None),
    ("I've joined the book club. they want a mystery", "domain", "book"),
    # ReDial-style remarks about one film name nobody as a limit (valid split, never test)
    ("Seven with Brad Pitt?", "hard_creators", []),
    ("With Johnny Depp? That sounds really good, i've never seen it.", "hard_creators", []),
    ("I did see that one. A Spielberg film with Daniel Day Lewis. It was very good.", "hard_creators", []),
    ("I did see that one. A Spielberg film with Daniel Day Lewis.", "seen_titles", ["@last"]),
    ("Hi, can you reccomend a good Hugh Jackman film?", "hard_creators", ["Hugh Jackman"]),
    ("I have heard The Big Sick (2017) is good, will have to find it", "seen_titles", []),
    ("I did not like the war movies that are not in english", "soft_dislikes", ["war"]),
    # from the v8 set
    ("something like Fabrizio Paterlini but not actually him. just piano", "excluded_creators",
     ["Fabrizio Paterlini"]),
    ("what's a less mainstream western? not the usual John Wayne stuff", "excluded_creators", ["John Wayne"]),
    ("nothing where people fall in love, had enough of that this year", "dislikes", ["romance"]),
    ("nothing where people fall in love, had enough of that this year", "year_min", None),
    ("film night with my 7 year old twins and my mother in law", "likes", ["family"]),
    ("amateur astronomer here. any other Stellardrone albums?", "likes", []),
    ("lo-fi has been played to death in here, maybe trip hop instead?", "dislikes", ["lo-fi"]),
    ("nah that last one looks way too gory for date night", "dislikes", ["gore"]),
    ("something hopeful? my dad's in rehab", "likes", ["feel-good"]),
    # ReDial-style turns from the train part (never test): remarks, comparisons, questions about a year
    ("I like everything but fantasy movies I especially like comedies", "likes", ["comedy"]),
    ("but a little more action than romance", "soft_dislikes", ["romance"]),
    ("Yes with Denzel Washington, great movie. Any suggestions?", "hard_creators", []),
    ("I saw that movie a long time ago. Good stuff with Russell Crowe.", "hard_creators", []),
    ("The ones with sigourney weaver were great.", "hard_creators", []),
    ("I usually like anything with Reese Witherspoon.", "hard_creators", []),
    ("films with Saoirse Ronan in them?", "hard_creators", ["Saoirse Ronan"]),  # still asked for
    ("we really enjoy the music!", "domain", None),
    ("from 1939?", "year_min", None),
    ("but being a kid from the 80's I like the original one better", "year_max", None),
    ("2016 til now out of the box", "year_max", None),
    ("2016 til now out of the box", "year_min", 2016),
    ("older or newer maybe", "year_min", None),
])
def test_v7_development_rows(understand, text, field, value):
    got = getattr(understand(text, ref_year=2026), field)
    assert (got() if callable(got) else got) == value


@pytest.mark.parametrize("text", [
    "my nephew turns 9 next week and he's obsessed with pirates. book ideas?",
    "my daughter is 6, any books about dinosaurs?",
    "a sea adventure book for my nephew, he turns 10",
])
def test_a_childs_age_says_who_the_book_is_for(understand, text):
    ex = understand(text)
    assert "children's books" in ex.likes or "children's books" in ex.implied_likes


def test_an_adults_age_is_no_audience(understand):
    ex = understand("my son is 25 and loves thrillers")
    audience = {"children's books", "family"}
    assert not audience & set(ex.likes) and not audience & set(ex.implied_likes)


def test_the_people_a_wish_is_for_are_no_topic(understand):
    assert "grandparents" not in understand("a movie my grandparents would enjoy").likes
    assert "grandparents" in understand("a book about my grandparents").likes
    assert "dogs" in understand("books about dogs, my dogs love being read to").likes


@pytest.mark.parametrize("text, liked, disliked, seen", [
    ("ok number 3 is going straight on my list", ["@3"], [], []),
    ("ooh that last pick is exactly my kind of thing, got more?", [REF_LAST], [], []),
    ("album one sounds like a dentist drill, hard pass", [], ["@1"], []),
    ("ugh I've watched the first and the third already", [], [], ["@1", "@3"]),
    ("read the 2nd one already, it was great actually", ["@2"], [], ["@2"]),
    ("the first two were great", ["@1", "@2"], [], []),
    ("第二首前奏一出来我就爱了", ["@2"], [], []),
    ("第四个 vibe 对了", ["@4"], [], []),
    ("第三部早看过了，第五部也是", [], [], ["@3", "@5"]),
    ("这本我上个月刚读完", [], [], [REF_LAST]),
    ("这个一看就不是我的菜，下一个", [], [REF_LAST], []),
    ("这本 too long 了，pass", [], [REF_LAST], []),
])
def test_a_verdict_on_a_shown_pick_is_read_wherever_it_stands(understand, text, liked, disliked, seen):
    ex = understand(text)
    assert (ex.liked_titles, ex.disliked_titles, ex.seen_titles) == (liked, disliked, seen)


@pytest.mark.parametrize("text", [
    "the last book I read was great", "my first album was great", "the second film in the series was great",
    "thanks!! gonna watch the 2nd one tonight", "对了，有没有科幻片"])
def test_words_that_only_look_like_a_verdict_on_a_pick_are_not_one(understand, text):
    ex = understand(text)
    assert not any(t.startswith("@") for t in ex.liked_titles + ex.disliked_titles + ex.seen_titles), ex


@pytest.mark.parametrize("text, likes", [
    ("tree surgeon, lots of driving between jobs. something downtempo", ["downtempo"]),
    ("harbour pilot, I bring the big ships in at night. old folk songs please", ["folk"]),
    ("I host a tiny college radio show at 2am. need trip hop nobody's heard of", ["trip hop"]),
    ("bridge inspector, lots of hotel nights. an adventure novel", ["adventure"]),
    ("I love books about ships", ["ships"]),
    ("nurse. something about hospitals but funny", ["hospitals", "comedy"]),
])
def test_what_users_say_about_their_own_work_is_not_a_wish(understand, text, likes):
    assert sorted(understand(text).likes) == sorted(likes)


@pytest.mark.parametrize("text, likes, dislikes", [
    ("read The Time Machine till the spine fell off, more sci-fi please", ["science fiction"], []),
    ("we put a film on in the salon, something funny", ["comedy"], []),
    ("downtempo, no rapping over it", ["downtempo"], ["rap"]),
    ("a romantc comedy", ["romance", "comedy"], []),
    ("a scary moive", ["horror"], []),
])
def test_ordinary_words_are_not_typos_but_typos_still_are(understand, text, likes, dislikes):
    ex = understand(text)
    assert set(likes) <= set(ex.likes) and ex.dislikes == dislikes
    assert not {"swine", "saxons", "trapping"} & set(ex.likes + ex.dislikes)


@pytest.mark.parametrize("text, facet", [
    ("ok ignore what I said earlier about no romance films, my gf is picking tonight", "romance"),
    ("I know I said no metal last time but tonight I actually need it", "metal"),
    ("forget what I said about no horror", "horror"),
])
def test_a_ban_taken_back_is_a_reversal(understand, text, facet):
    ex = understand(text)
    assert ex.reversals == [facet] and facet not in ex.dislikes


def test_reading_something_asks_for_a_book(understand):
    assert understand("wife says I should read something that isnt a trade mag").domain == "book"
    assert understand("need something to read on the plane").domain == "book"
    assert understand("I was reading that Natalie Portman got an award").domain is None


@pytest.mark.parametrize("text, likes, dislikes", [
    ("像《鲁滨逊漂流记》那样荒岛求生的书", ["islands", "survival"], []),
    ("想看讲飞行员的电影", ["air pilots"], []),
    ("给我来点九十年代的硬摇滚", ["hard rock"], []),
    ("想看本讲机器人的科幻小说", ["robots", "science fiction"], []),
    ("学生们想看跟跳舞有关的电影", ["dance"], []),
    ("想看本跟死亡没关系的书", [], ["death"]),
    ("和战争无关的电影", [], ["war"]),
    ("算了，血腥点也没关系", [], []),  # "no matter" is no ban: a reversal (below)
])
def test_chinese_topics_and_nothing_to_do_with(understand, text, likes, dislikes):
    ex = understand(text)
    assert sorted(ex.likes) == sorted(likes) and ex.dislikes == dislikes


@pytest.mark.parametrize("text, likes, dislikes, reversals", [
    ("some jazz for the kitchen... no wait, swing, the older the better", ["swing"], [], []),
    ("本来想看个爱情片……不对，今晚想看恐怖片", ["horror"], [], []),
    ("nothing too scary or he'll be in our bed all night lol", [], ["horror"], []),
    ("之前说不要 jazz，算了 jazz 也 OK 啦", [], [], ["jazz"]),
    ("之前说不喜欢说唱，其实还行，来几首吧", ["rap"], [], ["rap"]),  # asked for too (v11 zh-038)
    ("回到刚才的民谣吧，不过别再伤感了，今天哭够了", ["folk"], ["sad"], []),
    ("你是真人还是机器人啊", [], [], []),
])
def test_mind_changes_contractions_and_asides(understand, text, likes, dislikes, reversals):
    ex = understand(text)
    assert (sorted(ex.likes), ex.dislikes, ex.reversals) == (sorted(likes), dislikes, reversals)


@pytest.mark.parametrize("text, lo, hi", [
    ("还是二战的，不要 1950 年以后写的", None, 1950),
    ("想读那种 Dracula 的小说，但要新一点的，2000 年以后写的", 2001, None),
    ("recent ones please", datetime.date.today().year - 5, None),
])
def test_chinese_negated_years_and_vague_recency_yield_to_a_year(understand, text, lo, hi):
    ex = understand(text)
    assert (ex.year_min, ex.year_max) == (lo, hi)


@pytest.mark.parametrize("text, title", [
    ("she's read Little Women like five times, what other book would she love?", "Little Women"),
    ("just finished The Hound of the Baskervilles and now I'm hooked. more detective stories like that pls",
     "The Hound of the Baskervilles"),
    ("她最喜欢《简爱》，前前后后读了好多遍，有类似的吗？", "Jane Eyre: An Autobiography"),
])
def test_a_title_read_again_and_again_with_a_wish_for_more_is_liked_and_seen(understand, text, title):
    ex = understand(text)
    assert title in ex.liked_titles and title in ex.seen_titles


@pytest.mark.parametrize("text, creators, years", [
    ("I understand, what do you recommend? Good movies!! other?", [], (None, None)),
    ("a King novel", ["Stephen King"], (None, None)),
    ("Nolan films please", ["Christopher Nolan"], (None, None)),
    ("The Blue lagoon 1980 And Pretty woman 1990", [], (None, None)),  # years that date the titles
    ("a comedy from 1990", [], (1990, 1990)),
])
def test_ordinary_words_are_no_surnames_and_a_title_s_year_is_no_limit(understand, text, creators, years):
    ex = understand(text)
    assert ex.creators == creators and (ex.year_min, ex.year_max) == years


def test_not_having_heard_of_a_pick_is_not_having_seen_it(understand):
    ex = understand("I haven't heard of that one. I'll have to check it out.")
    assert ex.seen_titles == [] and ex.domain is None


def test_nope_leading_a_sentence_is_an_interjection_not_a_ban(understand):
    ex = understand("nope the 6 year old is up again and wants another film, no musicals")
    assert "family" not in ex.dislikes and ex.dislikes == ["musical"]
    assert understand("horror? nope").dislikes == ["horror"]


def test_where_the_user_was_and_i_ve_are_no_titles(understand):
    ex = understand("anything by Willa Cather? I loved My Ántonia back in college")
    assert ex.liked_titles == ["My Ántonia"]
    ex = understand("something like Chillheimer but not Chillheimer, I've had him on for weeks")
    assert "I've" not in ex.disliked_titles + ex.seen_titles


def test_who_sings_asks_about_music(understand):
    assert understand("who sings the 4th one?").domain == "music"


@pytest.mark.parametrize("text, years", [
    ("doing a 2000 piece jigsaw this weekend, nothing violent", (None, None)),  # a count, not a year
    ("I graduated in 2010 and still play the same albums. something that came out this year", (2026, 2026)),
    ("I read Frankenstein in 2019 for a class. books like it, but newer, published after 1950", (1951, None)),
    ("newer books please", (2021, None)),  # vague recency alone still counts back from today
])
def test_years_of_the_user_s_life_and_counts_are_no_limits_and_a_stated_year_beats_newer(understand, text,
                                                                                            years):
    ex = understand(text, ref_year=2026)
    assert (ex.year_min, ex.year_max) == years


def test_riot_if_there_is_no_hip_hop_wants_hip_hop(understand):
    ex = understand("my little brother will literally riot if there's no hip hop. upbeat stuff")
    assert "hip hop" in ex.likes and ex.dislikes == []


def test_nothing_where_the_dog_dies_bans_sad_endings_not_dogs(understand):
    ex = understand("a film with dogs in it? nothing where the dog dies pls")
    assert ex.likes == ["dogs"] and ex.dislikes == ["sad"]


@pytest.mark.parametrize("text, likes", [
    ("my grandad was a merchant sailor and he wants books about life at sea", ["sea stories"]),
    ("learning Italian on duolingo and I want films set in Italy", ["italy"]),
    ("stuck at my in-laws all weekend, a mystery would be perfect", ["mystery"]),
    ("a novel about a girl who is a pirate", ["pirates"]),  # what the story is about still counts
])
def test_a_role_a_language_or_family_is_the_user_s_situation_not_a_topic(understand, text, likes):
    assert sorted(understand(text).likes) == likes


def test_a_time_of_someone_s_life_is_no_year_limit(understand):
    ex = understand("my grandad was a merchant sailor back in the 1960s, books about the sea")
    assert (ex.year_min, ex.year_max) == (None, None)
    assert understand("music from back in the 80s").year_min == 1980


@pytest.mark.parametrize("text, title", [
    ("she already made us watch The Breakfast Club twice lol", "The Breakfast Club"),
    ("anything with Keanu Reeves that isn't John Wick? seen all of those", "John Wick"),
    ("The Shining is the only Kubrick film I've seen and I loved it", "The Shining"),
])
def test_seen_worded_around_the_title(understand, text, title):
    assert title in understand(text).seen_titles


def test_i_ll_read_instead_switches_to_books(understand):
    assert understand("maybe I'll read instead, something funny").domain == "book"


def test_the_third_looks_good_is_a_verdict_on_the_third_pick(understand):
    ex = understand("seen the first one already. the third looks good")
    assert ex.liked_titles == ["@3"] and ex.seen_titles == ["@1"]


@pytest.mark.parametrize(("text", "liked", "seen"), [
    ("seen the first one, the second looks good, more like that", ["@2"], ["@1"]),
    ("第一部看过了，第二部不错，再来几部类似的", ["@2"], ["@1"]),  # found chatting in Chinese in the browser
    ("the second looks good, more like that", ["@2"], []),
    ("I've seen the first one, more like it", ["@1"], ["@1"]),  # nothing else praised: the seen one
    ("seen Alien and Aliens, all great, more in that vein?", ["Aliens", "Alien"], ["Alien", "Aliens"]),
])
def test_more_like_that_after_praising_a_pick_means_that_pick(understand, text, liked, seen):
    ex = understand(text)
    assert (ex.liked_titles, ex.seen_titles) == (liked, seen)


def test_names_joined_to_a_ruled_out_name_are_ruled_out_too(understand):
    """From v13's errors: "nothing by Wells or Verne" had required Jules Verne."""
    ex = understand("underrated sci-fi novels from before 1950? nothing by Wells or Verne, I've done those")
    assert ex.excluded_creators == ["H. G. Wells", "Jules Verne"] and ex.hard_creators() == []


@pytest.mark.parametrize("text, asked", [
    # a name we do not know inside the list ("Decaprio") had cut it: the last two were read as asides
    ("I am looking for some good movies with Brad Pitt, Decaprio, George Clooney or Robert Downey Jr. Can "
     "you help?", ["Brad Pitt", "George Clooney", "Robert Downey, Jr."]),
    ("a romantic movie with Tom Hanks or Meg Ryan", ["Tom Hanks", "Meg Ryan"]),
])
def test_a_list_of_names_asked_for_is_one_ask(understand, text, asked):
    ex = understand(text)
    assert ex.hard_creators() == asked, ex.creator_roles


@pytest.mark.parametrize("text", ["a good Tom Hanks movie", "Great Tom Hanks movies please",
                                  "Good Tom Hanks movie?"])
def test_praise_words_in_an_ask_keep_the_name_asked_for(understand, text):
    assert understand(text).hard_creators() == ["Tom Hanks"]


def test_a_word_between_names_that_is_no_name_still_parts_them(understand):
    ex = understand("a Tom Hanks movie, not Meg Ryan")
    assert ex.hard_creators() == ["Tom Hanks"] and ex.excluded_creators == ["Meg Ryan"]


def test_taking_back_the_no_x_thing_lifts_the_ban(understand):
    ex = understand("fine, I take back the no romance thing, a romance movie tonight. just nothing cheesy")
    assert "romance" not in ex.dislikes and "cheesy" in ex.dislikes


def test_getting_back_into_something_in_a_year_is_no_limit(understand):
    ex = understand("I got back into reading in 2024 and loved The Picture of Dorian Gray, what next?")
    assert (ex.year_min, ex.year_max) == (None, None)
