"""The turn's reply, written by the packaged LLM and streamed after the picks: two sentences to the
user that say what was understood and why the first picks fit.

The model reads the user's message, the state in words and, for the first two picks, their template
sentence (whose roles and genres are right: `bot/explain.py`) and one sentence of the first one's
description; three worked examples show the shape. Decoding is greedy with prompt lookup: the reply
mostly copies facts from the prompt, so each step proposes the tokens that followed the last ones in the
prompt and one forward pass verifies them all (2-2.5x faster on this CPU, the same text as plain
greedy). The system prompt and the examples are run once; each reply starts from a copy of their cache.

A grounding checker (the explanations' checks from `bot/llm_explain.py`, plus roles, the user's own
words, planted instructions and the prompt's own text) reads the growing text; at its first complaint,
past the time budget, or when the machine is busy, the template reply is shown instead.
"""

from __future__ import annotations

import copy
import logging
import queue
import re
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import torch

from bot.explain import movie_roles
from bot.llm_explain import _GENERIC, Grounding, check_explanation, grounding_for, recent
from bot.llm_explain import SYSTEM as EXPLAIN_SYSTEM
from bot.llm_understand import SYSTEM as UNDERSTAND_SYSTEM
from bot.render import plain
from bot.reply_prompt import (
    _INSTRUCTION,
    EXAMPLES,
    SYSTEM,
    _sentence_ends,
    must_say,
    reply_facts,
)
from bot.rerank import _threads, resolve_precision
from bot.words import liked_titles

if TYPE_CHECKING:
    from bot.manager import StepResult

log = logging.getLogger(__name__)

_NEGATED = re.compile(r"\b(?:no|not|nothing|without|avoiding|avoid|skip|skipping|less|minus|instead of)"
                      r"(?:\s+\w+){0,2}?\s+", re.I)
_NAME_WORD = re.compile(r"[a-z0-9]+(?:[-'][a-z0-9]+)+")
_YEAR_IN = re.compile(r"\b(1[5-9]\d\d|20\d\d)\b")
_YOURS = frozenset({"taste", "list", "mood", "evening", "night", "weekend", "request", "wish", "message"})
_ROLE = re.compile(r"\b(directed by|starring|stars)\s+((?:(?:[A-Z][\w'.-]*|and|&)\s*,?\s*)+)")


class _MakeWay(Exception):
    """Raised between decoding steps when other turns queue for a worker."""


@dataclass
class ReplyStats:
    """Counters for the benchmark and /api/health."""

    written: int = 0  # replies the model started
    rejected: int = 0  # the checker stopped them
    late: int = 0  # past the time budget with no whole sentence
    skipped: int = 0  # the machine was busy: the template was shown at once
    gave_way: int = 0  # other turns queued while it wrote: stopped, the template (or its whole sentences)
    reasons: deque[str] = field(default_factory=recent)  # the latest only (see RECENT)
    refused_texts: deque[str] = field(default_factory=recent)  # what the checker stopped, for the benchmark
    first_token_s: deque[float] = field(default_factory=recent)
    total_s: deque[float] = field(default_factory=recent)


def prompt_runs(sources: Iterable[tuple[str, int]]) -> list[str]:
    """Every run of n consecutive words of each (source, n), lower case, in the sources' order: what a
    reply (or any output) must not repeat of a prompt."""
    runs = []
    for source, n in sources:
        w = re.findall(r"[a-z0-9]+", source.lower())
        runs += [" ".join(w[i:i + n]) for i in range(len(w) - n + 1)]
    return runs


def repeated_run(text: str, runs: Sequence[str]) -> str | None:
    """The first of `runs` that the text's words contain, if any."""
    words = " ".join(re.findall(r"[a-z0-9]+", text.lower()))
    return next((run for run in runs if run in words), None)


