"""The demo catalog builder (scripts/build_catalog.py) and the catalog it shipped (data/catalog.jsonl.gz)."""

from __future__ import annotations

import csv
import gzip
import importlib.util
import json
import os
import re
import shutil
import sys
from collections import Counter
from pathlib import Path

import pytest

from retrieval.items import Item, read_items

REPO = Path(__file__).resolve().parent.parent
CATALOG = REPO / "data" / "catalog.jsonl.gz"
ATTRIBUTION = REPO / "data" / "ATTRIBUTION.md"
# The raw sources sit beside the repository; TASTEBUD_CATALOG_SOURCES points elsewhere (a git worktree).
SOURCES = Path(os.environ.get("TASTEBUD_CATALOG_SOURCES") or REPO.parent / "shared" / "data"
               / "catalog-sources")

# scripts/ is not a package: load the builder from its file.
_spec = importlib.util.spec_from_file_location("build_catalog", REPO / "scripts" / "build_catalog.py")
bc = importlib.util.module_from_spec(_spec)
sys.modules["build_catalog"] = bc  # dataclasses look their module up by name
_spec.loader.exec_module(bc)


# --------------------------------------------------------------------------- directors


@pytest.mark.parametrize(
    ("extract", "expected"),
    [
        (
            "The Hunger is a 1983 erotic horror film directed by Tony Scott, starring Catherine Deneuve.",
            ["Tony Scott"],
        ),
        (
            "Nudie Musical is a 1976 American musical comedy film directed by Mark Haggard and Bruce Kimmel.",
            ["Mark Haggard", "Bruce Kimmel"],
        ),
        (
            "Avengers is a 2015 film. Written and directed by Joss Whedon, the film features a big cast.",
            ["Joss Whedon"],
        ),
        (
            "Avatar is a 2009 film directed, written, co-produced, and co-edited by James Cameron and "
            "starring "
            "Sam Worthington.",
            ["James Cameron"],
        ),
        (
            "Fargo is a 1996 crime film written and directed by Joel and Ethan Coen. It stars McDormand.",
            ["Joel Coen", "Ethan Coen"],
        ),
        (
            "Airplane! is a 1980 film written and directed by Jim Abrahams, David Zucker, and Jerry Zucker.",
            ["Jim Abrahams", "David Zucker", "Jerry Zucker"],
        ),
        (
            "Three the Hard Way is a 1974 film directed by Gordon Parks Jr. It stars Jim Brown.",
            ["Gordon Parks Jr."],
        ),
        (
            "Dead Again is a 1991 thriller directed by Kenneth Branagh and written by Scott Frank.",
            ["Kenneth Branagh"],
        ),
        ("The Pope Must Die is a film directed by British director Peter Richardson.", ["Peter Richardson"]),
        (
            "Perdita Durango is a 1997 film directed by Álex de la Iglesia. It stars Rosie Perez.",
            ["Álex de la Iglesia"],
        ),
        (
            "X is a 1970 film written and produced by Billy Wilder and I. A. L. Diamond, directed by Wilder.",
            ["Billy Wilder"],
        ),
        ("Planet of Dinosaurs is a 1977 science fiction film. Set in the future, it follows a crew.", []),
        ("Y is a 1999 film directed by the Coen brothers.", []),
    ],
)
def test_parse_directors(extract, expected):
    assert bc.parse_directors(extract) == expected


def test_extract_about_the_source_novel_is_not_a_film_description():
    assert not bc.extract_is_about_a_film(
        "Moll Flanders is a novel by Daniel Defoe, first published in 1722."
    )
    assert bc.extract_is_about_a_film("Moll Flanders is a 1996 American drama film directed by Pen Densham.")
    assert bc.extract_is_about_a_film("Planet of Dinosaurs is a 1977 science fiction film.")
    assert not bc.extract_is_prose("{{Infobox film | name = The Outsiders | image = Outsidersposter.jpeg")
    assert bc.extract_is_prose("The Outsiders is a 1983 American coming-of-age drama film.")


