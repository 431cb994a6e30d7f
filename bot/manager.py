"""The dialogue manager: one pure step from (state, utterance) to (new state, ranked items, summary).

    understand (bot.understand) -> update the state (likes, dislikes, constraints, critiques: here)
    -> rank (bot.ranking: filters, composed query, FAISS pool, hybrid score, optional rerank, MMR).
"""

from __future__ import annotations

import copy
import logging
import re
from dataclasses import dataclass

from bot import talk
from bot.compose import Interest
from bot.context import Context
from bot.critique import NEWER, allow_older, apply_critique, asked
from bot.i18n import and_list
from bot.people import creators_shortfall
from bot.ranking import Recommendation, effective_domain, recommend
from bot.state import CONTEXT_CHARS, DOMAINS, DialogueState
from bot.understand import MAX_CHARS, Extraction, extract
from bot.understand.cues import topic_of
from bot.understand.domain import carries_over, returns_to_earlier
from bot.understand.fresh import fresh_request
from bot.understand.novelty import novelty_request
from bot.understand.text import detect_lang, phrase_key
from bot.understand.years import states_years
from bot.understand.zh_critique import critique_text
from bot.words import DOMAIN_PLURAL, english_wish
from retrieval.items import Item

log = logging.getLogger(__name__)

_LAST_ONE = re.compile(r"\blast (?:one|pick|choice|suggestion|option|rec|track|song|album|record|book|novel|"
                       r"film|movie|title)\b|最后一", re.I)
# where or when it will be read, watched or heard: not what it should be about
_OCCASION_RE = re.compile(r"\b(?:for|on|during)\s+(?:the|a|my|our|this|that)\s+(?:long\s+)?(?:plane|flight|"
                          r"train|bus|commute|trip|journey|beach|pool|road trip|holiday|vacation|weekend|"
                          r"ride|drive|airport|subway|metro)s?\b|"
                          # when: "a feel-good movie for a rainy sunday" is not A Rainy Day in New York
                          r"\b(?:for|on)\s+(?:a|an|the|this|my|our|one)?\s*(?:[\w-]+\s+){0,2}?(?:day|night|evening|"
                          r"afternoon|morning|weekend|(?:mon|tues|wednes|thurs|fri|satur|sun)day)s?\b|\btonight\b|"
                          # who it is for: "a book for my wife" must not pull towards My Wife and I
                          r"\b(?:for|with)\s+(?:my|our|the)\s+(?:wife|husband|girlfriend|boyfriend|gf|bf|partner|"
                          r"mum|mom|mother|dad|father|parents|son|daughter|kids?|children|sister|brother|friend|"
                          r"grandma|grandpa|grandmother|grandfather|nephew|niece|boss|colleague)s?\b", re.I)
_LESS = re.compile(r"\bless (\w+)", re.I)
# how much a soft mention of a person counts (bot.state.Person.weight): an aside counts half
PERSON_WEIGHT = {"like": 1.0, "style": 1.0, "mention": 0.5}
RELAXED_RECENT_ITEMS = 50  # a relaxed "recent" reaches back far enough to hold this many items
SOFT_DISLIKE = 0.5  # the weight of a "less X" dislike: below 1, so a penalty and never a filter
_LESS_MAP = {"violent": "violence", "scary": "horror", "gory": "gore", "sad": "sad", "dark": "dark",
             "romantic": "romance", "serious": "drama", "long": "long", "slow": "slow", "loud": "loud"}


@dataclass
class StepResult:
    state: DialogueState
    recommendations: list[Recommendation]
    understood: dict
    note: str = ""  # what changed this turn, in words (or a polite error)
    intent: str = "recommend"  # bot.talk.INTENTS: greeting, help, thanks, clarify, question: no picks
    about: Item | None = None  # the item a "question" turn asked about (its record is the answer)


def user_text(utterance: str) -> str:
    """The utterance as the step reads it. JSON may carry lone surrogates ("\\ud800"); the embedder's
    tokenizer raises on them, so they become "?"."""
    if not isinstance(utterance, str):
        return ""
    return utterance.encode("utf-8", "replace").decode("utf-8")


