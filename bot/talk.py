"""Talking before recommending: what kind of turn a message is (its intent), decided after the state update.

    greeting  "hi", "你好"                 a short answer and a question; no picks
    help      "what can you do?", "你能做什么"   what the bot does and a question; no picks
    thanks    "thanks", "谢谢"              a short answer; no new picks (the last ones stay on screen)
    clarify   nothing understood and nothing known yet ("asdf", "🍿"): a question; no picks
    question  a question about an item, asked with no wish in it ("who directed Heat?", "is that the one
              with Emily Blunt?", "讲的是什么？"): what the catalog's record says; no picks
    critique  a reaction to the picks on screen ("older", "not that one", "第二个不错")
    recommend everything else: picks

Small talk counts only when the message changed nothing else ("hi, a sci-fi movie" recommends).
An empty message (a removed tag, the domain selector) always recommends.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.explain import template_explanation
from bot.i18n import t
from bot.state import DialogueState
from bot.understand.cues import about_bot
from bot.understand.zh_critique import critique_words
from bot.understand.zh_years import cn_number
from retrieval.items import Item

NO_PICKS = ("greeting", "help", "thanks", "clarify", "question")
INTENTS = (*NO_PICKS, "critique", "recommend")

_END = r"[\s!.?,~。！？，…]*"
_GREETING_RE = re.compile(
    rf"{_END}(?:hi|hello|hey|hiya|howdy|yo|greetings|good (?:morning|afternoon|evening)|hallo|hola|bonjour|"
    rf"你好|您好|嗨|哈喽|哈啰|早上好|下午好|晚上好|在吗|在不在)(?:{_END}(?:there|tastebud|bot|you|呀|啊|哦|吖))?{_END}",
    re.I)
_HELP_RE = re.compile(
    r"\bwhat (?:can|do|could) you (?:actually |even |really )?(?:do|recommend|suggest)\b|"
    r"\bhow (?:does this|do you|do i use this) work\b|"
    r"\bhow do i use\b|\bwhat'?s your deal\b|"
    r"\bcan (?:you|u) (?:\w+,?\s+){0,2}(?:buy|book|order|play|stream|download|reserve)\b|"
    r"\bwho are you\b|\bwhat are you\b|^\W*help\W*$|\bwhat is this\b|"
    r"\bdo you (?:only )?(?:do|speak|understand|support|cover)\b|你们?会推荐[^几一些点两]{1,8}吗|"
    r"你能做什么|你会做什么|你会什么|你可以做什么|你能干什么|能做什么|怎么用|你是谁|有什么功能|帮助|你能推荐什么|都能推荐|能推荐些什么|能帮我推荐(?:些|点)?(?:啥|什么)(?:呀|啊|呢)?\W*$",
    re.I)
# a goodbye is answered as thanks are: "Thanks! 明天再来", "bye!"
_BYE = (r"(?:bye|bye-bye|goodbye|see (?:you|ya)(?: later| tomorrow| soon)?|later|good ?night|night|ttyl|"
        r"(?:下次|下回|明天|改天|回头|有空)再(?:来|聊)(?:找你)?(?:玩|聊)?(?:啦|了|哦|吧)?|再见|拜拜|晚安|回头见|明天见)")
_THANKS_RE = re.compile(
    rf"{_END}(?:(?:ok(?:ay)?|great|perfect|cool|nice|awesome|好的|好|太好了|很好)[\s,，!！]*)?"
    r"(?:thanks?(?: you| u)?(?: (?:so much|a lot|very much))?|thx|ty|cheers|much appreciated|"
    rf"谢谢(?:你|您|啦)?|多谢|感谢|谢啦|谢了|3q)"
    rf"(?:{_END}{_BYE})?{_END}|{_END}{_BYE}(?:{_END}{_BYE})?{_END}", re.I)  # "拜拜，明天再来"
_PRAISE_RE = re.compile(r"(?:你|您)?推荐(?:得|的)(?:都)?(?:挺|很|真|太|还挺|蛮|超|好)?"
                        r"(?:准|好|不错|棒|靠谱|对味)|\b(?:great|good|nice|awesome|spot[- ]on|solid|perfect|"
                        r"excellent) (?:recs|recommendations|picks|suggestions|list)\b|"
                        r"\byou'?re (?:so |really )?(?:good|great|amazing) at this\b|"
                        r"\byou (?:really )?(?:get|know) me\b", re.I)
_CAN_YOU_RE = re.compile(r"\b(?:can|could|do|will) you (?:recommend|suggest|do|find)\b.*\?\W*$|"
                         r"(?:能|可以|会)(?:不能)?推荐.*(?:吗|么|[?？])\W*$", re.I)
_GENERIC_RE = re.compile(r"\b(?:some|something|anything|any|a|an|one|more|me)\b|"
                         r"推荐(?:点|些|几|一|个|下|啥)|什么", re.I)
_CRITIQUE_RE = re.compile(
    r"\b(?:older|earlier|newer|more recent|less \w+|not these|none of|something (?:else|different)|another|"
    r"more like|(?:first|second|third|fourth|fifth|last) one|that one|this one|seen it|read it)\b", re.I)
# asking for picks, even with nothing said about what ("can you recommend something?", "换一批", "第二个不错")
_REQUEST_RE = re.compile(
    r"\bwhat(?:'s| is| are|'re) (?:a |an |some )?(?:good|great|nice|fun|decent|solid|cool)\b|"
    r"\b(?:recommend|suggest|surprise me|got any|have you got|do you have|any (?:good|ideas|suggestions|"
    r"recommendations)|give me|show me|hit me|what (?:else|next|should)|anything|something|another|more|"
    r"other|(?:what|how) about (?:a|an|some|any|something|books?|movies?|films?|music|albums?)|"
    r"any (?:[\w'-]+ ){0,3}?(?:films?|movies?|books?|novels?|albums?|songs?|music|reads|records))\b|"
    r"推荐(?![的得])|来点|来几|来一|给我|有没有|有什么|想看|想听|想读|找|再来|换一|惊喜|还有别的|还有吗|"
    r"还有其他", re.I)
# "tell me more about the second one", "介绍一下第三部": asked for facts about an item, not for picks
_TELL_ME = (r"^\W*(?:(?:ok|okay|so|hmm+|oh)\W+)?(?:(?:can|could) you\s+|please\s+)?(?:tell me|say)\s+"
            r"(?:a bit |a little |some(?:thing)? |a little bit )?(?:more )?about\b|"
            r"^\W*(?:more (?:info|details|information) (?:on|about)|describe)\b|"
            r"介绍一下|(?:讲讲|说说)(?=第|这|那|它)")
# a question about something ("wait is the second one a sequel to something?", "who directed it?"): its
# "something" or "another" asks for no picks, unless it asks outright
_ITEM_QUESTION_RE = re.compile(
    r"^\W*(?:(?:wait|so|ok|okay|hmm+|um+|oh)\W+)?(?:(?:is|was|are|were|did|does|"
    r"has)\b(?! there\b)(?! anyone\b)|"
    r"who\b|when\b|where\b|why\b|how (?:long|old|many|much)\b)|" + _TELL_ME, re.I)
_ASKS_OUTRIGHT_RE = re.compile(r"\b(?:recommend|suggest|give me|show me|i want|i need|looking for|"
                               r"more like)\b",
                               re.I)
# a reaction to the picks or a change of mind: picks follow even when nothing is on screen yet
_REACTION_RE = re.compile(
    r"\b(?:first|second|third|fourth|fifth|last|1st|2nd|3rd|4th|5th|number \d|that one|this one|"
    r"skip (?:that|this|it))\b|#\d\b|"
    r"\b(?:back on the table|(?:is|are|'s) (?:ok|okay|fine|alright) (?:again|now|after all)|(?:ok|okay|fine) "
    r"again|ignore what i said|(?:i|we) (?:know (?:i|we) )?said no|"
    r"now (?:it'?s|they'?re|is|are) (?:ok|okay|fine|alright)|take (?:it|that) back|changed? my mind|"
    r"on second thought|(?:include|allow|add) \w+ again)\b|"
    r"第\s*[一二三四五1-5]|最后一\s*[个部本张首]|这个|那个|这部|那部|这本|那本|"
    r"也可以了|也行了|现在可以了|现在也行|之前说|收回|改主意", re.I)
# a question: "?" at the end, or a question word first ("who directed Heat", "讲的是什么")
_QUESTION_RE = re.compile(
    r"[?？]\W*$|^\W*(?:who|what|when|where|which|why|how|is|was|isn'?t|wasn'?t|are|did|does|didn'?t|"
    r"doesn'?t)\b|吗\W*$|谁|什么|哪|几年|多长|" + _TELL_ME, re.I)
# "that one" without saying which: the top pick is meant (bot/manager.py resolve_title)
_THAT_ONE_RE = re.compile(r"\b(that one|this one|that|it)\b|(这个|那个|这部|那部|这本|那本|这张|那张|它)",
                          re.I)
_WORD_RE = re.compile(r"\w")
_ORDINAL_RE = re.compile(r"\b(first|second|third|fourth|fifth|last|1st|2nd|3rd|4th|5th)\b|"
                         r"第\s*([一二三四五1-5])|(最后)|(?:\bnumber|\bno\.|#)\s*([1-5])\b", re.I)
_ORDINAL_N = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "1st": 1, "2nd": 2, "3rd": 3,
              "4th": 4, "5th": 5}
_FIRST_SENTENCE_RE = re.compile(r"[^.!?]{20,}?[.!?](?=\s|$)")
_WHICH_RE = re.compile(r"\b(?:first|second|third|fourth|fifth|last|1st|2nd|3rd|4th|5th)\b|第|最后", re.I)


# The note of a follow-up whose words changed nothing that was understood ("based on a true story" when
# no record says so): the reply says so instead of echoing the request as if it had been met.
NOTHING_NEW = t("nothing_new")  # in English, as every note is (bot.i18n.note_text translates it)


def small_talk(text: str) -> str | None:
    """"greeting", "help" or "thanks" when the whole message is that; else None."""
    if _CAN_YOU_RE.search(text) and not _GENERIC_RE.search(text):
        return "help"  # "can you recommend podcasts?", "你能推荐游戏吗": asks what it does
    praise = _PRAISE_RE.search(text) and not _REQUEST_RE.search(_PRAISE_RE.sub("", text))
    if _THANKS_RE.fullmatch(text) or praise:  # "你推荐得挺准的嘛", "great picks!": answered as thanks are
        return "thanks"
    lead = _THANKS_LEAD_RE.match(text)
    if lead and _PLAN_RE.search(text, lead.end()) and not _REQUEST_RE.search(text, lead.end()):
        return "thanks"
    if _GREETING_RE.fullmatch(text):
        return "greeting"
    hello = _GREETING_RE.match(text)
    if hello and _HELLO_TAIL_RE.fullmatch(text, hello.end()):
        return "greeting"  # "hi! first time using this 👋"
    if (_HELP_RE.search(text) and len(text) < 80) or about_bot(text):
        return "help"
    return None


def _asks_about_item(text: str) -> bool:
    """A question about something, at the start or after a lead-in ("hang on, the second film - is that
    based on a true story?")."""
    if _ITEM_QUESTION_RE.match(text):
        return True
    last = _LEAD_IN_RE.split(text.strip())[-1]
    return text.rstrip().endswith(("?", "？")) and bool(_ITEM_QUESTION_RE.match(last))


_HELLO_TAIL_RE = re.compile(r"\W*(?:(?:this is )?(?:my )?first time (?:using|trying|on|here)\b[^?]*|"
                            r"(?:i'?m )?new here\b.*|how are (?:you|u)\b.*|how'?s it going\b.*|"
                            r"nice to meet (?:you|u)\b.*|just (?:found|discovered|trying) (?:this|you)\b.*|"
                            r"第一次用\W*|初次见面\W*)", re.I)
_LEAD_IN_RE = re.compile(r"[,;:.!]\s+|\s+[-–—]+\s+")
# thanks, then what the user will do with a pick: "thanks!! gonna watch the 2nd one tonight"
_THANKS_LEAD_RE = re.compile(r"^\W*(?:(?:ok(?:ay)?|great|perfect|cool|awesome)\W+)?"
                             r"(?:thanks?(?: you| u)?|thx|ty|cheers|谢谢|多谢|感谢|谢啦|谢了)", re.I)
_PLAN_RE = re.compile(r"\b(?:gonna|going to|will|i'?ll|we'?ll)\s+(?:\w+\s+)?"
                      r"(?:watch|read|listen|check|try|start|give|put)|"
                      r"\b(?:sav(?:e|ing)|bookmark(?:ing)?|keep(?:ing)?) (?:these|them|this|those|it|that)\b|"
                      r"(?:今晚|今天|回头|待会|马上|明天|周末)(?:就)?(?:去)?(?:看|读|听)", re.I)


def has_interests(state: DialogueState) -> bool:
    """Whether the state says anything about what to pick (an aside about a person does not)."""
    c = state.constraints
    return bool(state.likes or state.liked_items or state.dislikes or state.disliked_items or c.creators
                or c.domain or c.year_min is not None or c.year_max is not None or c.excluded_creators
                or state.novelty or any(p.kind != "mention" for p in state.people))


def _wishes(state: DialogueState) -> tuple:
    """What a turn may ask for; the domain a title names and asides about people are not wishes."""
    c = state.constraints
    return (*_signature(state)[:6], c.year_min, c.year_max, tuple(c.creators), tuple(c.excluded_creators),
            state.novelty, tuple(p.name for p in state.people if p.kind != "mention"))


def _signature(state: DialogueState) -> tuple:
    c = state.constraints
    return (tuple((f.text, f.weight) for f in state.likes), tuple((f.text, f.weight) for f in state.dislikes),
            tuple(state.liked_items), tuple(state.disliked_items), tuple(state.seen), tuple(state.rejected),
            c.domain, c.year_min, c.year_max, tuple(c.creators))


def _verdicts(state: DialogueState) -> set[str]:
    return {*state.liked_items, *state.disliked_items, *state.seen, *state.rejected}


def intent(text: str, before: DialogueState, after: DialogueState) -> str:
    """The intent of one turn (see the module docstring); `after` is the state the turn produced."""
    if not text.strip():
        return "recommend"
    changed = _signature(before) != _signature(after)
    kind = small_talk(text)
    if kind and (not changed or kind == "thanks"):  # "thank u!! saving these for the flight": no new ask
        return kind
    reacts = bool(_REACTION_RE.search(text)) and not _QUESTION_RE.search(text)
    asks = bool(_REQUEST_RE.search(text)) or reacts
    if asks and _asks_about_item(text) and not _ASKS_OUTRIGHT_RE.search(text):
        asks = False
    if (_QUESTION_RE.search(text.strip()) and _WORD_RE.search(text) and not asks
            and _wishes(before) == _wishes(after)):
        return "question"
    if not has_interests(after) and not asks:
        return "clarify"
    if before.last_shown:
        judged = (_verdicts(after) - _verdicts(before)) & set(before.last_shown)
        if judged or _CRITIQUE_RE.search(text) or critique_words(text):
            return "critique"
    return "recommend"


def which_note(text: str, before: DialogueState, after: DialogueState,
               title_of: Callable[[str], str]) -> list[str]:
    """"not that one" with several picks on screen: say which one was taken (the first)."""
    shown = before.last_shown
    if len(shown) < 2 or _WHICH_RE.search(text):
        return []
    m = _THAT_ONE_RE.search(text)
    if m is None or shown[0] not in _verdicts(after) - _verdicts(before):
        return []
    return [t("which", "en", ref=m.group(), title=title_of(shown[0]))]


def asked_item(text: str, state: DialogueState, link_titles: Callable[[str], list[tuple[str, str]]] | None
               ) -> str | None:
    """The catalog item a question is about: a title named in it (written as a name), else the top pick on
    screen."""
    try:
        links = link_titles(text) if link_titles is not None else []
    except Exception:  # a broken linker must not break the answer
        links = []
    named = [item_id for span, item_id in links or [] if span[:1].isupper() or not span.isascii()]
    if named:
        return str(named[-1])
    shown = state.last_shown
    m = _ORDINAL_RE.search(text)  # "who directed the second one?", "第三个讲什么"
    if m and shown:
        word = (m.group(1) or "").lower()
        last = word == "last" or m.group(3)
        n = len(shown) if last else _ORDINAL_N.get(word) or cn_number(m.group(2) or m.group(4) or "1")
        return shown[min(n, len(shown)) - 1]
    return shown[0] if shown else None


def answer(item: Item | None, lang: str) -> str:
    """What the catalog's record says about the item asked about; the record is all the bot knows."""
    if item is None:
        return f"{t('no_record', lang)} {t('question', lang)}"
    said = template_explanation(item, [], [], lang=lang)
    first = _FIRST_SENTENCE_RE.match(item.description or "")
    about = first.group().strip() if first and lang == "en" and len(first.group()) <= 300 else ""
    return " ".join(x for x in (t("about", lang, title=item.title), said, about, t("about_more", lang)) if x)


def reply(kind: str, lang: str, has_picks_before: bool) -> str:
    """The answer to a turn without picks."""
    if kind == "thanks":
        return t("thanks_more", lang) if has_picks_before else f"{t('thanks', lang)} {t('question', lang)}"
    return f"{t(kind, lang)} {t('question', lang)}"