def test_genres_are_normalised_to_the_vocabulary():
    vocab = bc.GenreVocab(
        canonical={
            "drama": "Drama",
            "science fiction": "Science Fiction",
            "sports": "Sports",
            "sport": "Sports",
        },
        replacements={"sci-fi": ("Science Fiction",), "dramedy": ("Drama", "Comedy")},
    )
    assert bc.normalise_genres(["sci-fi", "Sport", "drama", "Drama"], vocab) == [
        "Science Fiction",
        "Sports",
        "Drama",
    ]
    assert bc.genres_from_extract(
        "Rocky V is a 1990 American sports drama film directed by John G. Avildsen.", vocab
    ) == ["Sports", "Drama"]


def test_truncate_at_sentence_keeps_whole_sentences_and_abbreviations():
    text = "A film directed by Robert Downey Jr. and friends. " + "It is long. " * 80
    cut = bc.truncate_at_sentence(text, 120)
    assert len(cut) <= 120
    assert cut.endswith(".")
    assert cut.startswith("A film directed by Robert Downey Jr. and friends.")
    assert bc.truncate_at_sentence("Short.", 120) == "Short."
    assert bc.truncate_at_sentence("word " * 100, 50).endswith("…")


# --------------------------------------------------------------------------- books


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Doyle, Arthur Conan", "Arthur Conan Doyle"),
        ("Wells, H. G. (Herbert George)", "H. G. Wells"),
        ("Alger, Horatio, Jr.", "Horatio Alger Jr."),
        ("Tennyson, Alfred Tennyson, Baron", "Alfred Tennyson"),
        ("Tolstoy, Leo, graf", "Leo Tolstoy"),
        ("Chesterfield, Philip Dormer Stanhope, Earl of", "Philip Dormer Stanhope, Earl of Chesterfield"),
        ("Victoria, Queen of Great Britain", "Queen Victoria"),
        ("Wood, Henry, Mrs.", "Mrs. Henry Wood"),
        ("Chrétien, de Troyes, active 12th century", "Chrétien de Troyes"),
        ("Homer", "Homer"),
    ],
)
def test_reorder_author(raw, expected):
    assert bc.reorder_author(raw) == expected


def test_split_subjects_separates_topics_genres_eras_and_forms():
    s = bc.split_subjects(
        [
            "Courtship -- Fiction",
            "England -- Fiction",
            "Love stories",
            "Holmes, Sherlock (Fictitious character) -- Fiction",
            "Short stories, American",
            "Paris (France) -- Social life and customs -- 19th century",
            "Lincoln, Abraham, 1809-1865 -- Juvenile fiction",
        ]
    )
    assert s.topics == [
        "Courtship",
        "England",
        "Sherlock Holmes",
        "Paris (France)",
        "Social life and customs",
        "Abraham Lincoln",
    ]
    assert s.genres == ["Love stories", "American short stories"]
    assert s.eras == ["19th century"]
    assert {"fiction", "juvenile fiction"} <= s.forms
    assert not s.is_periodical
    assert bc.split_subjects(["Punch -- Periodicals"]).is_periodical


def test_clean_shelves_strips_prefixes_and_keeps_composite_categories_whole():
    raw = (
        "Politics/American Revolutionary War/Category: Essays, Letters & Speeches/"
        "Category: History - American/"
        "Category: Science - Earth/Agricultural/Farming/Category: Novels/Nobel Prizes in Literature/"
        "Napoleonic(Bookshelf)/DE Lyrik"
    )
    assert bc.clean_shelves(raw) == [
        "Politics",
        "American Revolutionary War",
        "Essays, Letters & Speeches",
        "American history",
        "Earth science and agriculture",
        "Novels",
        "Nobel Prizes in Literature",
        "Napoleonic",
    ]
    assert bc.clean_shelves("") == []


def test_fiction_tag_only_when_nothing_else_says_fiction():
    plain = bc.split_subjects(["Sisters -- Fiction"])
    assert bc.book_tags(plain, [])[0] == "Fiction"
    assert "Fiction" not in bc.book_tags(plain, ["Novels"]) or bc.book_tags(plain, ["Novels"])[0] != "Fiction"
    genre = bc.split_subjects(["Sisters -- Fiction", "Domestic fiction"])
    assert "Fiction" not in bc.book_tags(genre, [])