def step(state: DialogueState, utterance: str, ctx: Context, k: int | None = None) -> StepResult:
    """One turn. Never mutates `state`; never raises on user text."""
    new, notes, extra = understand_turn(state, utterance, ctx)
    text = user_text(utterance)
    if len(text) > MAX_CHARS:  # the extractor reads only the start; say so rather than cut silently
        notes.insert(0, f"I read only the first {MAX_CHARS:,} characters of that")
    intent = talk.intent(text, state, new)
    if intent in talk.NO_PICKS:  # talk first; "the second one" still means the last answer's
        new.last_shown = list(state.last_shown)
        asked = talk.asked_item(text[:MAX_CHARS], state, ctx.link_titles) if intent == "question" else None
        return StepResult(new, [], new.summary(), "; ".join(dict.fromkeys(notes)), intent,
                          ctx.catalog.get(asked) if asked else None)
    notes += talk.which_note(text, state, new, ctx.title_of)
    if (intent == "recommend" and text.strip() and not notes and state.last_shown
            and new.summary() == state.summary()
            and [f.text for f in new.likes] == [f.text for f in state.likes]):  # "heisty": implied, unshown
        notes.append(talk.NOTHING_NEW)  # say so, rather than answer as if the message had been taken in
    if new.constraints.creators != state.constraints.creators:  # "王家卫的电影": two of his, the rest alike
        notes += [few] if (few := creators_shortfall(new, ctx, effective_domain(new, ctx))) else []
    recs = recommend(new, ctx, k or ctx.config.k, extra, utterance=text[:MAX_CHARS])
    new.last_shown = [r.item.id for r in recs]
    new.recommended = _dedupe(new.recommended + new.last_shown)
    return StepResult(new, recs, new.summary(), "; ".join(dict.fromkeys(notes)), intent)  # each said once


