"""The words the template explanations (`bot/explain.py`) put around an item's genres, in English and Chinese.

Data only. Keys are facets: a catalog genre tag lowercased, or for books the facet that
`bot.understand.vocab.FOLDS` folds a subject heading into ("adventure stories" -> "adventure").
A genre missing from a Chinese table is left out of a Chinese sentence rather than shown in English.
(`bot/i18n.py`, the UI's labels, may carry a similar facet map; the two can be merged later.)
"""

from __future__ import annotations

# -- films -------------------------------------------------------------------------------------------
# facet -> (English word before "film", order rank: lower comes first, as in "a science fiction action film")
MOVIE_EN: dict[str, tuple[str, int]] = {
    "silent": ("silent", 0), "short": ("short", 0), "independent": ("independent", 1),
    "live action": ("live-action", 1), "found footage": ("found-footage", 1), "animated": ("animated", 2),
    "erotic": ("erotic", 2), "teen": ("teen", 3), "family": ("family", 3), "political": ("political", 3),
    "historical": ("historical", 3), "biography": ("biographical", 3), "supernatural": ("supernatural", 3),
    "satire": ("satirical", 3), "superhero": ("superhero", 4), "martial arts": ("martial arts", 4),
    "spy": ("spy", 4), "legal": ("legal", 4), "sports": ("sports", 4), "disaster": ("disaster", 4),
    "war": ("war", 4), "western": ("western", 4), "science fiction": ("science fiction", 4),
    "fantasy": ("fantasy", 4), "crime": ("crime", 5), "mystery": ("mystery", 5), "slasher": ("slasher", 5),
    "action": ("action", 5), "romance": ("romance", 5), "adventure": ("adventure", 6),
    "horror": ("horror", 6),
    "musical": ("musical", 6), "dance": ("dance", 6), "performance": ("performance", 6),
    "comedy": ("comedy", 7), "thriller": ("thriller", 8), "suspense": ("suspense", 8), "drama": ("drama", 9),
    "documentary": ("documentary", 9), "noir": ("noir", 0),
}
# facet -> the Chinese word before 片 ("科幻" + "动作" + "片")
MOVIE_ZH: dict[str, str] = {
    "silent": "默", "short": "短", "independent": "独立", "live action": "真人", "found footage": "伪纪录",
    "animated": "动画", "erotic": "情色", "teen": "青春", "family": "家庭", "political": "政治",
    "historical": "历史", "biography": "传记", "supernatural": "超自然", "satire": "讽刺",
    "superhero": "超级英雄", "martial arts": "武打", "spy": "间谍", "legal": "法律", "sports": "体育",
    "disaster": "灾难", "war": "战争", "western": "西部", "science fiction": "科幻", "fantasy": "奇幻",
    "crime": "犯罪", "mystery": "悬疑", "slasher": "砍杀", "action": "动作", "romance": "爱情",
    "adventure": "冒险", "horror": "恐怖", "musical": "歌舞", "dance": "舞蹈", "performance": "演出",
    "comedy": "喜剧", "thriller": "惊悚", "suspense": "悬念", "drama": "剧情", "documentary": "纪录",
    "noir": "黑色",
}

# -- books -------------------------------------------------------------------------------------------
# Book genres (FOLDS facets) -> (English word before the form's noun, rank). The rest of a book's subject
# headings are never named. "romance" is said only when a heading says it; "Love stories" makes
# "a love story".
BOOK_EN: dict[str, tuple[str, int]] = {
    "historical": ("historical", 0), "biography": ("biographical", 0), "comedy": ("humorous", 0),
    "gothic": ("gothic", 0), "satire": ("satirical", 0), "science fiction": ("science fiction", 1),
    "fantasy": ("fantasy", 1), "horror": ("horror", 1), "adventure": ("adventure", 2),
    "romance": ("romance", 2), "mystery": ("mystery", 2), "crime": ("crime", 2), "thriller": ("thriller", 2),
    "war": ("war", 2), "world war i": ("war", 2), "world war ii": ("war", 2), "western": ("western", 2),
    "spy": ("spy", 2), "pirates": ("pirate", 2), "christmas": ("Christmas", 3), "sea stories": ("sea", 3),
    "ghost stories": ("ghost", 3), "love stories": ("love", 3),
}
BOOK_ZH: dict[str, str] = {
    "historical": "历史", "biography": "传记", "comedy": "幽默", "gothic": "哥特", "satire": "讽刺",
    "science fiction": "科幻", "fantasy": "奇幻", "horror": "恐怖", "adventure": "冒险", "romance": "爱情",
    "mystery": "推理", "crime": "犯罪", "thriller": "惊悚", "war": "战争", "western": "西部", "spy": "间谍",
    "pirates": "海盗", "christmas": "圣诞", "sea stories": "航海", "ghost stories": "鬼",
    "love stories": "爱情",
    "world war i": "一战", "world war ii": "二战",
}
# Genres whose books are called stories ("a sea story"), not novels.
STORY_GENRES = frozenset({"sea stories", "ghost stories", "christmas", "love stories"})
# Facets a book's form already says ("A children's novel", "Poetry by ..."): never a topic.
FORM_FACETS = frozenset({"children's books", "poetry"})

