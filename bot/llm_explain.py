"""LLM explanations, streamed token by token, each checked against the item's own record.

The model sees only the item's facts (title, year, kind, tags, creators, a slice of the
description) and the user's stated facets, and writes one sentence. While it streams, a grounding
checker reads the growing text; the moment it states a year, a name or a genre that is in neither
the item's record nor the user's state, or mentions something the user said they dislike, the
stream is abandoned and the template sentence (`bot.explain.template_explanation`) is shown instead.
Output is plain text: markup characters are dropped before anything is shown.
"""

from __future__ import annotations

import logging
import re
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import torch

from bot.render import plain
from bot.state import DialogueState
from bot.words import EXPLAIN_PROFILE, describe_state, kind_of, liked_titles

if TYPE_CHECKING:
    from bot.ranking import Recommendation
    from retrieval import Item

log = logging.getLogger(__name__)

SYSTEM = ("You explain recommendations. Write one short sentence (under 30 words) telling the user why "
          "this item fits what they asked for; speak to them as \"you\". Use only the facts given. "
          "Do not invent names, years or genres.")
_YEAR = re.compile(r"\b(1[5-9]\d\d|20\d\d)s?\b|\b'?(\d0)s\b")
_CAPITALISED = re.compile(r"(?<![.!?]\s)(?<!^)\b([A-Z][a-z]+(?:[-'][A-Za-z]+)?)\b")
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
# Capitalised words that are not names (and may start a clause mid-sentence).
_COMMON = {"I", "You", "Your", "It", "Its", "This", "That", "These", "The", "A", "An", "If", "And", "But",
           "With", "For", "In", "On", "Of", "As", "English", "American", "British", "French"}
# Catalog subject tags that are ordinary words in a sentence, not claims about the item's genre.
_GENERIC = {"books", "book", "story", "stories", "life", "film", "films", "movie", "movies", "music",
            "album", "albums", "novel", "novels", "fiction", "history", "people", "world", "love", "family",
            "time", "women", "children", "english", "american", "british", "humor", "humour"}
_MARKUP = re.compile(r"[<>`*_\[\]{}|#\\]|https?:|www\.|javascript:", re.I)


@dataclass
class Grounding:
    """What an explanation of one item may say: its record plus the user's state."""

    allowed_words: set[str]
    allowed_years: set[int]
    genre_terms: set[str]  # genre/tag vocabulary of the catalog: mentioning one needs support
    supported_terms: set[str]
    disliked_terms: set[str]
    problems: list[str] = field(default_factory=list)


def grounding_for(item: Item, state: DialogueState, genre_vocabulary: set[str],
                  titles: list[str] = ()) -> Grounding:
    record = " ".join([item.title, " ".join(item.creators), " ".join(item.tags), item.description or ""])
    user = " ".join([f.text for f in state.likes] + list(titles) + list(state.constraints.creators))
    words = set(_WORD.findall(record.lower())) | set(_WORD.findall(user.lower()))
    years = {item.year} if item.year else set()
    for y in (state.constraints.year_min, state.constraints.year_max):
        if y:
            years.add(y)
    tags = [t.lower() for t in item.tags]
    # a tag's own words count too: "horror" is supported by the tag "horror tales"
    supported = set(tags) | {w for t in tags for w in _WORD.findall(t)}
    supported |= {f.text.lower() for f in state.likes}
    text = f" {record.lower()} "
    supported |= {g for g in genre_vocabulary if f" {g} " in text}
    disliked = {f.text.lower() for f in state.dislikes}
    return Grounding(words, years, genre_vocabulary, supported, disliked)


