"""What the user reads, in their language: fixed messages, facet and domain names, and the step's notes.

The dialogue keeps everything in English inside (facets are canonical English strings, notes are
English sentences); only the output edge (bot/reply.py, bot/words.py, bot/tags.py, bot/view.py,
bot/ui.py) translates, through `t(key, lang, **kw)`, `facet_name` and `note_text`. "en" is the default;
a key or facet missing in a language falls back to English, so a new message can never break a turn.
"""

from __future__ import annotations

import functools
import re

LANGS = ("en", "zh")

MESSAGES: dict[str, dict[str, str]] = {
    # the reply line
    "got_it": {"en": "Got it — {lead}. {tail}", "zh": "明白了：{lead}。{tail}"},
    # a follow-up that changed nothing understood: its note (bot.talk.NOTHING_NEW), and the reply line
    # that says it without "Got it"
    "nothing_new": {"en": "I couldn't tell what to change from that, so these keep to what you asked before",
                    "zh": "这句话我没看出要改什么，所以还按你之前说的来推荐"},
    "unchanged": {"en": "{note} ({lead}). {tail}", "zh": "{note}（{lead}）。{tail}"},
    "picks": {"en": "Here are {n} picks from the catalog.", "zh": "从目录里为你挑了 {n} 个。"},
    "no_picks": {"en": "I couldn't find anything in the catalog that fits all of that. "
                       "Try removing a limit or telling me something you like.",
                 "zh": "目录里没有完全符合这些条件的。可以去掉一个限制，或者告诉我你喜欢什么。"},
    "greeting": {"en": "Hi! I suggest real movies, books and albums from my catalog.",
                 "zh": "你好！我可以从目录里为你推荐电影、书和音乐。"},
    "help": {"en": "I suggest real movies, books and albums from my catalog, each with a link to its source. "
                   "Tell me a genre or a mood, who it is for, or a title you liked; then say \"more like the "
                   "second one\", \"something older\" or \"not these\" to steer.",
             "zh": "我会从目录里推荐真实存在的电影、书和音乐，每个都附上出处。告诉我类型或心情、给谁看，"
                   "或者一个你喜欢的作品；之后可以说“第二个不错”“老一点的”或“换一批”来调整。"},
    "thanks": {"en": "You're welcome!", "zh": "不客气！"},
    "thanks_more": {"en": "You're welcome! Say \"another one\" for more, or tell me what to change.",
                    "zh": "不客气！想要更多就说“再来几个”，或者告诉我要改什么。"},
    "clarify": {"en": "I didn't catch what you're after.", "zh": "我没太明白你想要什么。"},
    "question": {"en": "What are you in the mood for: a film, a book or music, and for whom, or is there a "
                       "title you liked?",
                 "zh": "你想要什么：电影、书还是音乐，给谁看，或者有没有喜欢的作品？"},
    "about": {"en": "About {title}:", "zh": "关于 {title}："},
    "about_more": {"en": "Want more like it, or something else?", "zh": "想要类似的，还是换个方向？"},
    "no_record": {"en": "I can only tell what the catalog's records say about its titles, and I couldn't "
                        "tell which one you mean.",
                  "zh": "我只能说出目录里作品的记录，但没看出你问的是哪一个。"},
    "which": {"en": "I took \"{ref}\" to mean {title}, the first pick (say \"the second one\" and so on "
                    "if you meant another)",
              "zh": "我把“{ref}”理解为第一个：{title}（如果指的是别的，请说“第二个”等）"},
    # what was understood
    "liking": {"en": "liking {x}", "zh": "喜欢{x}"},
    "novelty_tag": {"en": "lesser-known picks", "zh": "冷门一点的"},
    "nothing_by": {"en": "nothing by {x}", "zh": "不要{x}的作品"},
    "a_plus": {"en": "a plus: {x}", "zh": "加分：{x}"},
    "style_of": {"en": "in the style of {x}", "zh": "{x}的风格"},
    "avoiding": {"en": "avoiding {x}", "zh": "避开{x}"},
    "limits": {"en": "limits: {x}", "zh": "限制：{x}"},
    "from_year": {"en": "from {y}", "zh": "{y} 年起"},
    "up_to_year": {"en": "up to {y}", "zh": "到 {y} 年"},
    "by": {"en": "by {x}", "zh": "创作者：{x}"},
    "list_sep": {"en": ", ", "zh": "、"},
    "part_sep": {"en": "; ", "zh": "；"},
    # tags
    "group_Liking": {"en": "Liking", "zh": "喜欢"},
    "group_Avoiding": {"en": "Avoiding", "zh": "避开"},
    "group_Limits": {"en": "Limits", "zh": "限制"},
    "more_like": {"en": "more like {title}", "zh": "像 {title}"},
    "turned_down": {"en": "{title} (turned down)", "zh": "{title}（不要）"},
    "only": {"en": "only {x}", "zh": "只要{x}"},
    # the page
    "you": {"en": "You:", "zh": "你："},
    "bot": {"en": "tastebud:", "zh": "tastebud："},
    "answer": {"en": "Answer {n}", "zh": "第 {n} 次回答"},
    "picks_of": {"en": "Picks of answer {n}", "zh": "第 {n} 次回答的推荐"},
    "about_it": {"en": "About it", "zh": "简介"},
    "more_like_this": {"en": "More like this", "zh": "多来点这样的"},
    "not_for_me": {"en": "Not for me", "zh": "不适合我"},
    "liked_verdict": {"en": "You liked this: more like it.", "zh": "你喜欢这个：会多推荐类似的。"},
    "down_verdict": {"en": "Turned down: it won't be suggested again.", "zh": "已排除：不会再推荐。"},
    "try": {"en": "Try one of these:", "zh": "试试这些："},
    "understood": {"en": "What I understood", "zh": "我的理解"},
    "nothing_yet": {"en": "Nothing yet: tell me what you like.", "zh": "还没有：告诉我你喜欢什么。"},
    "nothing_peek": {"en": "nothing yet", "zh": "还没有"},
    "drop_hint": {"en": "Press × on a tag to drop it.", "zh": "点标签上的 × 可以去掉它。"},
    "drop_this": {"en": "Drop this", "zh": "去掉"},
    "drop": {"en": "Drop {group}: {label}", "zh": "去掉{group}：{label}"},
    "hello": {"en": "Tell me something you like — a film, a book, an album, a mood — and I'll suggest a few.",
              "zh": "告诉我你喜欢什么——电影、书、专辑或者一种心情——我来推荐几个。"},
    "noted_up": {"en": "Noted: more like {title}.", "zh": "记下了：多推荐像 {title} 这样的。"},
    "noted_down": {"en": "Noted: {title} is turned down. It is listed under What I understood, "
                         "where × undoes it.",
                   "zh": "记下了：不再推荐 {title}。它列在“我的理解”里，点 × 可以撤回。"},
}

