"""Safe chat rendering of catalog text, and the one settings object."""

import re
from pathlib import Path

import pytest

from bot.config import Settings
from bot.render import card_markdown, md_escape, plain, safe_url
from retrieval import Item


def test_markup_in_catalog_text_renders_inert():
    evil = Item(
        "x", "movie", '<img src=x onerror="alert(1)">Alien', 1979, ("<script>alert(2)</script>Ridley",),
        ("[click](javascript:alert(3))",), "Great <b>film</b> ![pic](http://evil/x.png) \x1b[31m",
        url="javascript:alert(4)", license="CC BY-SA 4.0",
    )
    md = card_markdown(1, evil, explanation="<script>alert(5)</script>")
    assert "<" not in md.replace("&lt;", "") and ">" not in md.replace("&gt;", "")
    # no Markdown link or image survives: every bracket from the catalog is escaped, the bad url dropped
    assert re.search(r"(?<!\\)\]\(", md) is None
    assert "(javascript:" not in md.replace("\\(javascript:", "")
    assert "\x1b" not in md
    assert "onerror" not in md  # tags are stripped, not just escaped


def test_plain_and_urls():
    assert plain("  a <b>bold</b>\n move  ") == "a bold move"
    assert plain("word " * 100, 20).endswith("…") and len(plain("word " * 100, 20)) <= 20
    # parentheses could end a Markdown link early: they are percent-encoded
    assert safe_url("https://en.wikipedia.org/wiki/Alien_(film)") == "https://en.wikipedia.org/wiki/Alien_%28film%29"
    assert safe_url("https://e.org/a b") is None and safe_url('https://e.org/"onclick') is None
    assert safe_url("javascript:alert(1)") is None and safe_url("data:text/html,x") is None
    assert md_escape("a*b_c") == "a\\*b\\_c"


def test_card_has_link_only_for_safe_urls():
    ok = Item("x", "book", "Emma", None, ("Jane Austen",), ("Love stories",), "A novel.",
              "https://www.gutenberg.org/ebooks/158", "CC0 1.0")
    md = card_markdown(2, ok)
    assert "(https://www.gutenberg.org/ebooks/158)" in md and md.startswith("**2. Emma**")


def test_settings_env_then_overrides(tmp_path):
    env = {"TASTEBUD_THREADS": "2", "TASTEBUD_CACHE_DIR": str(tmp_path), "TASTEBUD_LLM": "Qwen/Qwen2.5-1.5B"}
    s = Settings.from_env(env, threads=1)
    assert s.threads == 1 and s.cache_dir == tmp_path and s.llm == "Qwen/Qwen2.5-1.5B"
    assert s.db_path == tmp_path / "catalog.db"
    assert Settings.from_env({}).embedder == "packaged"
    assert isinstance(Settings.from_env({"TASTEBUD_CATALOG_FILE": "x.csv"}).catalog_file, Path)
    with pytest.raises(ValueError, match="TASTEBUD_PORT"):
        Settings.from_env({"TASTEBUD_PORT": "eighty"})


def test_boolean_settings():
    assert Settings.from_env({}).llm_understanding is False
    assert Settings.from_env({"TASTEBUD_LLM_UNDERSTANDING": "on"}).llm_understanding is True
    with pytest.raises(ValueError, match="true or false"):
        Settings.from_env({"TASTEBUD_LLM_UNDERSTANDING": "maybe"})


def test_every_setting_has_an_env_var_and_a_flag_scoring_included(tmp_path):
    """One settings object: every field, the scoring weights too, is settable from the environment and
    from the CLI, generated from the dataclass, so a new field cannot be forgotten."""
    import argparse
    from dataclasses import fields

    from bot.cli import build_parser
    from bot.config import ScoringConfig, settings_from_args

    env = Settings.from_env({"TASTEBUD_SCORING_CF_WEIGHT": "0.25", "TASTEBUD_SCORING_POOL": "40",
                             "TASTEBUD_RERANK": "no"})
    assert env.scoring == ScoringConfig(cf_weight=0.25, pool=40) and env.rerank is False
    with pytest.raises(ValueError, match="TASTEBUD_SCORING_TAG_BONUS"):
        Settings.from_env({"TASTEBUD_SCORING_TAG_BONUS": "lots"})
    with pytest.raises(ValueError, match="unknown setting"):
        Settings.from_env({}, colour="blue")

    parser = build_parser()
    flags = {opt for action in parser._subparsers._group_actions[0].choices["serve"]._actions
             for opt in action.option_strings}
    for f in fields(Settings):
        if f.name == "scoring":
            assert all(f"--scoring-{g.name.replace('_', '-')}" in flags for g in fields(ScoringConfig))
        else:
            assert f"--{f.name.replace('_', '-')}" in flags, f.name

    args = parser.parse_args(["index", "--threads", "2", "--scoring-mmr-lambda", "0.5", "--no-rerank",
                              "--cache-dir", str(tmp_path)])
    s = settings_from_args(args, {"TASTEBUD_THREADS": "3", "TASTEBUD_SCORING_K": "7"})
    assert s.threads == 2 and s.scoring.mmr_lambda == 0.5 and s.scoring.k == 7 and s.rerank is False
    assert s.cache_dir == tmp_path and isinstance(args, argparse.Namespace)
