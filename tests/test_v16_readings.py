"""Readings found on understand_v16's errors (a blind set; a development set after its first run). Each is
a general rule, tested on wordings of its own besides the one that showed it."""

from __future__ import annotations

import pytest

from bot.understand import extract
from bot.understand.cues import about_bot
from bot.understand.novelty import novelty_request
from tests.conftest import chat


@pytest.fixture(scope="module")
def understand(lexicon, linker):
    return lambda text: extract(text, lexicon, linker, ref_year=2026)


@pytest.mark.parametrize("text, facet", [
    ("my mum can't stop talking about wildlife, is there a nature documentary she'd like?", "documentary"),
    ("I can't stop listening to jazz lately, more please", "jazz"),
])
def test_cannot_stop_is_no_negation(understand, text, facet):
    ex = understand(text)
    assert facet in ex.likes and facet not in ex.dislikes


@pytest.mark.parametrize("text, facet", [
    ("ok fine, I take back what I said about folk. give us some folk", "folk"),
    ("刚才说不要节奏太慢的，收回，今天放假，有的是时间", "slow"),
    ("之前说不要恐怖片，撤回", "horror"),
])
def test_a_ban_taken_back_in_other_words(understand, text, facet):
    ex = understand(text)
    assert facet in ex.reversals and facet not in ex.dislikes


@pytest.mark.parametrize("text", ["今天不想看太丧的，来点轻松好笑的", "别太丧的电影"])
def test_glum_is_dark(understand, text):
    assert "dark" in understand(text).dislikes


@pytest.mark.parametrize("text", ["想找几本没什么人听说过的冒险小说", "有没有很少人听说过的乐队"])
def test_few_have_heard_of_it_asks_for_lesser_known(text):
    assert novelty_request(text) is True


@pytest.mark.parametrize("text, hi", [
    ("最好是一百年以前写的", 1925),
    ("五十年之前的老电影", 1975),
    ("三年以前看过一部恐怖片", None),  # when it was seen, not made
    ("2010年以前的", 2009),
])
def test_years_ago_in_chinese(understand, text, hi):
    assert understand(text).year_max == hi


@pytest.mark.parametrize("text", ["我外婆眼睛不好，想给她找个有声书听", "找本有声小说听听"])
def test_an_audiobook_is_a_book(understand, text):
    assert understand(text).domain == "book"


@pytest.mark.parametrize("text", ["你们这个 chatbot 背后是真人还是 AI 啊？",
                                  "are you a real person or an AI?", "你是机器人还是真人"])
def test_asking_whether_a_person_answers_is_about_the_bot(text):
    assert about_bot(text)


def test_a_real_person_in_a_request_is_not_about_the_bot():
    assert not about_bot("a biopic about a real person, not an AI movie, with Tom Hanks or Denzel Washington "
                         "if you have one")


def test_a_city_flown_to_is_no_title(understand):
    ex = understand("周末飞 Tokyo，想找本 thriller 小说在飞机上看")
    assert ex.liked_titles == [] and "thriller" in ex.likes and ex.domain == "book"


@pytest.mark.parametrize("text, facet", [("gore 其实 OK 啦，我刷了十年 CSI 了", "gore"),
                                         ("horror 都 ok", "horror")])
def test_actually_ok_allows_without_asking(understand, text, facet):
    ex = understand(text)
    assert facet in ex.reversals and facet not in ex.likes


@pytest.mark.parametrize("text", ["有没有特别 optimistic 的电影？",
                                  "something optimistic and life-affirming"])
def test_optimistic_is_feel_good(understand, text):
    assert "feel-good" in understand(text).likes


def test_thanks_with_a_plan_is_thanks(ctx):
    _, second = chat(ctx, "a mystery novel", "thank u!! saving these for the flight ✈️")
    assert second.intent == "thanks"


def test_thanks_then_a_request_still_asks(ctx):
    _, second = chat(ctx, "a mystery novel", "thank u!! now something funny for the flight")
    assert second.intent != "thanks" and second.recommendations


@pytest.mark.parametrize("text", ["just moved into a flat with no curtains yet, surprise me",
                                  "no curtains yet so we're living in a goldfish bowl lol"])
def test_a_lowercase_word_after_no_is_a_thing_not_a_title(understand, text):
    assert understand(text).disliked_titles == []


@pytest.mark.parametrize("text", ["狗子终于睡着了🐶 来部别太长的，最好是悬疑的",
                                  "猫咪刚吃完饭了，来部悬疑片"])
def test_what_happened_is_no_wish(understand, text):
    ex = understand(text)
    assert ex.likes == ["mystery"] and ex.dislikes == []


def test_a_child_in_what_happened_still_says_who_it_is_for(understand):
    assert "children's books" in understand("儿子十岁了，有没有适合他看的太空科普书").likes


@pytest.mark.parametrize("text, facet", [
    ("I want to finally tackle a classic Russian novel", "russian fiction"),
    ("a good French novel please", "french fiction"),
    ("有没有好读一点的西班牙小说", "spanish fiction"),
    ("想读几本日本文学", "japanese fiction"),
])
def test_a_nations_novels_are_its_fiction_shelf(understand, text, facet):
    ex = understand(text)
    assert facet in ex.likes and ex.domain == "book"