def understand_turn(state: DialogueState, utterance: str, ctx: Context
                    ) -> tuple[DialogueState, list[str], list[Interest]]:
    """The state half of a step: (new state, notes on what changed, this turn's extra interests)."""
    new = copy.deepcopy(state)
    new.turn += 1
    text = user_text(utterance)
    new.lang = detect_lang(text) or new.lang
    wants_novelty = novelty_request(text)
    if wants_novelty is not None:
        new.novelty = wants_novelty
    notes: list[str] = []
    if new.constraints.domain and new.constraints.domain != new.scope:  # set by the selector, not in words
        notes += switch_domain(new, new.constraints.domain, ctx)
    try:
        ex = extract(text, ctx.lexicon, ctx.link_titles, domain_hint=new.constraints.domain,
                     ref_year=ctx.ref_year, recent_span=ctx.config.recent_years)
    except Exception:  # the extractor promises not to raise; this keeps the chat alive if it does
        log.exception("extraction failed")
        ex = Extraction()
    if ctx.llm_extract is not None and text.strip():
        from bot.llm_understand import combine

        try:
            ex = combine(ex, ctx.llm_extract(text, new.constraints.domain))
        except Exception:
            log.exception("LLM extraction failed; using the rules alone")
    unknown: list[str] = []  # liked titles the catalog lacks, as apply_extraction linked them
    notes += apply_extraction(new, ex, text, ctx, unknown)
    said = critique_text(text)
    # "anything more recent?" is newer than the picks on screen (apply_critique), or than the film just
    # named ("any newer movies like that one?"), not the last few years
    relative = ex.recent and asked(NEWER, said)
    if relative and not new.last_shown:
        notes += _newer_than_named(new, ex, text, ctx)
    on_screen = relative and bool(new.last_shown) and not states_years(said)
    explicit_years = (ex.year_min is not None or ex.year_max is not None) and not on_screen
    critique = apply_critique(new, said, ctx, explicit_years=explicit_years)
    critique += allow_older(new, said, explicit_years)
    notes += critique
    # The learned dialogue query reads what was asked for in English (the embedder's language);
    # critiques ("more like the second one") and bans ("no horror") would pull towards their words.
    wish = _OCCASION_RE.sub(" ", text).strip()  # "a mystery for the plane" is about a mystery, not planes
    for name in ex.excluded_creators:  # "someone else than Agatha Christie" must not pull towards Agatha Webb
        wish = re.sub(r"\b" + r"\W+".join(map(re.escape, name.split())) + r"(?:'s)?\b", " ", wish, flags=re.I)
    for span in unknown:  # a title the catalog lacks is no words to match: "Concubine" is no romance
        wish = wish.replace(span, " ")
    # a turn that asked for nothing ("hi! what can you do?", "the third looks good") is no part of the
    # wish: it had become the whole of the learned query's words when the next message held a ban
    named = [t for t in ex.liked_titles + ex.seen_titles if not t.startswith("@")]
    understood = ex.likes or ex.implied_likes or named or ex.domain or ex.creators
    if new.lang != "en" and understood:  # the embedder reads English: say what was understood in it
        titles = [item.title for t in named if (item := ctx.catalog.get(ex.title_ids.get(t, "")))]
        styles = [c for c, role in ex.creator_roles.items()
                  if c not in ex.excluded_creators or role == "style"]
        wish = english_wish(ex.likes, titles, ex.hard_creators(), ex.domain, styles)
    if wish and understood and not critique and not (ex.dislikes or ex.disliked_titles):
        new.context = (new.context + " " + wish)[-CONTEXT_CHARS:].lstrip()
    # The words themselves carry nuance the tags lose ("mind-bending"), but only when they
    # say what is wanted: embedding "no horror" would pull towards horror.
    positive_only = (ex.likes or ex.implied_likes or ex.liked_titles) and not (
        ex.dislikes or ex.disliked_titles or ex.reversals)
    extra = []
    if positive_only and new.lang == "en":  # the English embedder reads no Chinese: the facets carry it
        words = wish[:500] or text[:500]
        extra.append(Interest(ctx.facet_vector(words), ctx.config.utterance_weight, new.turn))
    elif new.lang == "en" and not critique and (topic := topic_of(text)):  # nothing else said: the topic
        extra.append(Interest(ctx.facet_vector(f"a story {topic}"), ctx.config.utterance_weight, new.turn))
    extra += _passed_over(state, new, ctx)
    return new, notes, extra


def _passed_over(state: DialogueState, new: DialogueState, ctx: Context) -> list[Interest]:
    """"More like the second one" also says "less like the others": the picks on screen that were passed
    over pull this turn's query away (a negative weight, as in Rocchio's feedback), or "more like The
    Town" among five heist films brings the sequel of another one."""
    chosen = [i for i in new.liked_items if i not in state.liked_items and i in state.last_shown]
    others = [i for i in state.last_shown if i not in chosen and i not in new.liked_items]
    if not chosen or not others:
        return []
    mean = ctx.catalog.vectors_for(others).mean(axis=0)
    return [Interest(mean, -ctx.config.passed_over_weight, new.turn)]


def _newer_than_named(state: DialogueState, ex: Extraction, text: str, ctx: Context) -> list[str]:
    """"I enjoyed Friday the 13th (1980), any newer movies like that one?": after the titles named before the
    wish ("newer, like Moonlight" gives an example, not a bound)."""
    newer_at = m.start() if (m := NEWER.search(text)) else -1
    years = [y for span, i in ex.title_ids.items()
             if 0 <= text.find(span) < newer_at and (y := getattr(ctx.catalog.get(i), "year", None))]
    if not years:
        return []
    state.constraints.year_min, state.constraints.year_max = max(years) + 1, None
    return [f"newer: after {max(years)}"]


def feedback(state: DialogueState, item_id: str, liked: bool) -> DialogueState:
    """A thumbs up or down on a shown item."""
    new = copy.deepcopy(state)
    if liked:
        new.liked_items = _dedupe(new.liked_items + [item_id])
        new.rejected = [i for i in new.rejected if i != item_id]
    else:
        new.rejected = _dedupe(new.rejected + [item_id])
        new.liked_items = [i for i in new.liked_items if i != item_id]
    return new


