"""A domain word switches the domain only when it is what the user asks for.

Found replaying ReDial train-part movie chats: songs, music, a book or a "track" said about the film
under discussion switched the chat to music or books, which hid every film.
"""

from __future__ import annotations

import pytest

from bot.understand import extract


@pytest.fixture(scope="module")
def understand(lexicon, linker):
    return lambda text: extract(text, lexicon, linker, domain_hint="movie")


@pytest.mark.parametrize("text", [
    # a genre word and what a film has
    "i'm looking for a great musical with fun songs to sing along to",
    "yes it was my kid watches it non stop lol so i know all the songs",
    "we all loved Coco (2017) , great movie &amp; music I will see if I can find Ferdinand (2017) , "
    "I did hear it was good",
    "i love that movie! mainly because of the songs! Moana (2016) has some great songs in there too "
    "I have head of Blank Check (1994) whats it about",
    "Trolls (2016) is also becoming a favorite, some really good music. Thanks for the chat bye now",
    "I love both of those The Fireworks song at the end of THe Interview is gold The Interview (2014)",
    # figures of speech
    "Another great movie! Your on the right track...suggest another please.",
    '"Ill be your Huckleberry" for some cool suggestions. you are on the right track for sure!',
    # the book of a film, books as a source, reading about a film, a word inside a title
    "Love that movie and the book!",
    "I have some down time, and have plenty of time to binge watch Netflix or other services. Any "
    "suggestions? I love British drama. Like Sense and Sensibility (1995) or other old book based ones.",
    "thanks what great suggestion i think i may like that one read some good reviews",
    "I haven't read a book in years",
    "We saw that one, did they make movies of the other books?",
    "Ok I give it a look How about The Disaster Artist (2017). Have you seen that one. "
    "I have to go read up on it.",
    "I love Snow White (1987) Or The Jungle Book 2 (2003) Any suggestions?",
    "we have wanted to watch that, it looks really cute we love Moana (2016) for the music",
    "Harry Potter is my favorite, and the books too",
])
def test_a_remark_in_a_film_chat_keeps_the_films(understand, text):
    assert understand(text).domain in (None, "movie")


@pytest.mark.parametrize(("text", "domain"), [
    ("What about a good thriller novel?", "book"),
    ("now some music for studying", "music"),
    ("let's read instead: a book for the beach", "book"),
    ("any good albums like that?", "music"),
    ("I meant the book", "book"),
    ("back to the books", "book"),
    ("ok back to the music, same vibe", "music"),
    ("guess who's doing the music at the party", "music"),
    ("the book instead please", "book"),
    ("what are the best books of 2020?", "book"),
    ("any books based on true stories?", "book"),
    ("I don't read books, I watch movies", "movie"),
    ("Inception was great, now some music please", "music"),
    ("I loved Inception, any books like that?", "book"),
    ("books or movies, I don't mind", None),
    # a definite noun can still be chosen, or name a kind
    ("no, on second thought stick with the books", "book"),
    ("my 10yo just finished Treasure Island and now wants ALL the pirate books", "book"),
    ("my daughter wants a story for the car tomorrow, one of those audiobooks", "book"),
    ("every list online gives me the same ten books. something underrated in sci-fi", "book"),
    ("scratch what I said earlier, dark stuff is fine for the playlist", "music"),
    ("now the same for movies", "movie"),
    ("I've read all the Harry Potter books, what next?", "book"),
    ("I haven't seen a good movie in ages, recommend one", "movie"),
])
def test_a_wish_still_switches(understand, text, domain):
    assert understand(text).domain == domain


def test_a_switch_in_a_film_chat(ctx):
    from bot.manager import step
    from bot.state import DialogueState

    def after(text: str) -> str | None:
        state = step(DialogueState(), "I want a comedy movie", ctx).state
        return step(state, text, ctx).state.constraints.domain

    assert after("you're on the right track, another one please") == "movie"
    assert after("I love Snow White (1987) Or The Jungle Book 2 (2003) Any suggestions?") == "movie"
    assert after("i think i may like that one read some good reviews") == "movie"
    assert after("What about a good thriller novel?") == "book"
    assert after("now some music for studying") == "music"