# six words in a row of any system prompt of the product (a message may ask for any of them), or eight
# of a worked example's reply (shorter runs of those are ordinary: "is a 2012 electronic album by");
# computed once, not at every streamed word
_PROMPT_RUNS = prompt_runs([(SYSTEM, 6), (EXPLAIN_SYSTEM, 6), (UNDERSTAND_SYSTEM, 6),
                            *((reply, 8) for _, reply in EXAMPLES)])


def _film_roles(items: list) -> dict[str, set[str]]:
    """The name words of the films' directors and cast, as the template sentences name them."""
    directed, starring = set(), set()
    for item in items:
        if item.domain == "movie":
            directors, cast = movie_roles(item)
            directed |= {w for n in directors for w in n.split()}
            starring |= {w for n in cast for w in n.split()}
    return {"directed": directed, "starring": starring}


def reply_grounding(items: list, state, said: str, genres: set[str], liked: list[str]) -> Grounding:
    """What a reply may say: every described pick's record, the user's words and the state's names.
    Words are read across punctuation ("reason?", "Sherlock Holmes:", "group of soldiers,"), and
    hyphenated names stay whole ("Zeta-Jones"), as the checker reads them."""
    g = _merged([grounding_for(i, state, genres, liked) for i in items])
    texts = [f"{i.title} {' '.join(i.creators)} {' '.join(i.tags)} {i.description or ''}" for i in items]
    # of the user's own words, only those written in lower case: a name they typed that the bot did not
    # link to the catalog ("recommend The Zorblax Conspiracy") is not a fact the reply may repeat
    lower = " ".join(w for w in re.findall(r"[\w'-]+", said) if not w[:1].isupper())
    texts += [lower, " ".join(state.constraints.excluded_creators)]
    for text in texts:
        low = text.lower()
        g.allowed_words |= set(_NAME_WORD.findall(low)) | set(re.findall(r"[a-z0-9]+", low))
        g.allowed_years |= {int(y) for y in _YEAR_IN.findall(text)}  # "Blade Runner 2049" may be said
    # genre words may come from the records, the user's words ("like Sherlock Holmes", whatever its case)
    # and liked titles ("more like Tales of St. Austin's")
    for text in (*texts, said, *liked):
        words = f" {' '.join(re.findall(r'[a-z0-9]+', text.lower()))} "
        g.supported_terms |= {t for t in genres if f" {t} " in words}
    return g


def _merged(groundings: list[Grounding]) -> Grounding:
    first = groundings[0]
    out = Grounding(set(), set(), first.genre_terms, set(), set())
    for g in groundings:
        out.allowed_words |= g.allowed_words
        out.allowed_years |= g.allowed_years
        out.supported_terms |= g.supported_terms
        out.disliked_terms |= g.disliked_terms
    return out


def check_reply(text: str, g: Grounding, final: bool = True,
                roles: dict[str, set[str]] | None = None) -> list[str]:
    """Problems with a reply (empty = grounded): the explanation checks over every pick's record and
    the user's words; a dislike may be named when negated ("no horror, then"); "directed by" and
    "starring" name only the films' directors and cast (`roles`: their name words)."""
    unnegated = text
    for term in g.disliked_terms:
        unnegated = re.sub(_NEGATED.pattern + re.escape(term), "", unnegated, flags=re.I)
    problems = [p for p in check_explanation(unnegated, g, final=final) if not p.endswith(" words")]
    body = text if final else text[: max(text.rfind(" "), 0)]
    if _INSTRUCTION.search(body):
        problems.append("talks about instructions")
    if leak := repeated_run(body, _PROMPT_RUNS):
        problems.append(f"repeats its prompt: {leak!r}")
    for m in re.finditer(r"\byour (\w+)", body.lower()):  # "for your dad": only if they said so
        if m.group(1) not in g.allowed_words and m.group(1) not in _YOURS:
            problems.append(f"'your {m.group(1)}' is not from the user")
    for role, names in _ROLE.findall(body):
        # "starring A and B, and Seven (1995) ..." and "starring A and B. Munich ..." name A and B (a
        # full stop after a word of two small letters ends the sentence; "Samuel L. Jackson" goes on)
        names = re.split(r"(?<=[a-z]{2})\.\s", names.split(",")[0])[0]
        known = roles.get("directed" if role == "directed by" else "starring", set()) if roles else None
        if known is not None and any(w not in known for w in re.findall(r"[A-Z][\w'-]+", names)):
            problems.append(f"'{role} {names.strip()}' is not in the record")
    if final:
        n = len(text.split())
        if n < 8 or n > 90:
            problems.append(f"{n} words")
    return problems