_DOMAIN_BEFORE_TITLE = {d: re.compile(rf"(?:{words})\s*[《\"'“]?\s*$", re.I) for d, words in (
    ("movie", r"\bfilm|\bmovie|电影|影片"), ("book", r"\bbook|\bnovel|小说|书"),
    ("music", r"\balbum|\bsong|专辑|歌"))}


def _said_domain(span: str, text: str) -> str | None:
    """The domain named right before a title ("a book like the film Arrival", "像电影 Drive 那样的音乐"):
    the title is that domain's, whatever the message asks for."""
    at = text.lower().find(span.lower())
    before = text[max(0, at - 12):at] if at > 0 else ""
    return next((d for d, rx in _DOMAIN_BEFORE_TITLE.items() if rx.search(before)), None)


def resolve_title(
    span: str, ex: Extraction, state: DialogueState, text: str, ctx: Context | None = None,
    notes: list[str] | None = None,
) -> str | None:
    """A catalog id for a title span, or for a marker pointing at the last answer ("@2", "@last")."""
    if not span.startswith("@"):
        if ctx is None:
            return ex.title_ids.get(span)
        domain = _said_domain(span, text) or ex.domain or ex.implied_domain or state.constraints.domain
        item_id, note = ctx.link_title(span, ex.title_ids.get(span), domain)
        if note and notes is not None:
            notes.append(note)
        return item_id
    shown = state.last_shown
    if not shown:
        return None
    if span == "@last":  # "that one" is the top pick; "the last one" the bottom one
        return shown[-1] if _LAST_ONE.search(text) else shown[0]
    n = int(span[1:]) if span[1:].isdigit() else 0
    return shown[n - 1] if 1 <= n <= len(shown) else None