def test_clean_title_handles_subtitles():
    assert bc.clean_title("His last bow : $b Some later reminiscences of Sherlock Holmes") == (
        "His last bow: Some later reminiscences of Sherlock Holmes",
        "",
    )
    title, sub = bc.clean_title(
        "A Little Princess\nBeing the whole story of Sara Crewe now told for the first time"
    )
    assert title == "A Little Princess" and sub.startswith("Being the whole story")
    assert bc.clean_title("Three hundred Aesop's fables\r\nTranslated by George Fyler Townsend") == (
        "Three hundred Aesop's fables",
        "",
    )


def test_describe_book_uses_only_metadata():
    subjects = bc.split_subjects(
        ["Courtship -- Fiction", "England -- Fiction", "Social classes -- Fiction", "Love stories"]
    )
    text = bc.describe_book(
        [("Jane Austen", "1775–1817")],
        subjects,
        ["Best Books Ever Listings", "Novels"],
        first_published=1813,
        common={"courtship", "social", "love"},
    )
    assert text.startswith("A novel by Jane Austen (1775–1817) about courtship, England and social classes.")
    assert "First published in 1813." in text
    assert "Genres: love stories." in text
    assert text.endswith("Shelves: Best Books Ever Listings, Novels.")
    anon = bc.describe_book([], bc.split_subjects(["Ballads, English"]), [])
    assert anon.startswith("Poetry")


def test_life_span():
    assert bc.life_span(1775, 1817) == "1775–1817"
    assert bc.life_span(-450, -388) == "450 BC–388 BC"
    assert bc.life_span(1928, None) == "born 1928"
    assert bc.life_span(None, None) == ""


def test_goodbooks_key_ignores_series_and_articles():
    assert bc.goodbooks_key("The Hunger Games (The Hunger Games, #1)", "Suzanne Collins") == (
        "hunger games",
        "collins",
    )
    assert bc.goodbooks_key("Frankenstein; or, the modern prometheus", "Mary Wollstonecraft Shelley") == (
        "frankenstein",
        "shelley",
    )


# --------------------------------------------------------------------------- records that are not works

GIBBON_TOC = (
    "The History of the Decline and Fall of the Roman Empire\nTable of Contents with links in the HTML "
    "file to the two Project Gutenberg editions (12 volumes)"
)
AUSTEN_INDEX = (
    "The Complete Project Gutenberg Works of Jane Austen\nA Linked Index of all PG Editions of Jane Austen"
)
BEACON = (
    "Beacon Lights of History, Volume 14: The New Era\nA Supplementary Volume, by Recent Writers, as Set "
    "Forth in the Preface and Table of Contents"
)
ARBUTHNOT = "Arbuthnotiana: The Story of the St. Alb-ns Ghost (1712) A Catalogue of Dr. Arbuthnot's Library"
PUBLISHERS = "Publishers' catalogs -- England -- London"


