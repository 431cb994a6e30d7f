"""What a turn needs that does not change per turn: the catalog, lexicon, title linker, CF, caches,
the scoring settings, and the optional LLM parts (reranker, explainer, understanding layer)."""

from __future__ import annotations

import contextlib
import difflib
import logging
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from bot.config import ScoringConfig
from bot.understand import Extraction, Lexicon, LinkTitles, title_index_linker
from bot.understand.vocab import CUE_NOT_WITH, DESCRIPTION_CUES, FACET_MEANINGS
from retrieval import Catalog
from retrieval.cooccur import CoOccurrence
from retrieval.items import Item
from retrieval.neighbours import Neighbours
from retrieval.query_head import QueryHead
from retrieval.titles import normalize_title

if TYPE_CHECKING:
    from bot.explain import Explainer
    from bot.llm_reply import LLMReplyWriter
    from bot.rerank import LLMReranker

log = logging.getLogger(__name__)

_STARRING_RE = re.compile(r"\bstarring\s+([^.;()]{3,200})")
_NAME_RE = re.compile(r"^(?:[A-Z][\w'’.-]*\s+){1,3}[A-Z][\w'’-]+$")


def starring(item: Item) -> list[str]:
    """The cast a film's description names ("... starring Morgan Freeman, Ashley Judd, and Cary Elwes"):
    the catalog's creators field keeps only the first few, and "a Cary Elwes movie" should find it."""
    if item.domain != "movie":
        return []
    m = _STARRING_RE.search(item.description or "")
    if m is None:
        return []
    parts = re.split(r",\s*(?:and\s+)?|\s+and\s+", m.group(1))
    return [p.strip() for p in parts[:8] if _NAME_RE.match(p.strip())]


_SUBTITLE_RE = re.compile(r";|:|,\s+or,?\s+")  # "Frankenstein; or, The Modern Prometheus"
ECHO_MAX_TITLES = 40  # a title word in more titles than this ("love", "night") says nothing
_TITLE_WORD_RE = re.compile(r"[^\W\d_]{3,}")
_TITLE_SKIP = frozenset({"the", "and", "for", "with", "from", "into", "part", "movie", "film", "story",
                         "tale", "book", "volume", "vol"})


def _title_words(title: str) -> set[str]:
    """A title's words, a plural as its singular ("The Hounds of God" echoes "The Hound of ...")."""
    words = (w for w in _TITLE_WORD_RE.findall(title.lower()) if w not in _TITLE_SKIP)
    return {w[:-1] if len(w) > 4 and w.endswith("s") and not w.endswith(("ss", "us", "is")) else w
            for w in words}


_FAMILY_RE = re.compile(r"\bdirected by the ([A-Z][\w'’-]+?)s\b")


def directed_by_family(item: Item) -> list[str]:
    """The family a film's description says directed it ("... directed by the Wachowskis" -> "wachowski")."""
    if item.domain != "movie":
        return []
    return [m.group(1).lower() for m in _FAMILY_RE.finditer(item.description or "")]