class LLMReplyWriter:
    """Writes and streams the reply of a turn with picks; any failure streams the template instead."""

    def __init__(self, model, tokenizer, genre_vocabulary: set[str], titles: dict[str, str] | None = None,
                 *, max_new_tokens: int = 80, lookup: int = 8, picks: int = 2, sentences: int = 2,
                 min_words: int = 10,
                 budget_s: float = 8.0, threads: int | None = 2, max_in_flight: int = 1,
                 others_busy: Callable[[], bool] | None = None,
                 others_waiting: Callable[[], bool] | None = None):
        self.model = model.eval()
        self.tokenizer = tokenizer
        self.genres = {g for g in genre_vocabulary if len(g) > 3 and g not in _GENERIC and g.isascii()
                       and not any(c.isdigit() for c in g)}
        self.titles = titles or {}
        self.max_new_tokens, self.lookup, self.picks = max_new_tokens, lookup, picks
        self.sentences = sentences  # the reply ends after this many (the prompt asks for two or three)
        self.budget_s, self.threads, self.max_in_flight = budget_s, threads, max_in_flight
        # whether other turns are computing their picks: then a reply is not started (the machine is
        # saturated: the template), and one being written pauses between steps until they are done
        self.others_busy = others_busy
        # whether other turns wait for a worker: a reply being written then stops (pausing would hold
        # the worker they wait for), keeping only its whole sentences
        self.others_waiting = others_waiting
        self.stats = ReplyStats()
        tok = tokenizer
        ends = ("<|im_end|>", "<|endoftext|>")
        self.stop_ids = {tok.eos_token_id, *(tok.convert_tokens_to_ids(t) for t in ends)}
        # tokens that end the reply or break its line ("Ċ" is a newline in byte-level BPE vocabularies)
        breaks = {i for t, i in tok.get_vocab().items() if "Ċ" in t or "\n" in t}
        self._enders = sorted(self.stop_ids | breaks)
        self.min_words = min_words
        self._busy = 0
        self._lock = threading.Lock()
        self._prefix_ids, self._prefix_cache = self._run_prefix()

    @classmethod
    def from_pretrained(cls, spec: str, genre_vocabulary: set[str], titles: dict[str, str] | None = None,
                        cache_dir: Path | None = None, threads: int = 2, precision: str = "auto",
                        **kwargs) -> LLMReplyWriter:
        """The packaged LLM ("packaged": Qwen2.5-Coder-0.5B-Instruct, "packaged-small": SmolLM2-135M), a
        folder or a hub id; held in bf16 where the CPU has native bf16 (half the bytes per token)."""
        from bot.models import load_llm

        dtype = resolve_precision(precision)
        model, tokenizer = load_llm(spec, cache_dir=cache_dir, threads=threads, dtype=dtype)
        return cls(model, tokenizer, genre_vocabulary, titles, threads=threads, **kwargs)

    # -- prompt --------------------------------------------------------------------------------

    def _messages(self) -> list[dict]:
        out = [{"role": "system", "content": SYSTEM}]
        for facts, reply in EXAMPLES:
            out += [{"role": "user", "content": facts}, {"role": "assistant", "content": reply}]
        return out

    def prompt(self, facts: str) -> str:
        messages = [*self._messages(), {"role": "user", "content": facts}]
        return self.tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)

    @torch.no_grad()
    def _run_prefix(self):
        from transformers import DynamicCache

        text = self.tokenizer.apply_chat_template(self._messages(), tokenize=False)
        ids = self.tokenizer(text, add_special_tokens=False).input_ids
        cache = DynamicCache()
        with _threads(self.threads):
            self.model(input_ids=torch.tensor([ids]), past_key_values=cache, use_cache=True)
        return ids, cache

    # -- the turn ------------------------------------------------------------------------------

    def stream(self, result: StepResult, said: str, fallback: str) -> Iterator[str]:
        """The reply as it grows (each value is the whole text so far; the last one is final). The
        fallback comes instead when the checker objects, the budget runs out or the machine is busy.

        The writing runs on a thread of its own: servers resume a streaming generator on whichever
        worker thread is free, and torch's thread count belongs to the thread (resumed elsewhere, a
        reply ran on one core). Closing this generator (a client gone) stops the writing."""
        with self._lock:  # never yield while holding it: the consumer may resume on another thread, or never
            busy = (self._busy >= self.max_in_flight or (self.others_busy is not None and self.others_busy())
                    or self._queued())
            if busy:
                self.stats.skipped += 1
            else:
                self._busy += 1
        if busy:
            yield fallback
            return
        texts: queue.Queue = queue.Queue()
        stop = threading.Event()

        def write() -> None:
            try:
                with _threads(self.threads):
                    for text in self._stream(result, said, fallback):
                        texts.put(text)
                        if stop.is_set():
                            break
            except Exception:  # a failing model never costs the user their answer
                log.exception("reply writer failed; using the template")
                texts.put(fallback)
            finally:
                with self._lock:
                    self._busy -= 1
                texts.put(None)

        threading.Thread(target=write, name="tastebud-reply", daemon=True).start()
        try:
            while (text := texts.get()) is not None:
                yield text
        finally:
            stop.set()

    def _stream(self, result: StepResult, said: str, fallback: str) -> Iterator[str]:
        state = result.state
        liked = liked_titles(state, self.titles.get)
        recs = result.recommendations[: self.picks]
        g = reply_grounding([r.item for r in recs], state, said, self.genres, liked)
        roles = _film_roles([r.item for r in recs])
        self.stats.written += 1
        start, text = time.perf_counter(), ""
        # what the user must be told (a message that changed nothing, nothing that recent in the catalog)
        # opens the reply in the template's own words; the model writes on from there. Left to itself it
        # echoed "Based on a true story, then." as if the request had been met, or left the warning out.
        opener = must_say(result.note)
        prompt = self.prompt(reply_facts(result, said, self.titles, self.picks)) + opener
        words = self._generate(prompt, deadline=start + self.budget_s)
        while True:  # `text`: the model's words after the opener, the part the checker reads
            try:
                text = next(words)
            except StopIteration:
                break
            except _MakeWay:  # other turns wait for this worker: stop here (their picks come first)
                if not (text := self._whole_sentences(_yours(plain(text)).strip())):
                    self.stats.gave_way += 1
                    yield fallback
                    return
                break
            shown = _yours(plain(text)).strip()
            if problems := check_reply(shown, g, final=False, roles=roles):
                yield self._reject(problems, fallback, shown)
                return
            if time.perf_counter() - start > self.budget_s:
                text = self._whole_sentences(shown)
                if not text:
                    self.stats.late += 1
                    yield fallback
                    return
                break
            checked = shown[: max(shown.rfind(" "), 0)]  # a half-written word is not checked yet
            if checked:
                yield opener + checked
        final = self._whole_sentences(_yours(plain(text)).strip())
        if problems := check_reply(final, g, final=True, roles=roles):
            yield self._reject(problems, fallback, final)
        else:
            yield opener + final

    @staticmethod
    def _whole_sentences(text: str) -> str:
        """The text up to its last full stop: a reply cut by the length cap ends where a sentence does."""
        ends = _sentence_ends(text)
        return text[: ends[-1]].strip() if ends else ""

    def _reject(self, problems: list[str], fallback: str, text: str) -> str:
        self.stats.rejected += 1
        self.stats.reasons.append(problems[0])
        self.stats.refused_texts.append(text)
        log.info("reply rejected (%s); using the template", problems[0])
        return fallback

    def _best(self, logits: torch.Tensor, text: str) -> torch.Tensor:
        """Greedy choice at each position; while the reply is shorter than `min_words`, never the end or a
        line break: the model sometimes stops after "Less scary horror, then.", which says nothing about
        the picks (4 of 64 turns were refused as too short before this)."""
        if len(text.split()) >= self.min_words:
            return logits.argmax(-1)
        masked = logits.clone()
        masked[..., self._enders] = float("-inf")
        return masked.argmax(-1)

    def _queued(self) -> bool:
        return self.others_waiting is not None and self.others_waiting()

    def _forward(self, ids: list[int], cache, last: int = 0, deadline: float = 0.0) -> torch.Tensor:
        while self.others_busy is not None and self.others_busy() and time.perf_counter() < deadline:
            if self._queued():
                raise _MakeWay
            time.sleep(0.01)  # other turns' picks first (see __init__); past the budget, finish up
        if self._queued():
            raise _MakeWay
        # only the last position's logits are read after the prompt: the 151k-word output layer over
        # every prompt token was a quarter of the time to the first word
        with torch.no_grad():
            return self.model(input_ids=torch.tensor([ids]), past_key_values=cache, use_cache=True,
                              logits_to_keep=last or len(ids)).logits

    def _generate(self, prompt: str, deadline: float = 0.0) -> Iterator[str]:
        """Greedy decoding with prompt lookup, yielding the growing text; stops at the end token, a
        blank line, the third sentence or the length cap."""
        tok = self.tokenizer
        ids = tok(prompt, add_special_tokens=False).input_ids
        n_prefix = len(self._prefix_ids)
        if ids[:n_prefix] != self._prefix_ids:  # a tokenizer that merges across the boundary: no reuse
            from transformers import DynamicCache

            cache, todo = DynamicCache(), ids
        else:
            cache, todo = copy.deepcopy(self._prefix_cache), ids[n_prefix:]
        start = time.perf_counter()
        logits = self._forward(todo, cache, last=1, deadline=deadline)
        new = [int(self._best(logits[0, -1:], "")[0])]
        self.stats.first_token_s.append(time.perf_counter() - start)
        while new[-1] not in self.stop_ids and len(new) < self.max_new_tokens:
            text = tok.decode(new, skip_special_tokens=True)
            if "\n\n" in text or len(_sentence_ends(text)) >= self.sentences:
                break
            yield text
            draft = _lookup(ids + new, self.lookup)[: self.max_new_tokens - len(new)]
            guess = self._best(self._forward([new[-1], *draft], cache, deadline=deadline)[0], text).tolist()
            taken = 0
            while taken < len(draft) and draft[taken] == guess[taken] and draft[taken] not in self.stop_ids:
                taken += 1
            if taken < len(draft):
                cache.crop(taken - len(draft))  # keep the verified tokens only (a negative count removes)
            new += [*draft[:taken], guess[taken]]
        text = tok.decode([t for t in new if t not in self.stop_ids], skip_special_tokens=True)
        self.stats.total_s.append(time.perf_counter() - start)
        yield text.split("\n\n")[0]


def _yours(text: str) -> str:
    """The user's words given back to them: the model restates "a novel for my mum" as "... for my mum,
    then."; to the user it is their mum."""
    return re.sub(r"\b([Mm])y\b", lambda m: "Your" if m.group(1) == "M" else "your", text)


def _lookup(tokens: list[int], k: int, longest: int = 3) -> list[int]:
    """Up to k tokens that followed the latest earlier occurrence of the sequence's last n tokens
    (n = 3, 2, 1): the reply is likely to copy on from where the prompt said the same thing."""
    for n in range(min(longest, len(tokens) - 1), 0, -1):
        tail = tokens[-n:]
        for i in range(len(tokens) - n - 1, -1, -1):
            if tokens[i:i + n] == tail:
                return tokens[i + n:i + n + k]
    return []