@pytest.mark.parametrize(
    ("title", "headings", "reason"),
    [
        # Project Gutenberg's own finding aids, whatever the headings say
        (AUSTEN_INDEX, ["England -- Social life and customs -- Fiction"], "index"),
        (GIBBON_TOC, ["Rome -- History", "Indexes"], "index"),
        ("The Life of William Ewart Gladstone: Index", ["Gladstone, W. E., 1809-1898"], "index"),
        ("The Entire Project Gutenberg Works of Mark Twain", ["Humorous stories"], "Project Gutenberg file"),
        # catalogues: a publisher's heading, or the title and a "-- Catalogs" heading
        ("Blackie & Son's Books for Young People, Catalogue - 1898",
         [PUBLISHERS, "Children's literature -- Catalogs"], "catalogue"),
        ("Hurst & Blackett's Standard Library (1895)", [PUBLISHERS], "catalogue"),
        ("Biographical Catalogue of the Portraits at Panshanger",
         ["Private collections -- Catalogs", "Cowper family -- Art collections"], "catalogue"),
        # bibliographies: the title says so, or every heading is one
        ("The Translations of Beowulf: A Critical Bibliography", ["Beowulf -- Translations"], "bibliography"),
        ("A Guide to the Best Historical Novels and Tales", ["Historical fiction -- Bibliography"],
         "bibliography"),
        # works
        ("An index finger", ["Spiritualism -- Fiction", "Interpersonal relations -- Fiction"], ""),
        ("The Florentine Painters of the Renaissance\nWith an Index to their Works", ["Painters"], ""),
        (BEACON, ["World history"], ""),
        ("Bibliomania; or Book-Madness: A Bibliographical Romance", ["Book collecting", "Bibliography"], ""),
        ("William Caxton", ["Printing -- History", "Incunabula -- England -- London -- Bibliography"], ""),
        ("A New Catalogue of Vulgar Errors", ["Errors, Popular"], ""),
        ("Rules for a Dictionary Catalogue", ["Cataloging"], ""),
        (ARBUTHNOT, ["Great Britain -- Politics -- Humor", "Private libraries -- Catalogs"], ""),
        ("Concerning Lafcadio Hearn; With a Bibliography by Laura Stedman",
         ["Hearn, Lafcadio, 1850-1904", "Hearn, Lafcadio, 1850-1904 -- Bibliography"], ""),
    ],
)
def test_non_work_reason(title, headings, reason):
    assert bc.non_work_reason(title, headings) == reason


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("Rob Roy — Volume 01", "Rob Roy — Complete", True),
        ("Kidnapped (Illustrated)", "Kidnapped", True),
        ("The Life and Adventures of Robinson Crusoe (1808)", "Life and Adventures of Robinson Crusoe", True),
        ("The Adventures of Huckleberry Finn (Tom Sawyer's Comrade)", "Adventures of Huckleberry Finn", True),
        ("Fables of La Fontaine — a New Edition, with Notes", "The Fables of La Fontaine", True),
        ("The Complete Works of William Shakespeare", "The Works of William Shakespeare [Vol. 5]", True),
        ("Poems & Ballads (Second Series)", "Poems & Ballads (First Series)", False),
        ("Man in the Iron Mask (an Essay)", "The Man in the Iron Mask", False),
        ("Essays — First Series", "Essays — Second Series", False),
    ],
)
def test_work_key_folds_editions_not_works(a, b, same):
    assert (bc.work_key(a, "X Y") == bc.work_key(b, "X Y")) is same