# what one item of a domain is called, and several of them
KIND_ZH = {"movie": "电影", "book": "书", "music": "专辑"}
DOMAIN_ZH = {"movie": "电影", "book": "书", "music": "音乐", "any": "不限"}

# Quick replies and examples in each language; each one is understood by the step in its language.
QUICK_REPLIES = {"en": ["More like the first one", "Something older", "Something newer", "Not these"],
                 "zh": ["第一个不错", "老一点的", "新一点的", "换一批"]}
# (the page's fixed labels and its Chinese examples are switched in bot/web/page-chat.js)

FACET_ZH: dict[str, str] = {
    "science fiction": "科幻", "fantasy": "奇幻", "horror": "恐怖", "comedy": "喜剧", "romance": "爱情",
    "animated": "动画", "family": "家庭", "feel-good": "温馨", "sad": "催泪", "drama": "剧情",
    "mystery": "悬疑推理", "thriller": "惊悚", "crime": "犯罪", "heist": "劫案", "war": "战争",
    "documentary": "纪录片",
    "adventure": "冒险", "fairy tales": "童话", "poetry": "诗歌", "jazz": "爵士", "electronic": "电子",
    "classical": "古典", "rock": "摇滚", "ambient": "氛围音乐", "downtempo": "慢拍电子", "lo-fi": "低保真",
    "children's books": "童书", "teen": "青少年", "musical": "音乐剧", "western": "西部",
    "martial arts": "武侠功夫", "superhero": "超级英雄", "biography": "传记", "historical": "历史",
    "action": "动作", "hip hop": "嘻哈", "pop": "流行", "folk": "民谣", "metal": "金属", "punk": "朋克",
    "instrumental": "纯音乐", "piano": "钢琴", "world war ii": "二战", "world war i": "一战", "spy": "间谍",
    "disaster": "灾难", "sports": "体育", "pirates": "海盗", "sea stories": "航海故事", "noir": "黑色电影",
    "independent": "独立电影", "christmas": "圣诞", "gothic": "哥特", "short stories": "短篇小说",
    "philosophy": "哲学", "trip hop": "神游舞曲", "techno": "科技舞曲", "house": "浩室",
    "supernatural": "超自然", "ghost stories": "鬼故事", "mind-bending": "烧脑",
    "thought-provoking": "发人深省", "violence": "暴力", "gore": "血腥", "dark": "黑暗",
    "gritty": "写实粗粝", "cheesy": "俗套", "cozy": "舒适", "quirky": "古怪", "epic": "史诗",
    "slow": "慢节奏", "upbeat": "动感", "slapstick": "闹剧", "suspense": "悬念", "erotic": "情色",
    "history": "历史", "satire": "讽刺", "legal": "律政", "sea adventure": "海上冒险", "music": "音乐",
    "indie": "独立", "drum & bass": "鼓打贝斯", "synth-pop": "合成器流行", "chiptune": "芯片音乐",
    "world": "世界音乐", "artificial intelligence": "人工智能", "robots": "机器人",
}
# the English words of the manager's "less <word>" note
_LESS_ZH = {"violent": "暴力", "scary": "恐怖", "gory": "血腥", "sad": "悲伤", "dark": "黑暗",
            "romantic": "爱情", "serious": "严肃", "long": "冗长", "slow": "慢", "loud": "吵闹"}


