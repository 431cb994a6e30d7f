"""Chinese names of catalog works and of the people behind them: 《肖申克的救赎》 is The Shawshank Redemption,
诺兰 is Christopher Nolan. data/zh_aliases.tsv holds them (kind, zh, en, domain, in_catalog), written by hand
for the best-known works and people of the demo catalog and checked against it (every title row is an exact
catalog title of its domain). People the catalog lacks are listed too: they are excluded or named as a
style ("不要金庸的" still needs a name). `person_role` tells how a person named in Chinese was meant.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from bot.understand.text import fold
from bot.understand.vocab import LinkTitles

ALIASES_FILE = Path(__file__).resolve().parents[2] / "data" / "zh_aliases.tsv"
# a bare (unquoted) title must be this long: shorter ones are everyday words (降临 "arrival", 信条 "creed")
MIN_BARE_TITLE = 3


@dataclass(frozen=True)
class Aliases:
    titles: dict[str, tuple[str, str]]  # zh -> (catalog title, domain)
    people: dict[str, str]  # zh -> name as the catalog spells it
    max_len: int


@lru_cache(maxsize=4)
def load_aliases(path: Path = ALIASES_FILE) -> Aliases:
    titles: dict[str, tuple[str, str]] = {}
    people: dict[str, str] = {}
    if path.exists():
        with path.open(encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f, delimiter="\t"):
                zh, en = (row.get("zh") or "").strip(), (row.get("en") or "").strip()
                if not zh or not en:
                    continue
                if row.get("kind") == "title":
                    titles.setdefault(zh, (en, (row.get("domain") or "").strip()))
                elif row.get("kind") == "person":
                    people.setdefault(zh, en)
    _add_surnames(people, titles)
    return Aliases(titles, people, max((len(k) for k in [*titles, *people]), default=1))


# surnames that are also places, brands or everyday first names: 伦敦 is London before Jack London
_NOT_SURNAMES = frozenset(("伦敦", "福特", "波特", "亨利", "乔丹", "朱莉", "艾伦", "罗兰", "李维", "琼斯",
                           "卡特", "伍德", "洛克", "贝尔", "威利", "欧文", "皮特", "路德", "迪克", "罗比",
                           "伊凡"))


def _add_surnames(people: dict[str, str], titles: dict) -> None:
    """芬奇 alone, as Chinese speakers call David Fincher (大卫·芬奇): the last part of a full name,
    when it is nobody else's (安德森 is Wes or Paul Thomas Anderson: no alias) and no title or everyday
    word."""
    owners: dict[str, set[str]] = {}
    for zh, en in people.items():
        parts = re.split(r"[·•]", zh)
        if len(parts) > 1 and len(parts[-1]) >= 2:
            owners.setdefault(parts[-1], set()).add(en)
    for last, names in owners.items():
        if len(names) == 1 and last not in people and last not in titles and last not in _NOT_SURNAMES:
            people[last] = next(iter(names))


def find_aliases(text: str, aliases: Aliases) -> list[tuple[int, int, str, str, str]]:
    """Longest alias at each position, left to right: (start, end, "title" or "person", en, domain)."""
    out: list[tuple[int, int, str, str, str]] = []
    i, n = 0, len(text)
    while i < n:
        for size in range(min(aliases.max_len, n - i), 1, -1):
            word = text[i:i + size]
            if word in aliases.people:
                out.append((i, i + size, "person", aliases.people[word], ""))
                break
            if word in aliases.titles and size >= MIN_BARE_TITLE:
                en, domain = aliases.titles[word]
                out.append((i, i + size, "title", en, domain))
                break
        else:
            i += 1
            continue
        i = out[-1][1]
    return out


_STYLE_BEFORE_RE = re.compile(r"(?:像|类似|仿佛|好像)\s*$")
_STYLE_AFTER_RE = re.compile(r"^\s*(?:的)?\s*(?:那种|那样|这种|这样|一样|似的|风格|那一类|式)")
_MENTION_BEFORE_RE = re.compile(r"(?:在看|在读|在听|在啃|正在看|正在读|正在听|刚看完|刚读完|刚听完)\s*$")
# ... or asked about: 《闪灵》是库布里克拍的吗
_MENTION_AFTER_RE = re.compile(r"^\s*的?\s*(?:也行|也可以|也好|也没关系|都行|都可以|也不错)|"
                               r"^\s*(?:拍|导|导演|执导|写|演|主演|唱)的\s*(?:吗|么|嘛|[?？])")
_ASKING_BEFORE_RE = re.compile(r"(?:有没有|有什么|有哪些|来[一几]?部|推荐[一几]?部?)\s*$")
_FAN_AFTER_RE = re.compile(r"^\s*的?\s*(?:粉丝|影迷|书迷|歌迷|铁粉|忠实粉丝)")
_LIKE_BEFORE_RE = re.compile(r"(?:喜欢|爱|迷|粉|崇拜|欣赏)\s*$")
_ASKED_AFTER_RE = re.compile(r"^\s*(?:导演|执导|拍|写|主演|演|唱|作曲)")


def person_role(low: str, start: int, end: int) -> str | None:
    """How a person was meant, as bot.understand.titles does for English: "style" (像诺兰那种), "like"
    (我挺喜欢摩根·弗里曼的), "mention" (斯科塞斯的也行) or None for a requirement (宫崎骏的动画,
    斯皮尔伯格导演的片子)."""
    before, after = low[max(0, start - 6):start], low[end:end + 6]
    if _STYLE_BEFORE_RE.search(before) or _STYLE_AFTER_RE.match(after):
        return "style"
    if _MENTION_BEFORE_RE.search(before) or (_MENTION_AFTER_RE.match(after)
                                             and not _ASKING_BEFORE_RE.search(before)):
        return "mention"  # 最近在啃陀思妥耶夫斯基; 斯科塞斯的也行 allows him; but 有没有金·凯瑞演的？ asks
    if (_LIKE_BEFORE_RE.search(before) and not _ASKED_AFTER_RE.match(after)) or _FAN_AFTER_RE.match(after):
        return "like"
    return None


def link_whole(span: str, link_titles: LinkTitles | None) -> str | None:
    """The catalog id of a title that is the whole span ("The Matrix"), not a word inside it."""
    if link_titles is None:
        return None
    try:
        links = link_titles(span)
    except Exception:  # a broken linker must not break understanding
        return None
    key = fold(span).strip()
    for found, item_id in links or []:
        if fold(str(found)).strip() == key:
            return str(item_id)
    return None
