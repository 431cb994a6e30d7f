"""The chat page's HTML: the conversation (reply, compact cards, thumbs) and the "what I understood" bar.

Everything from the catalog or the user is escaped here (`esc`), and links pass `safe_url`, so the
markup the page shows is only the markup written in this module. The page (bot/ui.py) keeps the
conversation as plain data (`card_data`, turns as dicts) and renders it again after every change;
bot/web/page-chat.js and page-tags.js wire the buttons to Gradio events and scroll each new answer into view.
"""

from __future__ import annotations

import html

from bot.ranking import Recommendation
from bot.render import licence_short, plain, safe_url, source_label
from bot.state import DialogueState
from bot.tags import Tag
from bot.words import KIND

# The same two icons as the widget (bot/web/widget.js), always in this order: up, then down.
THUMB_UP = ("M2 21h4V9H2v12zm20-11a2 2 0 0 0-2-2h-6.3l1-4.6v-.3c0-.4-.2-.8-.4-1.1L13.2 1 6.6 7.6C6.2 8 6 8.5 "
            "6 9v10a2 2 0 0 0 2 2h9c.8 0 1.5-.5 1.8-1.2l3-7.1c.1-.2.2-.5.2-.7v-2z")
THUMB_DOWN = ("M22 3h-4v12h4V3zM2 14a2 2 0 0 0 2 2h6.3l-1 4.6v.3c0 .4.2.8.4 1.1l1.1 1L17.4 16.4c.4-.4.6-.9."
              "6-1.4V5a2 2 0 0 0-2-2H7c-.8 0-1.5.5-1.8 1.2l-3 7.1c-.1.2-.2.5-.2.7v2z")
MORE_LIKE_THIS = "More like this"
NOT_FOR_ME = "Not for me"


def esc(text: object) -> str:
    """Plain text (tags and control characters stripped) escaped for HTML text and attribute values."""
    return html.escape(plain(str(text)), quote=True)


def attr(value: object) -> str:
    """A value that must come back exactly (an item id, a tag's value) escaped for an attribute."""
    return html.escape(str(value), quote=True)


def card_data(n: int, rec: Recommendation, explanation: str) -> dict:
    """What a card shows, as plain text (escaped only when rendered)."""
    i = rec.item
    return {"n": n, "id": i.id, "title": plain(i.title), "year": i.year, "domain": i.domain,
            "creators": [plain(c) for c in i.creators[:3]], "why": plain(explanation),
            "description": plain(i.description, 400), "url": safe_url(i.url), "source": source_label(i),
            "licence": licence_short(i)}


def verdicts(state: DialogueState) -> dict[str, bool]:
    """Item id -> True (thumbed up / liked) or False (turned down), as the thumbs show it."""
    out = {i: False for i in [*state.rejected, *state.disliked_items]}
    out.update({i: True for i in state.liked_items})
    return out


def _icon(path: str) -> str:
    return f'<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d="{path}"/></svg>'


def _thumb(card: dict, liked: bool, verdict: bool | None) -> str:
    name = MORE_LIKE_THIS if liked else NOT_FOR_ME
    pressed = "true" if verdict is liked else "false"
    cls = "tb-thumb tb-up" if liked else "tb-thumb tb-down"
    return (f'<button type="button" class="{cls}" data-item="{attr(card["id"])}" data-liked="{int(liked)}" '
            f'aria-pressed="{pressed}" aria-label="{name}: {esc(card["title"])}" title="{name}">'
            f'{_icon(THUMB_UP if liked else THUMB_DOWN)}<span class="tb-thumb-text">{name}</span></button>')


def card_html(card: dict, answer: int, verdict: bool | None = None) -> str:
    """One compact card: title and year, creators, one line of why, thumbs, source; description folded."""
    state = {True: " tb-liked", False: " tb-disliked"}.get(verdict, "")
    year = f' <span class="tb-year">{card["year"]}</span>' if card.get("year") else ""
    kind = KIND.get(card.get("domain", ""), card.get("domain", ""))
    by = ", ".join(card.get("creators") or [])
    meta = esc(f"{kind} · {by}" if by else kind)
    why = f'<p class="tb-why">{esc(card["why"])}</p>' if card.get("why") else ""
    note = {True: "You liked this: more like it.", False: "Turned down: it won't be suggested again."}
    mark = f'<p class="tb-verdict">{note[verdict]}</p>' if verdict is not None else ""
    source = esc(card["source"])
    if card.get("url"):
        link = (f'<a class="tb-src" href="{html.escape(card["url"], quote=True)}" target="_blank" '
                f'rel="noopener noreferrer nofollow">{source}</a>')
    else:
        link = f'<span class="tb-src">{source}</span>'
    # with no link the source text already is the licence
    licence = f' <span class="tb-licence">{esc(card["licence"])}</span>' if card.get("licence") and \
        card.get("url") else ""
    more = ""
    if card.get("description"):
        more = (f'<details class="tb-more" data-key="{answer}-{card["n"]}"><summary>About it</summary>'
                f'<p class="tb-desc">{esc(card["description"])}</p></details>')
    return (f'<li class="tb-card{state}" data-id="{attr(card["id"])}">'
            f'<h3 class="tb-title"><span class="tb-rank">{card["n"]}.</span> {esc(card["title"])}{year}</h3>'
            f'<p class="tb-meta">{meta}</p>{why}{mark}'
            f'<div class="tb-foot">{_thumb(card, True, verdict)}{_thumb(card, False, verdict)}{more}</div>'
            f'<p class="tb-source">{link}{licence}</p></li>')