class Context:
    """Built once per process (bot.runtime.build_context) and shared by every session."""

    def __init__(self, catalog: Catalog, cooc: CoOccurrence | None = None,
                 config: ScoringConfig | None = None, lexicon: Lexicon | None = None):
        self.catalog = catalog
        # optional second understanding layer (bot.llm_understand); None keeps turns in milliseconds
        self.llm_extract: Callable[[str, str | None], Extraction] | None = None
        # optional LLM explainer (bot.explain.Explainer); None streams the template sentences
        self.explainer: Explainer | None = None
        # optional LLM reply writer (bot.llm_reply.LLMReplyWriter); None shows the template reply
        self.reply_writer: LLMReplyWriter | None = None
        # optional LLM reranker (bot.rerank.LLMReranker); None keeps retrieval's order
        self.reranker: LLMReranker | None = None
        # learned from dialogues (`python -m finetune retriever`); None leaves the signal out
        self.query_head: QueryHead | None = None
        self.neighbours: Neighbours | None = None
        self.config = config or ScoringConfig()
        # the year "recent" and "this year" are relative to; None = today's (a benchmark of old
        # dialogues sets the year they were written in)
        self.ref_year: int | None = None
        # turns whose picks are being worked out right now (bot.turns): the reply writer steps aside
        # for them, since on 2 cores its decoding would slow everyone's picks
        self._running = 0
        self._running_lock = threading.Lock()
        # how many turns wait for a worker, one reader per server queue (bot.api registers the chat
        # page's Gradio queue and the API's thread pool): a waiting turn means the machine is saturated
        self.queues: list[Callable[[], int]] = []
        items = list(catalog.items.values())
        self.lexicon = lexicon or Lexicon.from_items(items)
        self.link_titles: LinkTitles = title_index_linker(items)
        self.cooc = cooc
        self._facet_vectors: dict[str, np.ndarray] = {}
        self._by_tag: dict[str, set[str]] = {}
        self._carrying: dict[tuple[str, str], frozenset[str]] = {}  # (facet, domain) -> ids (ids_carrying)
        self._by_creator: dict[str, set[str]] = {}
        self._by_surname: dict[str, set[str]] = {}  # last name -> items, for names said as one word
        self._by_brand: dict[str, set[str]] = {}  # studio or brand word -> items that name it (on use)
        self._by_name: dict[str, set[str]] = {}  # full name -> items whose description names it (on use)
        # films whose record names nobody (no director, no cast): a "with X" limit cannot rule them out
        self.castless: frozenset[str] = frozenset(
            i.id for i in items if i.domain == "movie" and not i.creators and not starring(i))
        self._by_title_word: dict[str, set[str]] | None = None  # rare title word -> items (built on use)
        self._by_title: dict[str, list[str]] = {}
        self._by_main_title: dict[str, list[str]] = {}  # "frankenstein": "Frankenstein; or, the Modern ..."
        self._text_vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self.known_text_vectors: dict[str, np.ndarray] = {}  # embedded ahead of time (a benchmark's texts)
        self._priors_for: tuple[object, np.ndarray | None] = (None, None)
        # the items' popularity/quality priors in [0, 1]; empty when the catalog carries none
        self.priors: dict[str, float] = {i.id: float(i.prior) for i in items
                                         if getattr(i, "prior", None) is not None}
        for item in items:
            self._by_title.setdefault(normalize_title(item.title), []).append(item.id)
            main = normalize_title(_SUBTITLE_RE.split(item.title)[0])
            if main and main != normalize_title(item.title):
                self._by_main_title.setdefault(main, []).append(item.id)
            for tag in item.tags:
                self._by_tag.setdefault(tag.lower(), set()).add(item.id)
            for name in (*item.creators, *starring(item)):
                self._by_creator.setdefault(name.lower(), set()).add(item.id)
                if " " in name.strip():
                    self._by_surname.setdefault(name.lower().split()[-1], set()).add(item.id)
            for family in directed_by_family(item):  # "directed by the Wachowskis": not in the creators field
                self._by_surname.setdefault(family, set()).add(item.id)
        # "sad", "heist": no catalog tag, but a film's description says it in plain words (a book's short
        # record rarely does: the few it found were obscure, and then led "a sad book" on their tag alone)
        for facet, cue in DESCRIPTION_CUES.items():
            says, unlike = re.compile(cue, re.I), CUE_NOT_WITH.get(facet, frozenset())
            self._by_tag.setdefault(facet, set()).update(
                i.id for i in items if i.domain == "movie" and i.description and says.search(i.description)
                and not unlike & {t.lower() for t in i.tags})

    @classmethod
    def build(cls, catalog: Catalog, interactions_file: str | Path | None = None,
              config: ScoringConfig | None = None) -> Context:
        cooc = None
        if interactions_file and Path(interactions_file).exists():
            cooc = CoOccurrence.from_file(interactions_file, known_ids=set(catalog.items))
        return cls(catalog, cooc, config)

    def link_title(self, span: str, linked: str | None, domain: str | None) -> tuple[str | None, str]:
        """The catalog id a title span means, and a note when it had to guess.

        Same-titled items (the novel and its film) are told apart by the domain asked for;
        without one, the linker's pick stands and the note says which was taken. A span the
        exact linker missed ("Inceptoin") is looked up by full text, then by close spelling.
        """
        key = normalize_title(span)
        if not key:  # a span with no Latin letters or digits ("白日梦想家") would match every such title
            return linked, ""
        same = self._by_title.get(key, []) or ([] if linked else self._by_main_title.get(key, []))
        if not same and not linked:
            fts = [i.id for i in self.catalog.find_titles(span, limit=5, domain=domain)
                   if difflib.SequenceMatcher(None, normalize_title(i.title), key).ratio() >= 0.85]
            if fts:
                return fts[0], ""
            close = difflib.get_close_matches(key, self._by_title.keys(), n=1, cutoff=0.85)
            same = self._by_title[close[0]] if close else self._series_start(key, domain)
        if domain:
            in_domain = [i for i in same if self.catalog.get(i).domain == domain]
            if in_domain:
                return (linked if linked in in_domain else in_domain[0]), ""
        pick = linked or (same[0] if same else None)
        as_written = [i for i in same if " ".join(self.catalog.get(i).title.casefold().split())
                      == " ".join(span.casefold().split())]
        if len(as_written) == 1:  # "Pride and Prejudice" is the novel; the 2005 film is "Pride & Prejudice"
            pick = as_written[0]
        others = {self.catalog.get(i).domain for i in same if i != pick}
        if pick and others - {self.catalog.get(pick).domain}:
            item = self.catalog.get(pick)
            what = f"the {item.year} {item.domain}" if item.year else f"the {item.domain}"
            return pick, f'I took {item.title} as {what}; say "the {sorted(others)[0]}" if you meant that'
        return pick, ""

    def _series_start(self, key: str, domain: str | None) -> list[str]:
        """"Harry Potter" named whole: the first of the titles that begin with it, when two or more do."""
        if len(key.split()) < 2:
            return []
        ids = [i for title, same in self._by_title.items() if title.startswith(key + " ") for i in same
               if domain is None or self.catalog.get(i).domain == domain]
        if len(ids) < 2:
            return []
        return sorted(ids, key=lambda i: (self.catalog.get(i).year or 9999, i))[:1]

    def same_title_in(self, item_id: str, domain: str) -> str | None:
        """The item with the same title in another domain (the novel behind a film), if any."""
        item = self.catalog.get(item_id)
        if item is None:
            return None
        same = [i for i in self._by_title.get(normalize_title(item.title), [])
                if self.catalog.get(i).domain == domain]
        return same[0] if same else None

    def facets_across(self, item_id: str, domain: str | None) -> list[str]:
        """What a liked item of another domain is, in facets the asked-for domain has ("a book like the
        film Arrival": science fiction); none when that domain holds the same work (the novel Little
        Women is a better guide than the film's "historical")."""
        item = self.catalog.get(item_id)
        if item is None or domain is None or self.same_title_in(item_id, domain):
            return []
        return self.lexicon.facets_across(item, domain)

    @contextlib.contextmanager
    def turn_running(self) -> Iterator[None]:
        with self._running_lock:
            self._running += 1
        try:
            yield
        finally:
            with self._running_lock:
                self._running -= 1

    def turns_running(self) -> int:
        return self._running

    def turns_waiting(self) -> int:
        """Turns queued for a worker right now; then the LLM steps give way (bot.ranking, bot.llm_reply)."""
        waiting = 0
        for depth in self.queues:
            try:
                waiting += int(depth())
            except Exception:  # a queue that cannot be read counts as empty, never as a failed turn
                log.debug("queue depth unreadable", exc_info=True)
        return waiting

    def title_of(self, item_id: str) -> str:
        item = self.catalog.get(item_id)
        return item.title if item else item_id

    def facet_vector(self, text: str) -> np.ndarray:
        key = text.lower()
        if key not in self._facet_vectors:
            self._facet_vectors[key] = self.catalog.embed_query(FACET_MEANINGS.get(key, text))
        return self._facet_vectors[key]

    def text_vector(self, text: str) -> np.ndarray:
        """A dialogue text embedded; the last few are kept, since a turn asks twice (pool and scores)."""
        if text in self.known_text_vectors:
            return self.known_text_vectors[text]
        if text not in self._text_vectors:
            self._text_vectors[text] = self.catalog.embed_query(text)
            while len(self._text_vectors) > 64:
                self._text_vectors.popitem(last=False)
        return self._text_vectors[text]

    def priors_of(self, ids: list[str]) -> np.ndarray | None:
        if not self.priors:
            return None
        if self._priors_for[0] is not ids:  # a benchmark asks for the same candidate list every turn
            self._priors_for = (ids, np.array([self.priors.get(i, 0.0) for i in ids], dtype=np.float64))
        return self._priors_for[1]

    def title_echoes(self, liked_ids: list[str]) -> set[str]:
        """Items whose title shares a rare word with a liked item's title but none of its people."""
        if self._by_title_word is None:
            index: dict[str, set[str]] = {}
            for item in self.catalog.items.values():
                for word in _title_words(item.title):
                    index.setdefault(word, set()).add(item.id)
            self._by_title_word = {w: ids for w, ids in index.items() if len(ids) <= ECHO_MAX_TITLES}
        out: set[str] = set()
        for liked_id in liked_ids:
            liked = self.catalog.get(liked_id)
            if liked is None:
                continue
            people = {c.lower() for c in liked.creators}
            for word in _title_words(liked.title):
                for item_id in self._by_title_word.get(word, ()):
                    item = self.catalog.get(item_id)
                    if item_id != liked_id and not people & {c.lower() for c in item.creators}:
                        out.add(item_id)
        return out

    def ids_carrying(self, facet: str, domain: str) -> frozenset[str]:
        """The items of a domain tagged with a liked facet (its catalog tags there, else the facet itself:
        "sad" from film descriptions); the one reading for the chat pool, its best-known channel and the
        benchmarks' tag count, kept since every turn asks again."""
        key = (facet, domain)
        if key not in self._carrying:
            ids = self.ids_with_tags(self.lexicon.tags_for(facet, domain) or [facet])
            self._carrying[key] = frozenset(i for i in ids if (item := self.catalog.get(i)) is not None
                                            and item.domain == domain)
        return self._carrying[key]

    def ids_with_tags(self, tags: list[str]) -> set[str]:
        out: set[str] = set()
        for tag in tags:
            out |= self._by_tag.get(tag.lower(), set())
        return out

    def has_label(self, facet: str, domain: str | None) -> bool:
        """Does any catalog item (of the domain) carry a tag behind the facet, so a ban can filter?"""
        ids = self.ids_with_tags(self.lexicon.excluded_tags(facet, domain))
        return any(domain is None or self.catalog.get(i).domain == domain for i in ids)

    def ids_by_creators(self, names: list[str]) -> set[str]:
        """Items by any of the names; a one-word name ("Poe", kept as said when nobody was known by it)
        matches every creator with that last name, so "nothing by Poe" rules out Edgar Allan Poe."""
        out: set[str] = set()
        for name in names:
            key = name.lower()
            out |= self._by_creator.get(key, set())
            if " " not in key.strip():
                out |= self._by_surname.get(key.strip(), set())
                if key.strip() in self.lexicon.brands:  # "anything but Disney": what the records name
                    out |= self._mentioning(name.strip())
        return out

    def ids_naming(self, names: list[str]) -> set[str]:
        """Items whose description names one of these people in full ("The film stars David Arquette, ...
        and Drew Barrymore"): a record lists a director and a few leads, so "movies with Drew Barrymore"
        would rule out Scream. Widens a required person only; built on first use per name."""
        out: set[str] = set()
        for name in names:
            key = " ".join(name.lower().split())
            if " " not in key:
                continue  # a last name alone says too little to search descriptions for
            if key not in self._by_name:
                # "Stephen King" is not "Sir Stephen King-Hall"
                pattern = re.compile(rf"(?<![\w-]){re.escape(key)}(?![\w-])")
                self._by_name[key] = {i.id for i in self.catalog.items.values()
                                      if i.description and key.split()[-1] in i.description.lower()
                                      and pattern.search(i.description.lower())}
            out |= self._by_name[key]
        return out

    def works_of(self, names: list[str]) -> set[str]:
        """The work of people asked for by name, as a limit reads it: credited to them, or naming them in
        full in its description."""
        return self.ids_by_creators(names) | self.ids_naming(names)

    def _mentioning(self, word: str) -> set[str]:
        """Items whose title or description names a studio or brand (Lexicon.brands), built on first use."""
        key = word.lower()
        if key not in self._by_brand:
            pattern = re.compile(rf"\b{re.escape(word.capitalize())}\b")
            self._by_brand[key] = {i.id for i in self.catalog.items.values()
                                   if pattern.search(f"{i.title} {i.description or ''}")}
        return self._by_brand[key]