def lang_of(lang: str | None) -> str:
    return lang if lang in LANGS else "en"


def t(key: str, lang: str | None = "en", **kw: object) -> str:
    """The message `key` in `lang` (English when that language lacks it), filled in with `kw`."""
    texts = MESSAGES[key]
    return texts.get(lang_of(lang), texts["en"]).format(**kw)


def facet_name(facet: str, lang: str | None = "en") -> str:
    """A canonical facet as the user reads it ("science fiction" -> "科幻" in Chinese; a facet without a name
    here gets the first Chinese word the understanding table reads as that facet alone: "cats" -> 猫)."""
    if lang_of(lang) != "zh":
        return str(facet)
    key = str(facet).lower()
    return FACET_ZH.get(key) or _table_names().get(key, str(facet))


@functools.cache
def _table_names() -> dict[str, str]:
    from bot.understand.zh_vocab import FACETS  # here: the understanding layer is not the words' concern

    names: dict[str, str] = {}
    for word, targets in FACETS.items():
        if isinstance(targets, tuple) and len(targets) == 1:
            names.setdefault(targets[0], word)
    return names


def domain_name(domain: str, lang: str | None = "en") -> str:
    return DOMAIN_ZH.get(domain, domain) if lang_of(lang) == "zh" else domain


def join(values: list[str], lang: str | None = "en") -> str:
    return t("list_sep", lang).join(values)


def and_list(values: list[str], lang: str | None = "en") -> str:
    """"a, b and c" in English; "a、b、c" in Chinese."""
    if lang_of(lang) != "en" or len(values) < 2:
        return join(values, lang)
    return ", ".join(values[:-1]) + " and " + values[-1]


# The step's notes (English sentences from bot/manager.py, bot/turns.py, bot/context.py, bot/ui.py),
# each pattern with its Chinese form; a note no pattern knows is shown as it is.
_DOMAIN_WORDS = {"movies": "电影", "books": "书", "music": "音乐", "anything": "任何类型", "movie": "电影",
                 "book": "书"}