def turn_html(turn: dict, seen: dict[str, bool]) -> str:
    """One answer: what the user said (if anything), the reply, then its cards."""
    answer = int(turn.get("answer", 0))
    user = f'<div class="tb-msg tb-user"><span class="tb-who">You:</span> {esc(turn["user"])}</div>' \
        if turn.get("user") else ""
    reply = f'<div class="tb-msg tb-reply"><span class="tb-who">tastebud:</span> {esc(turn["reply"])}</div>'
    cards = "".join(card_html(c, answer, seen.get(c["id"])) for c in turn.get("cards") or [])
    listing = f'<ol class="tb-cards" aria-label="Picks of answer {answer}">{cards}</ol>' if cards else ""
    return f'<section class="tb-turn" data-answer="{answer}" aria-labelledby="tb-a{answer}">' \
           f'<h2 class="tb-sr" id="tb-a{answer}">Answer {answer}</h2>{user}{reply}{listing}</section>'


def announcement(turn: dict) -> str:
    """What a screen reader hears when an answer comes in: the reply and the picks' titles."""
    titles = "; ".join(f'{c["n"]}. {c["title"]}' + (f' ({c["year"]})' if c.get("year") else "")
                       for c in turn.get("cards") or [])
    return f'{turn["reply"]} {titles}'.strip()


def conversation_html(turns: list[dict], state: DialogueState | None, *, hello: str, examples: list[str],
                      notice: str = "", announce: str = "") -> str:
    """The whole chat box. `notice` is a line shown above everything (e.g. what "forget me" deleted);
    `announce` is read out by screen readers (a polite live region), defaulting to the last answer."""
    seen = verdicts(state) if state is not None else {}
    parts = [f'<p class="tb-notice" role="note">{esc(notice)}</p>'] if notice else []
    if turns:
        parts += [turn_html(t, seen) for t in turns]
    else:
        buttons = "".join(f'<li><button type="button" class="tb-example" data-text="{attr(e)}">{esc(e)}'
                          f'</button></li>' for e in examples)
        parts.append(f'<div class="tb-empty"><p class="tb-hello">{esc(hello)}</p>'
                     f'<p class="tb-try" id="tb-try">Try one of these:</p>'
                     f'<ul class="tb-examples" aria-labelledby="tb-try">{buttons}</ul></div>')
    if not announce and turns:
        announce = announcement(turns[-1])
    return (f'<div class="tb-chat"><div class="tb-log" role="region" aria-label="Conversation" tabindex="0">'
            f'{"".join(parts)}</div>'
            f'<div class="tb-sr" role="status" aria-live="polite" aria-atomic="true">{esc(announce)}</div>'
            '</div>')


def tags_html(tags: list[Tag]) -> str:
    """The "what I understood" bar: a summary line that folds open to removable chips."""
    if not tags:
        chips = '<p class="tb-none">Nothing yet: tell me what you like.</p>'
        peek = "nothing yet"
    else:
        items = "".join(
            f'<li class="tb-chip tb-{esc(t.group.lower())}"><span class="tb-group">{esc(t.group)}:</span> '
            f'<span class="tb-label">{esc(t.label)}</span>'
            f'<button type="button" class="tb-x" data-kind="{attr(t.kind)}" '
            f'data-value="{attr(t.value)}" aria-label="Drop {esc(t.group)}: {esc(t.label)}" '
            f'title="Drop this">×</button></li>' for t in tags)
        chips = f'<ul class="tb-chips">{items}</ul><p class="tb-hint">Press × on a tag to drop it.</p>'
        peek = ", ".join(t.label for t in tags[:3]) + (f" +{len(tags) - 3}" if len(tags) > 3 else "")
    return (f'<details class="tb-tags" data-key="tags"><summary><span class="tb-tags-title">What I understood'
            f'</span> <span class="tb-count">({len(tags)})</span> <span class="tb-peek">{esc(peek)}</span>'
            f'</summary>{chips}</details>')
