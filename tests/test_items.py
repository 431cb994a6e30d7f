"""Reading catalogs: every good row kept, every bad row reported with its line."""

import gzip
import json

import pytest

from retrieval.items import Item, read_items, write_jsonl_gz


def write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def test_csv_with_column_mapping_keeps_good_rows_and_reports_bad_ones(tmp_path):
    f = write(
        tmp_path / "films.csv",
        "sku,name,made,director,genre,blurb\n"
        "1,Alien,1979,Ridley Scott,Horror|Science Fiction,A crew meets a creature.\n"
        "2,,1980,Someone,Drama,No title here.\n"
        "3,Heat,nineteen95,Michael Mann,Crime,Bad year.\n"
        "4,Brazil,1985,Terry Gilliam,Comedy;Satire,A clerk dreams.\n"
        "1,Alien again,1979,Ridley Scott,Horror,Duplicate id.\n"
        '5,Too many,1990,X,Drama,extra,"field"\n',
    )
    mapping = {"id": "sku", "title": "name", "year": "made", "creators": "director", "tags": "genre",
               "description": "blurb"}
    report = read_items(f, mapping, default_domain="movie")
    assert [i.title for i in report.items] == ["Alien", "Brazil"]
    assert report.items[0].tags == ("Horror", "Science Fiction")
    assert report.items[1].tags == ("Comedy", "Satire")
    errors = dict(report.errors)
    assert set(errors) == {3, 4, 7}
    assert "missing title" in errors[3]
    assert "nineteen95" in errors[4]
    assert "more fields" in errors[7]
    assert report.duplicates == [(6, "1")]


def test_jsonl_reports_bad_json_and_bad_domain_by_line(tmp_path):
    rows = [
        json.dumps({"id": "a", "domain": "book", "title": "Emma", "creators": ["Jane Austen"]}),
        "{not json",
        json.dumps({"id": "b", "domain": "podcast", "title": "X"}),
        json.dumps(["a", "list"]),
        "",
        json.dumps({"id": "c", "domain": "music", "title": "Kind of Blue", "year": 3000}),
        json.dumps({"id": "d", "domain": "MUSIC", "title": "Blue Train", "tags": "jazz, hard bop"}),
    ]
    report = read_items(write(tmp_path / "c.jsonl", "\n".join(rows) + "\n"))
    assert [i.id for i in report.items] == ["a", "d"]
    assert report.items[1].domain == "music"
    assert report.items[1].tags == ("jazz", "hard bop")
    lines = [line for line, _ in report.errors]
    assert lines == [2, 3, 4, 6]
    assert "podcast" in report.errors[1][1]
    assert "out of range" in report.errors[3][1]


def test_unknown_mapping_field_and_missing_file_are_clear_errors(tmp_path):
    f = write(tmp_path / "x.csv", "id,title\n1,A\n")
    with pytest.raises(ValueError, match="unknown target fields"):
        read_items(f, {"titel": "title"})
    with pytest.raises(FileNotFoundError):
        read_items(tmp_path / "nope.csv")
    with pytest.raises(ValueError, match="unsupported"):
        read_items(write(tmp_path / "x.xml", "<a/>"))


def test_jsonl_gz_round_trip_is_byte_stable(tmp_path):
    items = [Item("x", "movie", "Alien", 1979, ("Ridley Scott",), ("Horror",), "A crew.", "https://e.org")]
    write_jsonl_gz(items, tmp_path / "a.jsonl.gz")
    write_jsonl_gz(items, tmp_path / "b.jsonl.gz")
    assert (tmp_path / "a.jsonl.gz").read_bytes() == (tmp_path / "b.jsonl.gz").read_bytes()
    assert read_items(tmp_path / "a.jsonl.gz").items == items
    with gzip.open(tmp_path / "a.jsonl.gz", "rt") as f:
        assert json.loads(f.readline())["creators"] == ["Ridley Scott"]


def test_embedding_text_is_short_and_informative():
    item = Item("x", "movie", "Alien", 1979, ("Ridley Scott",), ("Horror", "Science Fiction"),
                "The crew of a spaceship meets a deadly creature. It was a hit. " * 5)
    text = item.embedding_text()
    assert text.startswith("Alien (1979). Horror, Science Fiction. by Ridley Scott. The crew")
    assert "It was a hit" not in text
    long = Item("y", "book", "T" * 50, None, ("A " * 40,), tuple(f"tag{i}" for i in range(20)), "word " * 200)
    assert len(long.embedding_text()) <= 160 and "tag6" not in long.embedding_text()
    assert item.content_hash() != Item("x", "movie", "Alien", 1980).content_hash()


def test_prior_column_is_read_checked_and_optional(tmp_path):
    f = write(
        tmp_path / "c.csv",
        "id,domain,title,popularity\n"
        "1,movie,Alien,0.8\n"
        "2,movie,Heat,\n"
        "3,movie,Brazil,1.2\n"
        "4,movie,Ran,high\n",
    )
    report = read_items(f, {"prior": "popularity"})
    assert [(i.title, i.prior) for i in report.items] == [("Alien", 0.8), ("Heat", None)]
    assert [line for line, _ in report.errors] == [4, 5]
    assert "out of range" in report.errors[0][1] and "not a number" in report.errors[1][1]
    # An item without a prior writes no "prior" key: catalogs written before priors stay byte-identical.
    assert "prior" not in Item("x", "movie", "Alien").to_dict()
    assert Item("x", "movie", "Alien", prior=0.5).to_dict()["prior"] == 0.5