def apply_extraction(state: DialogueState, ex: Extraction, text: str = "", ctx: Context | None = None,
                     unknown: list[str] | None = None) -> list[str]:
    """Fold one turn's extraction into the state; returns notes on what changed.

    Titles are linked first, then the turn's domain is settled (said, or inferred from the titles
    and people named when no domain is in force), and only then do the turn's wishes go in, so
    they land in the domain they were said about. `unknown`, when given, collects the liked titles the
    catalog lacks (linked here once, for the note and for the caller)."""
    notes: list[str] = []
    title_of = ctx.title_of if ctx else str

    def resolve(span: str) -> str | None:
        return resolve_title(span, ex, state, text, ctx, notes)

    liked = [(span, resolve(span)) for span in ex.liked_titles]
    missing = [s for s, i in liked if i is None and not s.startswith("@")]
    if unknown is not None:
        unknown += missing  # the caller takes their words out of the learned query's
    if missing:  # "a movie like Farewell My Concubine": say so rather than answer as if it were known (not
        # naming it: the words are the user's, and a reply never repeats a title the catalog lacks)
        some = "one of the titles" if len(missing) < len(liked) or len(missing) > 1 else "the title"
        notes.append(f"I don't know {some} you named, so these go by the rest of what you said")
    disliked = [(span, resolve(span)) for span in ex.disliked_titles]
    seen = {resolve(s) for s in ex.seen_titles} - {None}
    named = [i for span, i in liked + disliked if i and not span.startswith("@")] + sorted(seen)
    named += [i for span in ex.mentioned_titles if (i := ex.title_ids.get(span)) and i not in named]
    domain, reason = ex.domain, ""
    if domain is None and returns_to_earlier(text):
        # "back to the western": the films' wishes come back ("the thriller after all" reads as allowed)
        domain = state.shelf_liking(ex.likes + ex.reversals)
    if domain is None and ex.implied_domain and (state.constraints.domain is None or ex.likes or (
            ctx and named and inferred_domain(named, ex.hard_creators(), ctx) == ex.implied_domain)):
        # "early 90s hip hop", "I read Dracula"; "some jazz" while on films; on music, "I read The Count of
        # Monte Cristo and loved it, anything else by Alexandre Dumas?"
        domain = ex.implied_domain
    if domain is None and state.constraints.domain is None and ctx is not None:
        # a person named in passing says nothing of the domain ("my wife adores Meryl Streep")
        domain = inferred_domain(named, ex.hard_creators(), ctx)
        reason = " (from what you named)"
    switched = bool(domain and domain != state.constraints.domain)
    if switched:
        before, back = state.constraints.domain, domain in state.shelves
        notes += switch_domain(state, domain, ctx, reason)
        # not with a wish of its own ("a movie that feels like Moby-Dick"), nor back to a domain's own wishes
        # ("ok back to the music, same vibe but no synth-pop")
        own = ex.likes or ex.liked_titles or ex.creators or back
        if before in state.shelves and not own and carries_over(text) and ctx is not None:
            notes += carry_over(state, before, ctx)
    if fresh_request(text):  # "something sad to watch instead", back on films: not the old film wishes
        notes += _start_afresh(state, ex, ctx.title_of if ctx is not None else None)

    for facet in ex.reversals:
        if state.accept(facet):
            notes.append(f"{facet} is fine again")
    for facet in ex.likes:
        if state.banned(facet) and facet in ex.indirect_likes and facet not in ex.reversals:
            # "no horror", then "a zombie movie": a narrower wish does not lift the ban unasked
            notes.append(f'still avoiding {facet}, as you asked; say "{facet} is fine" to lift that')
            continue
        if state.banned(facet):
            notes.append(f"{facet} is no longer avoided")
        state.add_like(facet)
    for facet, by in ex.implied_likes.items():
        state.add_implied_like(facet, by)
    # "less violent", "less scary" ask for less, not none: a soft dislike (a penalty, no filter), which
    # only weighs a liked facet down ("a horror movie" then "less scary" still wants horror)
    soft = dict.fromkeys(ex.soft_dislikes, "")  # facet -> the word said ("scary" for horror)
    for word in _LESS.findall(critique_text(text)):  # "少一点暴力" reads as "less violent"
        facet = _LESS_MAP.get(word.lower())
        if facet:
            soft[facet] = word.lower()
            notes.append(f"less {word.lower()}")
    for facet in ex.dislikes + sorted(set(soft) - set(ex.dislikes)):
        was_liked = any(f.text == facet for f in state.likes)
        state.add_dislike(facet, SOFT_DISLIKE if facet in soft else 1.0)  # a liked facet: weighed down
        if was_liked and soft.get(facet) and soft[facet] != facet:
            state.add_dislike(soft[facet], SOFT_DISLIKE)  # horror, but less scary: a penalty on "scary"
        if facet not in soft and ctx is not None and not ctx.has_label(facet, state.constraints.domain):
            notes.append(f"no catalog label says {facet}, so avoiding it can only be a soft preference: "
                         "fewer such picks, not none")
    if ex.everywhere:
        state.everywhere = _dedupe(state.everywhere + [f for f in ex.dislikes if f not in soft])
    named_likes = []
    for span, item_id in liked:
        if item_id:
            state.liked_items = _dedupe(state.liked_items + [item_id])
            state.seen = _dedupe(state.seen + [item_id])
            for facet in ctx.facets_across(item_id, state.constraints.domain) if ctx else ():
                state.add_implied_like(facet, title_of(item_id))  # "a book like the film Arrival"
            if span.startswith("@"):
                notes.append(f"more like {title_of(item_id)}")
            else:
                named_likes.append(title_of(item_id))
    if named_likes:  # "Heat, Ronin and Collateral — that's my taste": say what the picks will be like
        notes.append("more like " + and_list(list(dict.fromkeys(named_likes)), state.lang))
    for span, item_id in disliked:
        if item_id and item_id not in seen:  # "not that one, I've seen it" is not a verdict on it
            state.disliked_items = _dedupe(state.disliked_items + [item_id])
            notes.append(f"dropping {title_of(item_id)}")
        domain = state.constraints.domain
        linked = ctx.catalog.get(item_id) if ctx is not None and item_id else None
        elsewhere = linked is None or linked.domain != domain  # not the book named, among books
        if ctx is not None and domain and not span.startswith("@") and elsewhere:
            # "no Sherlock Holmes please" among books: the catalog's Sherlock Holmes shelf, not only the
            # 2009 film of that name (The Hound of the Baskervilles had come next)
            targets = ctx.lexicon.phrases.get(phrase_key(span), {})
            for facet in targets.get(domain) or targets.get(None) or ():
                if ctx.ids_carrying(facet, domain):
                    state.add_dislike(facet)
    for item_id in sorted(seen):
        state.seen = _dedupe(state.seen + [item_id])
        item = ctx.catalog.get(item_id) if ctx else None
        done = {"book": "read", "music": "heard"}.get(item.domain if item else "", "seen")
        notes.append(f"skipping {title_of(item_id)}, already {done}")
    c = state.constraints
    if ex.year_min is not None or ex.year_max is not None:
        c.year_min, c.year_max = ex.year_min, ex.year_max
        if ex.recent and ctx is not None:
            notes += relax_recent(state, ctx)
    for name in ex.hard_creators():
        state.require_creator(name)
    for name, role in ex.creator_roles.items():
        state.like_person(name, PERSON_WEIGHT.get(role, 1.0), kind=role)
    if ex.by_referenced and ctx is not None and (maker := _maker_referred_to(state, liked, ctx)):
        state.require_creator(maker)  # "the first one sounds perfect, anything else by that author?"
        notes.append(f"more by {maker}")
    if ex.rule_out_previous and (named := [p.name for p in state.people] or c.creators):
        ex.excluded_creators.append(named[-1])  # "a horror film like Ari Aster's" … "but not his own"
    for name in ex.excluded_creators:  # last: "nothing by X" wins over anything else said of X
        state.exclude_creator(name)
        notes.append(f"nothing by {name}")
    return notes