_NOTES_ZH: list[tuple[re.Pattern[str], object]] = [
    (re.compile(r"I read only the first ([\d,]+) characters of that"), lambda m: f"我只读了前 {m[1]} 个字符"),
    (re.compile(re.escape(MESSAGES["nothing_new"]["en"])), lambda m: t("nothing_new", "zh")),
    (re.compile(r"(.+) is fine again"), lambda m: f"{facet_name(m[1], 'zh')}又可以了"),
    (re.compile(r"more like (.+)"), lambda m: f"多推荐像 {m[1]} 这样的"),
    (re.compile(r"dropping (.+)"), lambda m: f"不再推荐 {m[1]}"),
    (re.compile(r"skipping (.+), already (seen|read|heard)"),
     lambda m: f"跳过 {m[1]}（已经{ {'read': '读过', 'heard': '听过'}.get(m[2], '看过') }）"),
    (re.compile(r"now looking for (\w+)(?: \(from what you named\))?"),
     lambda m: f"现在找{_DOMAIN_WORDS.get(m[1], m[1])}"),
    (re.compile(r"switching to (\w+)"), lambda m: f"换到{_DOMAIN_WORDS.get(m[1], m[1])}"),
    (re.compile(r"back to (\w+), with your earlier (\w+) wishes"),
     lambda m: f"回到{_DOMAIN_WORDS.get(m[1], m[1])}，恢复你之前的要求"),
    (re.compile(r"your (\w+) wishes are kept for later"),
     lambda m: f"你对{_DOMAIN_WORDS.get(m[1], m[1])}的要求先保留着"),
    (re.compile(r"nothing by (.+)"), lambda m: f"不要 {m[1]} 的作品"),
    (re.compile(r"more by (.+)"), lambda m: f"再来些 {m[1]} 的作品"),
    (re.compile(r"I don't know (?:one of )?the titles? you named, so these go by the rest of what you said"),
     lambda m: "你说的作品我不了解，这些是按你说的其他要求找的"),
    (re.compile(r"like the (\w+) before: (.+)"),
     lambda m: f"照着之前{_DOMAIN_WORDS.get(m[1], m[1])}的口味："
               + "、".join(facet_name(f, "zh") for f in re.split(r", | and ", m[2]))),
    (re.compile(r"still avoiding (.+), as you asked; say \"(.+) is fine\" to lift that"),
     lambda m: f"仍然避开{facet_name(m[1], 'zh')}；说“{facet_name(m[2], 'zh')}也可以”就取消"),
    (re.compile(r"(.+) is no longer avoided"), lambda m: f"不再避开{facet_name(m[1], 'zh')}"),
    (re.compile(r"no catalog label says (.+), so avoiding it can only be a soft preference: .*"),
     lambda m: f"目录里没有“{facet_name(m[1], 'zh')}”这个标签，只能尽量少推荐，不能完全排除"),
    (re.compile(r"nothing in the catalog is that recent: .*\(from (\d+) on\)"),
     lambda m: f"目录里没有那么新的，这些是最新的（{m[1]} 年起）"),
    (re.compile(r"the catalog has nothing by (.+), so these are only like what you asked"),
     lambda m: f"目录里没有 {m[1]} 的作品，这些只是相近的"),
    (re.compile(r"the catalog has only (\d+) by (.+), so the rest are like their work"),
     lambda m: f"目录里 {m[2]} 的作品只有 {m[1]} 部，其余是风格相近的"),
    (re.compile(r"trying something different"), lambda m: "换一批不同的"),
    (re.compile(r"older: before (\d+)"), lambda m: f"更早的：{m[1]} 年以前"),
    (re.compile(r"newer: after (\d+)"), lambda m: f"更新的：{m[1]} 年以后"),
    (re.compile(r"older ones are welcome too"), lambda m: "老一点的也可以"),
    (re.compile(r"any year will do"), lambda m: "年代不限"),
    (re.compile(r"less (\w+)"), lambda m: f"少一点{_LESS_ZH.get(m[1], m[1])}"),
    (re.compile(r"a new request, so no longer (.+)"),
     lambda m: "新的要求：不再按" + "、".join(facet_name(f, "zh") for f in re.split(r", | and ", m[1]))
     + "找"),
    (re.compile(r"dropped (.+)"), lambda m: f"去掉了{facet_name(m[1], 'zh')}"),
    (re.compile(r"took back the thumbs-down on (.+)"), lambda m: f"撤回了对 {m[1]} 的否定"),
    (re.compile(r"I took (.+) as the (?:(\d+) )?(movie|book|music); say \"the (\w+)\" if you meant that"),
     lambda m: f"我把 {m[1]} 理解为{m[2] + ' 年的' if m[2] else ''}{DOMAIN_ZH[m[3]]}；如果指的是"
               f"{DOMAIN_ZH.get(m[4], m[4])}，请说明"),
    (re.compile(r"I took \"(.+?)\" to mean (.+), the first pick \(.*\)"),
     lambda m: t("which", "zh", ref=m[1], title=m[2])),
]


def note_text(note: str, lang: str | None = "en") -> str:
    """The step's note ("; "-joined English parts) in the user's language."""
    if lang_of(lang) == "en" or not note:
        return note
    parts = []
    for part in re.split(r"; (?!say \")", note):  # a part may hold "; say ..." itself (bot/context.py)
        for rx, render in _NOTES_ZH:
            m = rx.fullmatch(part)
            if m:
                part = render(m)  # type: ignore[operator]
                break
        parts.append(part)
    return "；".join(parts)