def check_explanation(text: str, g: Grounding, final: bool = True) -> list[str]:
    """Problems with an explanation (empty = grounded). With final=False the text is a prefix of a
    stream: only complete words are judged."""
    problems = []
    body = text if final else text[: max(text.rfind(" "), 0)]
    if _MARKUP.search(body):
        problems.append("markup or a link")
    for m in _YEAR.finditer(body):
        if m.group(1):
            y = int(m.group(1))
            decade = m.group(0).endswith("s")
            if y not in g.allowed_years and not (decade and any(a // 10 == y // 10 for a in g.allowed_years)):
                problems.append(f"year {y} is not in the record")
        elif not any(a % 100 // 10 * 10 == int(m.group(2)) for a in g.allowed_years):
            problems.append(f"decade {m.group(0)} is not in the record")
    for m in _CAPITALISED.finditer(body):
        word = m.group(1).removesuffix("'s")
        if word not in _COMMON and word.lower() not in g.allowed_words:
            problems.append(f"name {word!r} is not in the record")
    low = f" {' '.join(_WORD.findall(body.lower()))} "
    for term in g.genre_terms:
        if f" {term} " in low and term not in g.supported_terms:
            problems.append(f"genre {term!r} is not in the record")
    for term in g.disliked_terms:
        if f" {term} " in low:
            problems.append(f"mentions {term!r}, which the user dislikes")
    if final:
        n = len(body.split())
        if n < 5 or n > 45:
            problems.append(f"{n} words")
    return problems


def item_facts(item: Item, max_description: int = 220) -> str:
    kind = kind_of(item.domain)
    facts = [f"Title: {item.title}", f"Kind: {kind}"]
    if item.year:
        facts.append(f"Year: {item.year}")
    if item.creators:
        facts.append(("Director/cast: " if item.domain == "movie" else "By: ") + ", ".join(item.creators[:3]))
    if item.tags:
        facts.append("Genres: " + ", ".join(t.lower() for t in item.tags[:5]))
    if item.description:
        facts.append("About: " + plain(item.description, max_description))
    return "\n".join(facts)


def user_facts(state: DialogueState, titles: list[str]) -> str:
    parts = describe_state(state.summary(), titles, EXPLAIN_PROFILE)
    return "The user " + ("; ".join(parts) if parts else "asked for something good") + "."


RECENT = 1000  # how many of the latest reasons and timings the stats keep: a server runs for weeks


def recent() -> deque:
    """A list of the latest RECENT values (older ones drop off), for stats kept by a long-lived server."""
    return deque(maxlen=RECENT)


@dataclass
class ExplainStats:
    """Counters for the benchmark: how often the checker stepped in, and how fast tokens came."""

    generated: int = 0
    rejected: int = 0
    reasons: deque[str] = field(default_factory=recent)
    first_token_s: deque[float] = field(default_factory=recent)
    total_s: deque[float] = field(default_factory=recent)


class LLMExplainer:
    """Callable as a `bot.explain.Explainer`: streams one recommendation's explanation."""

    def __init__(self, model, tokenizer, genre_vocabulary: set[str], titles: dict[str, str] | None = None,
                 max_new_tokens: int = 48):
        self.model = model.eval()
        self.tokenizer = tokenizer
        self.genres = {g for g in genre_vocabulary if len(g) > 3 and g not in _GENERIC}
        self.titles = titles or {}
        self.max_new_tokens = max_new_tokens
        self.stats = ExplainStats()

    @classmethod
    def from_pretrained(cls, spec: str, genre_vocabulary: set[str], titles: dict[str, str] | None = None,
                        cache_dir: Path | None = None, threads: int = 1) -> LLMExplainer:
        from bot.models import load_llm

        model, tokenizer = load_llm(spec, cache_dir=cache_dir, threads=threads)
        return cls(model, tokenizer, genre_vocabulary, titles)

    def prompt(self, item: Item, state: DialogueState) -> str:
        liked = liked_titles(state, self.titles.get)
        messages = [{"role": "system", "content": SYSTEM},
                    {"role": "user", "content": f"{user_facts(state, liked)}\n\n{item_facts(item)}\n\n"
                                                "Why does it fit them? One sentence."}]
        return self.tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)

    def __call__(self, rec: Recommendation, state: DialogueState) -> Iterator[str]:
        liked = liked_titles(state, self.titles.get)
        g = grounding_for(rec.item, state, self.genres, liked)
        self.stats.generated += 1
        text = ""
        for text in self._generate(self.prompt(rec.item, state)):
            shown = plain(text).strip()
            problems = check_explanation(shown, g, final=False)
            if problems:
                self._reject(problems)
                yield rec.explanation
                return
            checked = shown[: max(shown.rfind(" "), 0)]  # a half-written word is not checked yet
            if checked:
                yield checked
        final = plain(text).strip()
        problems = check_explanation(final, g, final=True)
        if problems:
            self._reject(problems)
            yield rec.explanation
        elif final:
            yield final

    def _reject(self, problems: list[str]) -> None:
        self.stats.rejected += 1
        self.stats.reasons.append(problems[0])
        log.info("explanation rejected (%s); using the template", problems[0])

    @torch.no_grad()
    def _generate(self, prompt: str) -> Iterator[str]:
        """Greedy decoding with the KV cache, yielding the growing text; stops at the end of the
        first sentence or line."""
        tok = self.tokenizer
        ids = tok(prompt, return_tensors="pt", add_special_tokens=False).input_ids
        start = time.perf_counter()
        out = self.model(input_ids=ids, use_cache=True)
        past, new = out.past_key_values, []
        stop = {tok.eos_token_id, *(tok.convert_tokens_to_ids(t) for t in ("<|im_end|>", "<|endoftext|>"))}
        for n in range(self.max_new_tokens):
            nxt = int(out.logits[0, -1].argmax())
            if nxt in stop:
                break
            new.append(nxt)
            if n == 0:
                self.stats.first_token_s.append(time.perf_counter() - start)
            text = tok.decode(new, skip_special_tokens=True)
            if "\n" in text.strip():
                text = text.strip().split("\n")[0]
                yield text
                break
            yield text
            if re.search(r"[.!?]\s*$", text) and len(text.split()) >= 6:
                break
            out = self.model(input_ids=torch.tensor([[nxt]]), past_key_values=past, use_cache=True)
            past = out.past_key_values
        self.stats.total_s.append(time.perf_counter() - start)