@pytest.mark.parametrize("text", ["music with no words. post rock maybe",
                                  "classical, big orchestral stuff, nothing with singing though"])
def test_no_words_is_instrumental(understand, text):
    assert "instrumental" in understand(text).likes


def test_an_unknown_name_ruled_out_with_him_after_is_a_person(understand):
    ex = understand("sci-fi with robots in it, but not Asimov, I've had enough of him")
    assert ex.excluded_creators == ["Isaac Asimov"] and ex.disliked_titles == []


@pytest.mark.parametrize("text", ["poetry that isn't Shakespeare", "plays that aren't by Shakespeare please"])
def test_that_isnt_someone_rules_them_out(understand, text):
    assert "William Shakespeare" in understand(text).excluded_creators


@pytest.mark.parametrize("text", ["got 200 pages into Les Misérables and bailed, no shame",
                                  "started Dracula and bailed after a week"])
def test_bailing_on_a_title_is_a_dislike(understand, text):
    assert understand(text).disliked_titles


@pytest.mark.parametrize("text, lo", [
    ("he's been doing kung fu moves in the kitchen since the 80s lol", None),
    ("I've loved horror since the 90s, something scary", None),
    ("movies that have come out since 2015", 2015),
    ("anything since 2010", 2010),
])
def test_how_long_someone_has_done_something_is_no_year_limit(understand, text, lo):
    assert understand(text).year_min == lo


def test_the_feel_of_a_film_is_no_ambient_music(understand):
    ex = understand("特别喜欢《看得见风景的房间》那本书，有没有氛围差不多的片子？")
    assert "ambient" not in ex.likes and ex.domain == "movie"


def test_what_a_pick_on_screen_is_like_is_no_wish(ctx):
    *_, last = chat(ctx, "女儿缠着要看动画片，那陪她看一部吧",
                    "第一部她看过了，第二部看着有点吓人，第三部好像不错")
    assert "horror" not in [f.text for f in last.state.likes]


def test_the_earlier_wish_after_all_goes_back_to_its_domain(ctx):
    *_, last = chat(ctx, "a thriller film, nothing before 2010", "actually a book of poems, something short",
                    "right, second wind, let's do the thriller after all")
    c = last.state.constraints
    assert c.domain == "movie" and "thriller" in [f.text for f in last.state.likes] and c.year_min == 2010


def test_a_decade_in_words_beats_newer_than_the_picks(ctx):
    *_, last = chat(ctx, "a comedy film, eighties", "anything a bit newer, like the nineties?")
    c = last.state.constraints
    assert (c.year_min, c.year_max) == (1990, 1999)


@pytest.mark.parametrize("text, facet", [
    ("a book about space, for grown-ups", "outer space"),
    ("anything with trains in it? they're obsessed", "railroads"),
    ("先看本书吧，讲大海的", "sea stories"),
    ("一个人在绝境里想办法活下去的那种电影", "survival"),
])
def test_topics_in_everyday_words(understand, text, facet):
    assert facet in understand(text).likes


def test_a_godchild_of_eight_is_a_child(understand):
    ex = understand("my goddaughter turns 8 next week and she's obsessed with foxes, a book for her?")
    assert "children's books" in ex.likes


def test_it_is_the_pick_named_last(understand):
    ex = understand("ooh number 2 looks good. number 4 we did at school and I hated it")
    assert ex.liked_titles == ["@2"] and ex.disliked_titles == ["@4"]


def test_a_pick_already_read_and_one_that_looks_right(understand):
    ex = understand("the 1st one I already read at uni, but the 3rd looks right up my street")
    assert ex.seen_titles == ["@1"] and ex.liked_titles == ["@3"]


@pytest.mark.parametrize("text", ["the last book I read was Dune, something like it",
                                  "the first film I ever saw was Jaws"])
def test_the_last_one_i_read_is_still_not_a_pick_on_screen(understand, text):
    ex = understand(text)
    assert not [t for t in ex.liked_titles + ex.seen_titles + ex.disliked_titles if t.startswith("@")]


@pytest.mark.parametrize("turns, domain", [
    (["放点 background music，要 ambient", "算了看本 book 找找灵感，要 fantasy"], "book"),
    (["来点爵士乐", "算了，看部电影吧，喜剧"], "movie"),
])
def test_forget_it_then_another_domain_switches(ctx, turns, domain):
    *_, last = chat(ctx, *turns)
    assert last.state.constraints.domain == domain


def test_heidi_by_its_chinese_name_and_a_story_in_the_mountains(understand):
    ex = understand("小时候最爱读《海蒂》，现在想找部有那种感觉的电影，最好故事发生在山里")
    assert ex.liked_titles == ["Heidi"] and "mountains" in ex.likes and ex.domain == "movie"


def test_an_occasion_in_lowercase_english_inside_chinese_is_no_title(understand):
    assert understand("今晚 date night，想看部 romcom 电影，别太 cheesy").liked_titles == []
    assert understand("刚看完 Date Night，还有类似的吗").liked_titles == ["Date Night"]