# The form a book's description starts with (written by scripts/build_catalog.py from its metadata):
# description start -> (English noun, countable, for children, Chinese noun).
BOOK_FORMS: dict[str, tuple[str, bool, bool, str]] = {
    "A children's novel": ("novel", True, True, "小说"), "A novel": ("novel", True, False, "小说"),
    "Short stories": ("short stories", False, False, "短篇小说集"),
    "Children's poetry": ("poetry", False, True, "诗集"), "Poetry": ("poetry", False, False, "诗集"),
    "Drama": ("drama", False, False, "剧作"), "Children's fiction": ("fiction", False, True, "小说"),
    "Fiction": ("fiction", False, False, "小说"), "A biography": ("biography", True, False, "传记"),
    "A children's book": ("book", True, True, "书"), "A book": ("book", True, False, "书"),
}

# -- albums ------------------------------------------------------------------------------------------
# Music tags that say what kind of release it is, not its genre: tag -> (English noun, Chinese noun).
MUSIC_KINDS: dict[str, tuple[str, str]] = {
    "compilation": ("compilation", "合辑"), "live": ("live album", "现场专辑"), "mix": ("mix", "混音"),
    "radioshow": ("recording", "电台节目"),
}
# Music tags never named as a genre (a language, a use, too vague).
MUSIC_SKIP = frozenset({"german", "game", "movie", "stage & screen", "story", "modern", "cut-up/dj"})
# English spelling where lowercasing the tag is not enough.
MUSIC_EN: dict[str, str] = {
    "idm": "IDM", "ebm": "EBM", "r&b": "R&B", "uk garage": "UK garage", "world": "world music",
    "drum & bass": "drum and bass", "funk / soul": "funk and soul", "rock & roll": "rock and roll",
}
MUSIC_ZH: dict[str, str] = {
    "electronic": "电子", "ambient": "氛围", "rock": "摇滚", "pop": "流行", "idm": "智能舞曲",
    "experimental": "实验", "techno": "科技舞曲", "minimal": "极简", "hip hop": "嘻哈", "indie": "独立",
    "instrumental": "器乐", "downtempo": "慢拍", "electro": "电气", "trip hop": "神游舞曲",
    "tech house": "科技浩室", "classical": "古典", "folk": "民谣", "chiptune": "芯片音乐",
    "world": "世界音乐", "house": "浩室", "post rock": "后摇", "synth-pop": "合成器流行", "jazz": "爵士",
    "glitch": "故障音乐", "rap": "说唱", "acoustic": "原声", "drum & bass": "鼓打贝斯", "trance": "出神",
    "pop rock": "流行摇滚", "disco": "迪斯科", "abstract": "抽象", "dubstep": "回响贝斯",
    "orchestral": "管弦", "dark": "暗黑", "deep house": "深浩室", "easy listening": "轻音乐",
    "alternative": "另类", "breaks": "碎拍", "funk": "放克", "breakbeat": "碎拍", "industrial": "工业",
    "vocal": "人声", "exotic": "异域", "punk": "朋克", "dub": "达布", "metal": "金属", "piano": "钢琴",
    "free improvisation": "自由即兴", "breakcore": "碎核", "progressive rock": "前卫摇滚",
    "soft rock": "软摇滚", "dub techno": "达布科技舞曲", "traditional": "传统", "acid": "酸性",
    "hard rock": "硬摇滚", "fusion": "融合", "lo-fi": "低保真", "leftfield": "另类电子",
    "funk / soul": "放克灵魂", "shoegaze": "自赏", "modern classical": "现代古典", "new wave": "新浪潮",
    "field recording": "田野录音", "acid jazz": "酸爵士", "rock & roll": "摇滚乐", "noise": "噪音",
    "future jazz": "未来爵士", "ballad": "抒情", "soul": "灵魂乐", "big beat": "大节拍",
    "lounge": "沙发音乐", "drone": "持续音", "gothic": "哥特", "jungle": "丛林", "new age": "新世纪",
    "indie rock": "独立摇滚", "darkwave": "暗潮", "psychedelic rock": "迷幻摇滚", "folk rock": "民谣摇滚",
    "progressive house": "前卫浩室", "reggae": "雷鬼", "ska": "斯卡", "country": "乡村", "swing": "摇摆",
    "r&b": "节奏布鲁斯", "blues rock": "蓝调摇滚", "classic rock": "经典摇滚", "hardcore": "硬核",
    "garage rock": "车库摇滚", "grunge": "垃圾摇滚", "psychedelic": "迷幻", "symphonic": "交响",
    "electronica": "电子", "contemporary": "当代", "avantgarde": "先锋", "neofolk": "新民谣",
    "spoken word": "念白", "emo": "情绪摇滚", "nu metal": "新金属", "ragtime": "拉格泰姆", "mambo": "曼波",
    "surf": "冲浪",
}