def _maker_referred_to(state: DialogueState, liked: list[tuple[str, str | None]], ctx: Context) -> str | None:
    """Who made the pick the message points at ("the first one… by that author"), else the top pick."""
    ids = [i for span, i in liked if i and span.startswith("@")] or state.last_shown[:1]
    item = ctx.catalog.get(ids[0]) if ids else None
    return item.creators[0] if item is not None and item.creators else None


def switch_domain(state: DialogueState, domain: str, ctx: Context | None = None, reason: str = ""
                  ) -> list[str]:
    """Make `domain` the one in force; the note says what happened to the wishes of each domain."""
    relink = ctx is not None and any(ctx.same_title_in(i, domain) for i in state.liked_items)
    if state.scope is None and ctx is not None and state.last_shown and not relink:
        shown = {ctx.catalog.get(i).domain for i in state.last_shown if ctx.catalog.get(i)}
        if len(shown) == 1 and (answered := shown.pop()) != domain:
            # wishes said with no domain word were answered with, say, films: they were about films, and
            # "now a mystery novel" parks them there instead of asking books for a 90s romantic comedy
            state.scope = answered
    adopting = state.scope is None
    parked, restored = state.switch_domain(domain)
    if parked or restored:
        state.context = ""  # the learned query's words were about the other domain
    if adopting and ctx is not None:  # "the book" after "I loved Pride and Prejudice": re-link to the novel
        state.liked_items = [ctx.same_title_in(i, domain) or i for i in state.liked_items]
    what = DOMAIN_PLURAL[domain]
    if not (parked or restored or reason or state.last_shown or state.likes or state.dislikes
            or state.liked_items):
        return []  # a first request for films needs no "now looking for movies"
    if restored:
        lead = f"back to {what}, with your earlier {domain} wishes"
    else:
        lead = f"switching to {what}" if parked else f"now looking for {what}"
    return [lead + reason + (f"; your {parked} wishes are kept for later" if parked else "")]


