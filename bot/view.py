"""The chat page's HTML: the conversation (reply, compact cards, thumbs) and the "what I understood" bar.

Everything from the catalog or the user is escaped here (`esc`), and links pass `safe_url`, so the
markup the page shows is only the markup written in this module. The page (bot/ui.py) keeps the
conversation as plain data (`card_data`, turns as dicts) and renders it again after every change;
bot/web/page-chat.js and page-tags.js wire the buttons to Gradio events and scroll each new answer into view.
"""

from __future__ import annotations

import html

from bot.i18n import KIND_ZH, t
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


def _thumb(card: dict, liked: bool, verdict: bool | None, lang: str = "en") -> str:
    name = t("more_like_this" if liked else "not_for_me", lang)
    pressed = "true" if verdict is liked else "false"
    cls = "tb-thumb tb-up" if liked else "tb-thumb tb-down"
    return (f'<button type="button" class="{cls}" data-item="{attr(card["id"])}" data-liked="{int(liked)}" '
            f'aria-pressed="{pressed}" aria-label="{name}: {esc(card["title"])}" title="{name}">'
            f'{_icon(THUMB_UP if liked else THUMB_DOWN)}<span class="tb-thumb-text">{name}</span></button>')


def card_html(card: dict, answer: int, verdict: bool | None = None, lang: str = "en") -> str:
    """One compact card: title and year, creators, one line of why, thumbs, source; description folded."""
    state = {True: " tb-liked", False: " tb-disliked"}.get(verdict, "")
    year = f' <span class="tb-year">{card["year"]}</span>' if card.get("year") else ""
    kinds = KIND_ZH if lang == "zh" else KIND
    kind = kinds.get(card.get("domain", ""), card.get("domain", ""))
    by = ", ".join(card.get("creators") or [])
    meta = esc(f"{kind} · {by}" if by else kind)
    why = f'<p class="tb-why">{esc(card["why"])}</p>' if card.get("why") else ""
    note = {True: t("liked_verdict", lang), False: t("down_verdict", lang)}
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
        more = (f'<details class="tb-more" data-key="{answer}-{card["n"]}">'
                f'<summary>{t("about_it", lang)}</summary>'
                f'<p class="tb-desc">{esc(card["description"])}</p></details>')
    return (f'<li class="tb-card{state}" data-id="{attr(card["id"])}">'
            f'<h3 class="tb-title"><span class="tb-rank">{card["n"]}.</span> {esc(card["title"])}{year}</h3>'
            f'<p class="tb-meta">{meta}</p>{why}{mark}'
            f'<div class="tb-foot">{_thumb(card, True, verdict, lang)}{_thumb(card, False, verdict, lang)}'
            f'{more}</div>'
            f'<p class="tb-source">{link}{licence}</p></li>')


def turn_html(turn: dict, seen: dict[str, bool]) -> str:
    """One answer: what the user said (if anything), the reply, then its cards (in the turn's language)."""
    answer = int(turn.get("answer", 0))
    lang = turn.get("lang", "en")
    user = (f'<div class="tb-msg tb-user"><span class="tb-who">{t("you", lang)}</span> '
            f'{esc(turn["user"])}</div>') if turn.get("user") else ""
    busy = ' aria-busy="true"' if turn.get("writing") else ""  # the LLM is still writing it
    reply = (f'<div class="tb-msg tb-reply"{busy}><span class="tb-who">{t("bot", lang)}</span> '
             f'{esc(turn["reply"])}</div>')
    cards = "".join(card_html(c, answer, seen.get(c["id"]), lang) for c in turn.get("cards") or [])
    label = esc(t("picks_of", lang, n=answer))
    listing = f'<ol class="tb-cards" aria-label="{label}">{cards}</ol>' if cards else ""
    return f'<section class="tb-turn" data-answer="{answer}" aria-labelledby="tb-a{answer}">' \
           f'<h2 class="tb-sr" id="tb-a{answer}">{esc(t("answer", lang, n=answer))}</h2>' \
           f'{user}{reply}{listing}</section>'


def announcement(turn: dict) -> str:
    """What a screen reader hears when an answer comes in: the reply and the picks' titles (the picks
    alone while the reply is being written, so that it is not read out again at every word)."""
    titles = "; ".join(f'{c["n"]}. {c["title"]}' + (f' ({c["year"]})' if c.get("year") else "")
                       for c in turn.get("cards") or [])
    return titles if turn.get("writing") else f'{turn["reply"]} {titles}'.strip()


def conversation_html(turns: list[dict], state: DialogueState | None, *, hello: str, examples: list[str],
                      notice: str = "", announce: str = "", lang: str = "en") -> str:
    """The whole chat box. `notice` is a line shown above everything (e.g. what "forget me" deleted);
    `announce` is read out by screen readers (a polite live region), defaulting to the last answer.
    `lang` is the page's language (data-lang: bot/web/page-chat.js switches the page's fixed labels)."""
    seen = verdicts(state) if state is not None else {}
    parts = [f'<p class="tb-notice" role="note">{esc(notice)}</p>'] if notice else []
    if turns:
        parts += [turn_html(t, seen) for t in turns]
    else:
        buttons = "".join(f'<li><button type="button" class="tb-example" data-text="{attr(e)}">{esc(e)}'
                          f'</button></li>' for e in examples)
        parts.append(f'<div class="tb-empty"><p class="tb-hello">{esc(hello)}</p>'
                     f'<p class="tb-try" id="tb-try">{t("try", lang)}</p>'
                     f'<ul class="tb-examples" aria-labelledby="tb-try">{buttons}</ul></div>')
    if not announce and turns:
        announce = announcement(turns[-1])
    return (f'<div class="tb-chat" data-lang="{attr(lang)}">'
            f'<div class="tb-log" role="region" aria-label="Conversation" tabindex="0">'
            f'{"".join(parts)}</div>'
            f'<div class="tb-sr" role="status" aria-live="polite" aria-atomic="true">{esc(announce)}</div>'
            '</div>')


def tags_html(tags: list[Tag], lang: str = "en") -> str:
    """The "what I understood" bar: a summary line that folds open to removable chips."""
    colon = "：" if lang == "zh" else ":"
    if not tags:
        chips = f'<p class="tb-none">{esc(t("nothing_yet", lang))}</p>'
        peek = t("nothing_peek", lang)
    else:
        items = "".join(
            f'<li class="tb-chip tb-{esc(g.group.lower())}"><span class="tb-group">'
            f'{esc(g.group_label or g.group)}{colon}</span> <span class="tb-label">{esc(g.label)}</span>'
            f'<button type="button" class="tb-x" data-kind="{attr(g.kind)}" data-value="{attr(g.value)}" '
            f'aria-label="{esc(t("drop", lang, group=g.group_label or g.group, label=g.label))}" '
            f'title="{esc(t("drop_this", lang))}">×</button></li>' for g in tags)
        chips = f'<ul class="tb-chips">{items}</ul><p class="tb-hint">{esc(t("drop_hint", lang))}</p>'
        peek = ", ".join(g.label for g in tags[:3]) + (f" +{len(tags) - 3}" if len(tags) > 3 else "")
    return (f'<details class="tb-tags" data-key="tags" data-lang="{attr(lang)}"><summary>'
            f'<span class="tb-tags-title">{esc(t("understood", lang))}</span> <span class="tb-count">'
            f'({len(tags)})</span> <span class="tb-peek">{esc(peek)}</span></summary>{chips}</details>')