def _gutenberg(folder: Path, books: list[tuple[str, str, list[str]]]) -> None:
    """A minimal Gutenberg source: (title, author, LCSH headings) per book, ids 1, 2, ..."""
    folder.mkdir(parents=True, exist_ok=True)
    columns = ["gutenberg_id", "title", "author", "gutenberg_author_id", "language", "gutenberg_bookshelf",
               "rights", "has_text"]
    with open(folder / "gutenberg_metadata.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(columns)
        for n, (title, author, _) in enumerate(books, start=1):
            w.writerow([n, title, author, n, "en", "Category: Novels", "Public domain in the USA.", "True"])
    with open(folder / "gutenberg_subjects.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["gutenberg_id", "subject_type", "subject"])
        for n, (_, _, headings) in enumerate(books, start=1):
            w.writerows([n, "lcsh", h] for h in headings)


def test_build_books_drops_non_works_and_keeps_one_record_per_work(tmp_path):
    _gutenberg(tmp_path / "gutenberg", [
        ("Rob Roy — Volume 01", "Scott, Walter", ["Scotland -- Fiction", "Outlaws -- Fiction"]),
        ("Rob Roy — Complete", "Scott, Walter", ["Scotland -- Fiction"]),
        ("The Works of George Meredith: A Linked Index to the Project Gutenberg Editions", "Meredith, George",
         ["English fiction"]),
        ("Blackie & Son's Books for Young People, Catalogue - 1898", "Blackie & Son", [PUBLISHERS]),
        ("A Bibliography of the writings of D. H. Lawrence", "McDonald, Edward D.",
         ["Lawrence, D. H. -- Bibliography"]),
        ("An index finger", "Smith, Jane", ["Spiritualism -- Fiction"]),
        ("Kidnapped (Illustrated)", "Stevenson, Robert Louis", ["Scotland -- Fiction"]),
        ("Kidnapped", "Stevenson, Robert Louis", ["Scotland -- Fiction", "Adventure stories"]),
    ])
    dropped: list = []
    items, stats = bc.build_books(tmp_path / "gutenberg", {}, 100, dropped=dropped)
    assert sorted(i.title for i in items) == ["An index finger", "Kidnapped", "Rob Roy — Complete"]
    reasons = {d.id: d.reason for d in dropped}
    assert reasons["book:pg:1"] == reasons["book:pg:7"] == "other edition of a work"  # volume, reissue
    assert reasons["book:pg:3"] == "not a work: index"
    assert reasons["book:pg:4"] == "not a work: catalogue"
    assert reasons["book:pg:5"] == "not a work: bibliography"
    assert {d.kept for d in dropped if d.kept} == {"book:pg:2", "book:pg:8"}
    assert [stats[f"not a work: {r}"] for r in ("index", "catalogue", "bibliography")] == [1, 1, 1]
    report = bc.hygiene_markdown(dropped, 0)
    assert "| 1 | 1 |" in report and "Rob Roy — Volume 01 (book:pg:1 -> book:pg:2)" in report


def test_one_card_per_wikipedia_article():
    rent = "Rent-a-Cop is a 1987 American thriller comedy starring Burt Reynolds and Liza Minnelli."
    kombat = "Mortal Kombat is a 1995 American martial arts fantasy film."
    dinosaurs = "Dinosaurs! is a 1987 film."  # "Dinosaur" is a prefix of it, not its title
    films = [
        Item("movie:wp:Rent-A-Cop", "movie", "Rent-A-Cop", 1987, ("Burt Reynolds",), description=rent),
        Item("movie:wp:Rent-a-Cop_(film)", "movie", "Rent-a-Cop", 1987, ("Burt Reynolds", "Liza Minnelli"),
             description=rent),
        Item("movie:wp:Mortal_Kombat:_The_Journey_Begins", "movie", "Mortal Kombat: The Journey Begins", 1995,
             description=kombat),
        Item("movie:wp:Mortal_Kombat_(1995_film)", "movie", "Mortal Kombat", 1995, description=kombat),
        Item("movie:wp:Dinosaur_(1980_film)", "movie", "Dinosaur", 1980, description=dinosaurs),
        Item("movie:wp:Dinosaurs!_(1987_film)", "movie", "Dinosaurs!", 1987, description=dinosaurs),
    ]
    dropped: list = []
    kept = bc.fold_duplicates(films, lambda i: i.description, bc._same_article_order, "same article", dropped)
    assert [i.id for i in kept] == ["movie:wp:Rent-a-Cop_(film)", "movie:wp:Mortal_Kombat_(1995_film)",
                                    "movie:wp:Dinosaurs!_(1987_film)"]
    assert {d.id: d.kept for d in dropped}["movie:wp:Rent-A-Cop"] == "movie:wp:Rent-a-Cop_(film)"


# --------------------------------------------------------------------------- music


def _release(**kw):
    row = {
        "album": "Buried Dreams",
        "artist": "Monochord",
        "genre": "Electronic",
        "style": "Minimal",
        "label": "After-Dinner",
        "year": "2006",
        "totaltracks": "4",
        "totaldiscs": "1",
        "duration": "1560",
        "licenseurl": "",
        "id": "ad042",
        "url": "http://www.archive.org/details/ad042",
    }
    row.update(kw)
    return row


def test_describe_release():
    assert bc.describe_release(_release()) == (
        "An Electronic album (Minimal) by Monochord, released in 2006 on the After-Dinner netlabel; "
        "4 tracks, 26 minutes."
    )
    various = bc.describe_release(
        _release(
            artist="Various Artists",
            genre="Rock",
            style="Compilation, Indie",
            label="Jamendo",
            totaldiscs="2",
            licenseurl="http://creativecommons.org/licenses/by-nc-nd/3.0/de/",
        )
    )
    assert various.startswith(
        "A Rock compilation (Indie) by various artists, released in 2006 via Jamendo; 2 discs, 4 tracks"
    )
    assert various.endswith("the music is licensed CC BY-NC-ND 3.0.")


def test_music_item_fields():
    item = bc.music_item(_release(style="Minimal, Techno"))
    assert item.id == "music:fmc:ad042"
    assert item.creators == ("Monochord",)  # the label is not a creator
    assert item.tags == ("Electronic", "Minimal", "Techno")
    assert item.url == "https://archive.org/details/ad042"
    assert bc.music_item(_release(album="")) is None


# --------------------------------------------------------------------------- clean text and years

# UTF-8 bytes read as Latin-1 / Windows-1252: "Ã" or "Â" before a continuation byte's character, "â€".
MOJIBAKE = re.compile("[ÃÂ][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6"
                      "\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]|â€")


@pytest.mark.parametrize(
    ("raw", "fixed"),
    [
        ("CRÃ“!", "CRÓ!"),
        ("MÃºsica para Khaos", "Música para Khaos"),
        ("Club de Jazz presentsâ€¦ A Full Moon Party", "Club de Jazz presents… A Full Moon Party"),
        ("Best of FreiÂ² Disco", "Best of Frei² Disco"),
        ("Malin Åkerman, Yasujirō Ozu, “Arrival”", "Malin Åkerman, Yasujirō Ozu, “Arrival”"),  # stays
    ],
)
def test_mojibake_is_repaired_and_good_text_kept(raw, fixed):
    assert bc.clean_text(raw) == fixed
    assert (MOJIBAKE.search(raw) is None) == (raw == fixed)  # the check used on the shipped catalog


def test_music_tags_and_creators_are_repaired():
    item = bc.music_item(_release(artist="Le KÃ³i", album="CRÃ“!", style="MÃºsica"))
    assert item.title == "CRÓ!" and item.creators == ("Le Kói",) and "Música" in item.tags
    assert "Le Kói" in item.description


@pytest.mark.parametrize(
    ("listed", "extract", "year", "source"),
    [
        (2016, "Synchronicity is a 2015 American science fiction film written by Jacob Gentry.", 2015,
         "lead sentence"),
        (2018, "Humor Me is a 2017 American comedy film. It was released on January 12, 2018.", 2017,
         "lead sentence"),
        (2009, "Anvil! The Story of Anvil is a 2008 Canadian rockumentary film about a band.", 2008,
         "lead sentence"),
        (2013, "The Wizard of Oz is a 1939 American musical fantasy film.", 1939, "lead sentence"),
        (1988, "Elvis and Me is a 1985 biography written by Priscilla Presley.", 1988, "list"),
        (1972, "When The Legends Die is a 1963 American novel; and a 1972 American Western film.", 1972,
         "list"),
        (1999, "Heat is an American crime film directed by Michael Mann.", 1999, "list"),
    ],
)
def test_movie_year_comes_from_the_lead_sentence_when_it_dates_the_film(listed, extract, year, source):
    assert bc.movie_year({"year": listed}, extract) == (year, source)
    record = {"title": "T", "href": "T", "year": listed, "extract": extract, "cast": [], "genres": []}
    item = bc.movie_item(record, bc.GenreVocab(canonical={}, replacements={}))
    assert item is not None and item.year == year


# --------------------------------------------------------------------------- the shipped catalog


@pytest.fixture(scope="module")
def shipped():
    if not CATALOG.exists():
        pytest.fail(f"{CATALOG.relative_to(REPO)} is missing: run python scripts/build_catalog.py")
    return read_items(CATALOG)


def test_shipped_catalog_reads_cleanly(shipped):
    assert shipped.errors == []
    assert shipped.duplicates == []
    assert CATALOG.stat().st_size < 50 * 1024 * 1024
    ids = [i.id for i in shipped.items]
    assert ids == sorted(ids)


def test_shipped_catalog_domain_counts(shipped):
    counts = {d: 0 for d in ("movie", "book", "music")}
    for item in shipped.items:
        counts[item.domain] += 1
    assert 10_000 <= counts["movie"] <= 14_000
    assert 8_000 <= counts["book"] <= 11_000
    assert 2_000 <= counts["music"] <= 2_500
    # The embedder indexes ~90 items/s on the 2-core CPU; the demo catalog must index in <= 5 minutes.
    assert 22_000 <= sum(counts.values()) <= 26_000


def test_shipped_items_are_attributed(shipped):
    for item in shipped.items:
        assert item.title and item.url and item.license and item.description, item.id
        if item.domain == "movie":
            assert item.url.startswith("https://en.wikipedia.org/wiki/"), item.id
            assert "CC BY-SA" in item.license, item.id
        elif item.domain == "book":
            assert item.url.startswith("https://www.gutenberg.org/ebooks/"), item.id
        else:
            assert item.url.startswith("https://archive.org/details/"), item.id


def test_shipped_catalog_has_no_images_or_html():
    # One pass over the raw text is enough (and fast): every field of every item is in it.
    text = gzip.decompress(CATALOG.read_bytes()).decode("utf-8")
    image = re.search(r"upload\.wikimedia|\.(?:jpe?g|png|gif|svg|webp)\b|\{\{Infobox", text, re.I)
    assert image is None, text[max(0, image.start() - 200) : image.end()]
    tag = re.search(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>", text)
    assert tag is None, text[max(0, tag.start() - 200) : tag.end()]


def test_shipped_card_text_is_decoded_right(shipped):
    """No title, creator, tag or description a card shows holds mis-decoded UTF-8 ("CRÃ“!")."""
    import ftfy

    bad = []
    for item in shipped.items:
        for text in (item.title, item.description, *item.creators, *item.tags):
            if MOJIBAKE.search(text) or ftfy.fix_encoding(text) != text:
                bad.append((item.id, text[:80]))
    assert bad == [], f"{len(bad)} mis-decoded texts, e.g. {bad[:5]}"


def test_shipped_movie_years_agree_with_their_descriptions(shipped):
    """A card's year is the one its description's first sentence gives, when that sentence dates the film."""
    by_id = {i.id: i for i in shipped.items}
    assert by_id["movie:wp:Synchronicity_(film)"].year == 2015
    assert by_id["movie:wp:Humor_Me_(film)"].year == 2017
    disagree = []
    for item in shipped.items:
        if item.domain != "movie":
            continue
        year, source = bc.movie_year({"year": None}, item.description)
        if source == "lead sentence" and year != item.year:
            disagree.append((item.id, item.year, item.description[:80]))
    assert disagree == [], f"{len(disagree)} cards disagree with their description, e.g. {disagree[:3]}"


def test_shipped_catalog_holds_works_once(shipped):
    """No finding aids, one record per book work, one card per film article (the hygiene rule)."""
    books = [i for i in shipped.items if i.domain == "book"]
    aid = re.compile(r"linked index|project gutenberg|\bcatalogue - \d{4}", re.I)
    aids = [i.title for i in books if aid.search(i.title)]
    assert aids == []
    ids = {i.id for i in shipped.items}
    assert "book:pg:25717" not in ids  # Gibbon's table of contents, once shown as "Decline and Fall"
    assert "book:pg:31100" not in ids  # "A Linked Index of all PG Editions of Jane Austen"
    assert "book:pg:44556" not in ids  # Blackie & Son's 1898 catalogue
    assert any(i.title.startswith("History of the Decline and Fall") and "Edward Gibbon" in i.creators
               for i in books)  # the work itself took its place
    keys = Counter(bc.work_key(i.title, i.creators[0] if i.creators else "") for i in books)
    assert [k for k, n in keys.items() if n > 1] == []
    texts = Counter(i.description for i in shipped.items if i.domain == "movie")
    assert [t[:60] for t, n in texts.items() if n > 1] == []
    assert "Records left out" in ATTRIBUTION.read_text(encoding="utf-8")


def test_attribution_names_every_source():
    text = ATTRIBUTION.read_text(encoding="utf-8")
    for needle in (
        "CC BY-SA 4.0",
        "CC0 1.0",
        "wikipedia-movie-data",
        "gutenbergr",
        "freemusi.cc",
        "python scripts/build_catalog.py",
        "links its article",
    ):
        assert needle in text, needle


# --------------------------------------------------------------------------- building from a slice


def _head_csv(src: Path, dst: Path, keep) -> set[str]:
    """Copy the header and the rows keep(row) accepts; returns the gutenberg_ids seen."""
    ids: set[str] = set()
    with open(src, encoding="utf-8", newline="") as fin, open(dst, "w", encoding="utf-8", newline="") as fout:
        reader = csv.DictReader(fin)
        writer = csv.DictWriter(fout, fieldnames=reader.fieldnames)
        writer.writeheader()
        for row in reader:
            verdict = keep(row)
            if verdict is None:
                break
            if verdict:
                writer.writerow(row)
                ids.add(row.get("gutenberg_id", ""))
    return ids


@pytest.mark.skipif(
    not SOURCES.is_dir(), reason="raw catalog sources (../shared/data/catalog-sources) absent"
)
def test_build_from_a_slice_is_valid_and_deterministic(tmp_path):
    src = tmp_path / "sources"
    mv, pg, fm, gb = (src / n for n in ("wikipedia-movies", "gutenberg", "freemusicc", "goodbooks-10k"))
    for d in (mv, pg, fm, gb):
        d.mkdir(parents=True)
        if (SOURCES / d.name / "SOURCE.txt").exists():
            shutil.copy(SOURCES / d.name / "SOURCE.txt", d)
    for name in ("genres.json", "genre-replacements.json"):
        shutil.copy(SOURCES / mv.name / name, mv)
    films = json.loads((SOURCES / mv.name / "movies-1990s.json").read_text(encoding="utf-8"))[:60]
    (mv / "movies-1990s.json").write_text(json.dumps(films), encoding="utf-8")

    counter = iter(range(10**9))
    ids = _head_csv(
        SOURCES / pg.name / "gutenberg_metadata.csv",
        pg / "gutenberg_metadata.csv",
        lambda row: True if next(counter) < 400 else None,
    )
    last = max(int(i) for i in ids)
    _head_csv(
        SOURCES / pg.name / "gutenberg_subjects.csv",
        pg / "gutenberg_subjects.csv",
        lambda row: (row["gutenberg_id"] in ids) if int(row["gutenberg_id"]) <= last else None,
    )
    _head_csv(
        SOURCES / pg.name / "gutenberg_authors.csv",
        pg / "gutenberg_authors.csv",
        lambda row: int(row["gutenberg_author_id"]) < 2000,
    )
    for folder, name, n in ((fm, "releases.csv", 40), (gb, "books.csv", 2000)):
        with open(SOURCES / folder.name / name, encoding="utf-8") as f:
            head = [line for _, line in zip(range(n), f, strict=False)]
        (folder / name).write_text("".join(head), encoding="utf-8")

    out = tmp_path / "data" / "catalog.jsonl.gz"
    assert bc.main(["--sources", str(src), "--out", str(out), "--max-books", "50"]) == 0
    first = out.read_bytes()
    report = read_items(out)
    assert report.errors == [] and report.duplicates == []
    domains = {i.domain for i in report.items}
    assert domains == {"movie", "book", "music"}
    assert sum(i.domain == "book" for i in report.items) == 50
    attribution = (out.parent / "ATTRIBUTION.md").read_text(encoding="utf-8")
    assert "CC BY-SA 4.0" in attribution

    assert bc.main(["--sources", str(src), "--out", str(out), "--max-books", "50"]) == 0
    assert out.read_bytes() == first  # byte-identical rebuild