def carry_over(state: DialogueState, source: str, ctx: Context) -> list[str]:
    """"now a book with a similar vibe" after films: the films liked go along as what the books should be
    like (a book like the film Inception), and so do the qualities liked ("war", "sad"), and the people
    whose work was liked, as a style. The film wishes also stay on their shelf (`source`'s)."""
    shelf, carried = state.shelves[source], []
    for item_id in shelf.liked_items:
        if item_id not in state.liked_items:
            state.liked_items.append(item_id)
            carried.append(ctx.title_of(item_id))
    for facet in shelf.likes:  # what no tag says there ("sad", "sea stories" in films) carries as words
        if facet.implied_by is None and not state.banned(facet.text):
            state.add_like(facet.text, facet.weight)
            carried.append(facet.text)
    for person in shelf.people:
        if person.kind != "mention":
            state.like_person(person.name, person.weight, kind="style")
            carried.append(person.name)
    what = DOMAIN_PLURAL.get(source, source)
    return [f"like the {what} before: {and_list(carried[:4])}"] if carried else []


def inferred_domain(item_ids: list[str], creators: list[str], ctx: Context) -> str | None:
    """The domain of what the user named ("I loved Inception and Interstellar"), when every title
    linked with confidence (no same-titled item in another domain) and every named person's work
    lie in one domain."""
    domains: set[str] = set()
    for item_id in item_ids:
        item = ctx.catalog.get(item_id)
        if item is None or any(ctx.same_title_in(item_id, d) for d in DOMAINS if d != item.domain):
            continue  # "The Count of Monte Cristo": the novel or the film? No guess from it
        domains.add(item.domain)
    for name in creators:
        found = {ctx.catalog.get(i).domain for i in ctx.ids_by_creators([name]) if ctx.catalog.get(i)}
        if len(found) == 1:
            domains |= found
    return domains.pop() if len(domains) == 1 else None


def relax_recent(state: DialogueState, ctx: Context) -> list[str]:
    """"recent" when the catalog has nothing that recent in the domain (its newest items are older than
    the span): move the bound to the newest years there are, and say so, rather than answer nothing."""
    c = state.constraints
    domain = effective_domain(state, ctx)
    years = [i.year for i in ctx.catalog.items.values() if i.year and (domain is None or i.domain == domain)]
    if not years or c.year_min is None or max(years) >= c.year_min:
        return []
    years.sort(reverse=True)
    newest = years[0]
    # the span back from the newest, widened until it holds a few dozen items to choose from
    c.year_min = min(newest - ctx.config.recent_years, years[min(len(years), RELAXED_RECENT_ITEMS) - 1])
    c.year_max = None
    what = DOMAIN_PLURAL.get(domain or "", "items")
    return [f"nothing in the catalog is that recent: its newest {what} are from {newest}, "
            f"so these are the newest there are (from {c.year_min} on)"]


def _start_afresh(state: DialogueState, ex: Extraction, title_of=None) -> list[str]:
    """"a romantic comedy", then "now something scary": the new genres and moods replace the old ones
    (years, people and dislikes stay), and the learned query reads the new request only. Picks that were
    liked ("more like the second one") go with them: they answered the old request; titles the user
    named themselves stay."""
    said = {f.lower() for f in ex.likes if not state.banned(f)}
    old = [f.text for f in state.likes if f.implied_by is None]
    if not old or not said or said <= {f.lower() for f in old}:
        return []  # nothing to replace, or nothing new asked for: a critique or a repeat, not a new request
    state.likes = []
    picked = [i for i in state.liked_items if i in state.recommended]
    state.liked_items = [i for i in state.liked_items if i not in picked]
    state.context = ""
    state.last_shown = []  # the picks on screen answered the old request: the learned query skips them
    left = [f for f in old if f.lower() not in said] + [title_of(i) if title_of else i for i in picked]
    return [f"a new request, so no longer {and_list(left)}"] if left else []


def _dedupe(ids: list[str]) -> list[str]:
    return list(dict.fromkeys(ids))
