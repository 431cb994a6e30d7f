"""The Chinese word table: what Chinese words mean to the understanding layer (data only).

Each entry is a word (simplified Chinese) and what it is: a facet word mapped to the canonical English
facets the Lexicon already uses (`Targets`, resolved per domain like the English aliases), a polarity
cue, a domain word, a clause break, or a word kept only so longest-match segmentation does not cut it
wrongly ("特别" is not the negation "别", "可怕" not the cue "怕"). `tests/test_chinese.py` checks that
every facet named here exists in the demo catalog's Lexicon.

Cue kinds (see bot/understand/zh.py for how they are read):
  neg    a negation whose scope runs to the end of the clause (不要, 不喜欢, 讨厌, 别)
  nadj   a negated adjective: its scope ends at 的 ("不恐怖的喜剧" is a comedy that is not scary)
  pos    a wish (想看, 喜欢, 推荐)
  tol    tolerance before the facet (不介意暴力): a reversal, not a like
  ptol   tolerance after it (恐怖片也可以)
  pneg   a rejection after it (恐怖片就算了)
  good / bad   a judgement after a title (Inception 很好看 / 很无聊)
  seen   already seen, read or heard (看过)
  sim    similar to (类似, 像)
  rev    a change of mind (其实): likes in its sentence also undo a dislike
  brk    a clause boundary (但是, 不过)
  skip   a word that only blocks a wrong segmentation
"""

from __future__ import annotations

import re

from bot.understand.vocab import COUPLE, DRIVE, HOLIDAY, JOURNEY, UPBEAT, Targets

_KIDS: Targets = {None: ("family", "animated"), "movie": ("family", "animated"),
                  "book": ("children's books",), "music": ()}
_CHILL: Targets = {None: ("ambient", "downtempo"), "music": ("ambient", "downtempo"),
                   "movie": ("feel-good",), "book": ("cozy",)}
_LIGHT: Targets = {None: ("feel-good", "comedy"), "movie": ("feel-good", "comedy"),
                   "book": ("feel-good", "comedy"), "music": ("ambient", "downtempo")}
_STUDY: Targets = {None: ("lo-fi", "downtempo"), "music": ("lo-fi", "downtempo"), "movie": (), "book": ()}
_MOVING = ("drama", "feel-good")
# an occasion implies facets, nobody said them; a holiday, a journey, a drive or one's partner only guess
# a genre, as in English (bot/understand/vocab.py): one said wins
OCCASION_TARGETS = (_STUDY, HOLIDAY, JOURNEY, DRIVE, COUPLE)
OCCASION_GUESSES = (HOLIDAY, JOURNEY, DRIVE, COUPLE)


def _music(*facets: str) -> Targets:
    """A music style that is an ordinary word elsewhere ("流行" is also "popular")."""
    return {None: (), "music": facets, "movie": (), "book": ()}


# word -> facets (a tuple, or facets by domain)
FACETS: dict[str, tuple[str, ...] | Targets] = {
    # horror, thriller, mystery, crime
    **dict.fromkeys(("恐怖", "吓人", "可怕", "丧尸", "僵尸", "鬼片"), ("horror",)),
    **dict.fromkeys(("鬼故事", "闹鬼", "灵异", "超自然"), ("supernatural", "ghost stories")),
    **dict.fromkeys(("有鬼", "鬼怪", "鬼魂"), ("supernatural",)),
    **dict.fromkeys(("惊悚", "紧张刺激", "扣人心弦"), ("thriller",)),
    "悬疑": ("mystery",),
    **dict.fromkeys(("悬疑惊悚", "惊悚悬疑"), ("mystery", "thriller")),
    **dict.fromkeys(("推理", "侦探", "探案", "破案"), ("mystery",)),
    **dict.fromkeys(("犯罪", "黑帮", "黑社会", "警匪"), ("crime",)),
    **dict.fromkeys(("抢劫", "盗窃", "劫案", "抢银行", "神偷", "盗贼"), ("crime", "heist")),
    **dict.fromkeys(("烧脑", "反转", "脑洞"), ("mind-bending",)),
    **dict.fromkeys(("发人深省", "引人深思", "有深度"), ("thought-provoking",)),
    # science fiction and fantasy
    **dict.fromkeys(("科幻", "太空", "外星人", "外太空", "赛博朋克", "反乌托邦", "时间旅行"),
                    ("science fiction",)),
    **dict.fromkeys(("奇幻", "魔幻", "魔法", "巫师", "龙与魔法"), ("fantasy",)),
    **dict.fromkeys(("童话", "童话故事"), ("fairy tales",)),
    # comedy, romance, moods
    **dict.fromkeys(("喜剧", "搞笑", "好笑", "幽默", "逗趣", "爆笑"), ("comedy",)),
    **dict.fromkeys(("爱情", "浪漫", "恋爱", "言情"), ("romance",)),
    "约会": {None: ("romance",), "movie": ("romance",), "book": ("romance",), "music": ()},
    "浪漫喜剧": ("romance", "comedy"),
    **dict.fromkeys(("感人", "动人", "感动", "打动人"), _MOVING),
    **dict.fromkeys(("催泪", "哭", "悲伤", "伤感", "难过", "虐心", "虐", "悲剧", "忧伤"), ("sad",)),
    # as "feel good": the comedy and family it implies rank, but are not shown back as said
    **dict.fromkeys(("温馨", "暖心", "治愈", "温暖", "温情"), ("feel-good", "comedy", "family")),
    **dict.fromkeys(("励志", "正能量", "可爱"), ("feel-good",)),
    **dict.fromkeys(("轻松", "轻松愉快", "开心", "欢乐", "快乐", "愉快", "不费脑", "不用动脑",
                     "不动脑", "无脑", "不烧脑"), _LIGHT),
    **dict.fromkeys(("放松", "舒缓", "安静", "平静", "助眠", "睡前", "睡觉", "冥想", "舒服"), _CHILL),
    **dict.fromkeys(("学习时听", "学习的时候听", "学习用", "工作时听", "写作业时听", "写作业", "专注"),
                    _STUDY),
    **dict.fromkeys(("去海边", "在海边", "海边度假", "沙滩上", "度假", "假期里", "假期看", "暑假看",
                     "放假看"), HOLIDAY),
    **dict.fromkeys(("飞机上", "长途飞行", "坐飞机", "火车上", "坐火车", "高铁上", "坐高铁", "通勤", "地铁上",
                     "路上看"), JOURNEY),
    **dict.fromkeys(("开车听", "开车的时候听", "开车时听", "自驾", "公路旅行"), DRIVE),
    **dict.fromkeys((f"{w}{p}{v}" for w in ("和", "跟") for v in ("看", "一起看")
                     for p in ("女朋友", "男朋友", "女友", "男友", "老婆", "老公", "对象")), COUPLE),
    **dict.fromkeys(("黑暗", "暗黑", "阴暗", "压抑", "致郁", "丧", "太丧", "很丧"), ("dark",)),
    **dict.fromkeys(("暴力", "战斗场面", "打斗场面", "战争场面", "打打杀杀", "血肉横飞"), ("violence",)),
    **dict.fromkeys(("血腥", "血浆"), ("gore",)),
    **dict.fromkeys(("史诗", "宏大"), ("epic",)),
    **dict.fromkeys(("古怪", "怪诞", "奇葩"), ("quirky",)),
    **dict.fromkeys(("舒适", "惬意"), ("cozy",)),
    **dict.fromkeys(("狗血", "俗套", "肉麻", "煽情", "矫情"), ("cheesy",)),
    **dict.fromkeys(("慢节奏", "节奏慢", "节奏太慢", "拖沓", "太慢"), ("slow",)),
    **dict.fromkeys(("动感", "欢快", "燃", "节奏感强", "蹦迪", "派对", "健身", "跑步", "轻快"),
                    UPBEAT),
    # audiences
    **dict.fromkeys(("家庭", "全家", "一家人", "全家人", "家人", "合家欢", "亲子"), ("family",)),
    **dict.fromkeys(("孩子", "小孩", "儿童", "孩子们", "小朋友", "宝宝", "少儿", "幼儿", "童书",
                     "侄子", "侄女", "外甥", "外甥女", "孙子", "孙女", "外孙", "外孙女"), _KIDS),
    **dict.fromkeys(("初中生", "中学生", "小学生", "初一", "初二", "初三", "小学"),
                    {None: ("children's books",), "movie": ("family",), "book": ("children's books",),
                     "music": ()}),
    **dict.fromkeys(("青少年", "青春", "成长", "校园", "少年"), {None: ("teen",), "movie": ("teen",),
                                                          "book": ("children's books",), "music": ()}),
    # movie genres
    **dict.fromkeys(("动画", "卡通", "动漫", "动画电影"), ("animated",)),
    **dict.fromkeys(("剧情", "文艺"), ("drama",)),
    **dict.fromkeys(("动作", "热血", "打斗", "枪战"), ("action",)),
    "刺激": ("action", "thriller"),
    **dict.fromkeys(("武侠", "功夫", "武打", "武术"), ("martial arts",)),
    **dict.fromkeys(("超级英雄", "超英", "漫威"), ("superhero",)),
    **dict.fromkeys(("西部", "牛仔"), ("western",)),
    **dict.fromkeys(("战争", "军事", "打仗"), ("war",)),
    **dict.fromkeys(("二战", "第二次世界大战"), ("war", "world war ii")),
    **dict.fromkeys(("一战", "第一次世界大战"), ("war", "world war i")),
    **dict.fromkeys(("历史", "古装", "年代剧"), ("historical",)),
    **dict.fromkeys(("古装剧", "古装片", "宫廷剧"), ("historical", "drama")),
    **dict.fromkeys(("传记", "自传", "真人真事"), ("biography",)),
    **dict.fromkeys(("纪录片", "纪录", "记录片"), {None: ("documentary",), "movie": ("documentary",),
                                              "book": (), "music": ()}),
    **dict.fromkeys(("音乐剧", "歌舞", "歌舞片"), ("musical",)),
    **dict.fromkeys(("灾难",), ("disaster",)),
    **dict.fromkeys(("体育", "足球", "篮球", "拳击"), ("sports",)),
    "运动": {None: ("sports",), "movie": ("sports",), "book": ("sports",), "music": UPBEAT["music"]},
    **dict.fromkeys(("间谍", "特工", "谍战"), ("spy",)),
    **dict.fromkeys(("海盗",), ("pirates",)),
    # topics people name ("讲飞行员的电影", "荒岛求生的", "跟死亡没关系的书")
    **dict.fromkeys(("荒岛", "孤岛"), ("islands",)),
    **dict.fromkeys(("求生", "生存", "野外求生", "活下去", "活下来"), ("survival",)),
    **dict.fromkeys(("大海", "海洋", "航海", "出海"), ("sea stories",)),
    **dict.fromkeys(("山里", "山区", "大山里", "雪山", "高山上"), ("mountains",)),
    "荒岛求生": ("islands", "survival"),
    **dict.fromkeys(("农场", "农场动物", "田园"), ("farm life",)),
    **dict.fromkeys(("飞行员", "机长"), ("air pilots",)),
    **dict.fromkeys(("死亡", "生死"), ("death",)),
    **dict.fromkeys(("登山", "攀登", "登山家"), ("mountaineering",)),
    **dict.fromkeys(("机器人",), ("science fiction", "robots")),
    **dict.fromkeys(("吸血鬼",), ("vampires",)),
    **dict.fromkeys(("女巫",), ("witches",)),
    **dict.fromkeys(("人工智能",), ("artificial intelligence",)),
    **dict.fromkeys(("棒球",), ("baseball",)),
    **dict.fromkeys(("美食", "烹饪", "做饭", "做菜", "厨师", "料理"), ("cooking",)),
    **dict.fromkeys(("聋人", "失聪", "聋哑"), ("deaf people",)),
    **dict.fromkeys(("穿越",), ("time travel",)),
    **dict.fromkeys(("舞蹈", "跳舞", "街舞", "芭蕾"),
                    {None: ("dance",), "movie": ("dance",), "book": ("dance",), "music": UPBEAT["music"]}),
    **dict.fromkeys(("冒险", "探险", "历险"), ("adventure",)),
    **dict.fromkeys(("航海", "海上"), ("sea stories",)),
    **dict.fromkeys(("黑色电影",), ("noir",)),
    **dict.fromkeys(("独立电影",), ("independent",)),
    **dict.fromkeys(("圣诞", "圣诞节"), ("christmas",)),
    **dict.fromkeys(("哥特",), ("gothic",)),
    # books
    **dict.fromkeys(("诗", "诗歌", "诗集", "诗词"), ("poetry",)),
    **{f"{place}{kind}": (f"{nation} fiction",) for place, nation in (
        ("美国", "american"), ("加拿大", "canadian"), ("英国", "english"), ("法国", "french"),
        ("德国", "german"), ("意大利", "italian"), ("日本", "japanese"), ("挪威", "norwegian"),
        ("波兰", "polish"), ("俄国", "russian"), ("俄罗斯", "russian"), ("西班牙", "spanish"),
        ("瑞典", "swedish"))
       for kind in ("小说", "文学", "名著")},
    **dict.fromkeys(("散文", "随笔", "散文集"), ("essays",)),
    **dict.fromkeys(("观鸟", "鸟类", "讲鸟", "关于鸟"), ("birds",)),
    **dict.fromkeys(("打打杀杀", "打打杀杀的", "砍砍杀杀"), ("violence",)),
    **dict.fromkeys(("短篇", "短篇小说", "短篇故事"), ("short stories",)),
    **dict.fromkeys(("哲学",), ("philosophy",)),
    **dict.fromkeys(("打猎", "狩猎"), ("hunting",)),
    **dict.fromkeys(("钓鱼",), ("fishing",)),
    **dict.fromkeys(("火星",), ("mars (planet)",)),
    **dict.fromkeys(("原子弹", "核武器", "核战争"), ("nuclear warfare",)),
    # places and peoples ("日本的", "写中国的", "俄国小说")
    **dict.fromkeys(("日本",), ("japan",)),
    **dict.fromkeys(("伦敦",), ("london",)),
    **dict.fromkeys(("花园",), ("gardens",)),
    **dict.fromkeys(("大自然", "自然"), ("nature",)),
    **dict.fromkeys(("中国",), ("china",)),
    **dict.fromkeys(("法国小说", "法国文学"), ("french fiction",)),
    **dict.fromkeys(("俄国小说", "俄罗斯小说", "俄国文学", "俄罗斯文学"), ("russian fiction",)),
    **dict.fromkeys(("英国小说", "英国文学"), ("english fiction",)),
    **dict.fromkeys(("美国小说", "美国文学"), ("american fiction",)),
    **dict.fromkeys(("日本小说", "日本文学"), ("japanese fiction",)),
    # animals
    **dict.fromkeys(("动物", "小动物"), ("animals",)),
    **dict.fromkeys(("猫", "猫咪", "小猫"), ("cats",)),
    **dict.fromkeys(("狗", "小狗", "狗狗"), ("dogs",)),
    **dict.fromkeys(("马", "小马", "马儿"), ("horses",)),
    **dict.fromkeys(("兔子", "小兔子", "兔"), ("rabbits",)),
    **dict.fromkeys(("绘本", "图画书"), ("picture books for children",)),
    **dict.fromkeys(("旅行文学", "游记"), ("travel writing",)),
    # music
    **dict.fromkeys(("爵士", "爵士乐"), ("jazz",)),
    **dict.fromkeys(("电子", "电音", "电子乐", "电子音乐"), ("electronic",)),
    **dict.fromkeys(("古典", "古典乐", "古典音乐"), {None: ("classical",), "music": ("classical",),
                                             "movie": (), "book": ()}),
    **dict.fromkeys(("交响乐", "交响曲"), ("symphonic",)),
    **dict.fromkeys(("现场", "现场专辑", "现场录音"), _music("live")),
    **dict.fromkeys(("摇滚", "摇滚乐"), ("rock",)),
    **dict.fromkeys(("硬摇滚",), ("hard rock",)),
    **dict.fromkeys(("热闹",), {None: ("upbeat",), "music": UPBEAT["music"], "movie": (), "book": ()}),
    **dict.fromkeys(("流行",), _music("pop")),
    "流行音乐": ("pop",),
    **dict.fromkeys(("民谣",), ("folk",)),
    **dict.fromkeys(("迪斯科", "迪斯高", "的士高"), ("disco",)),
    **dict.fromkeys(("华语流行", "华语歌", "国语流行"), ("pop",)),
    "说唱": ("rap",),
    "嘻哈": ("hip hop",),
    **dict.fromkeys(("后摇", "后摇滚"), ("post rock",)),
    **dict.fromkeys(("金属", "重金属"), ("metal",)),
    **dict.fromkeys(("朋克",), ("punk",)),
    **dict.fromkeys(("钢琴", "钢琴曲"), ("piano",)),
    **dict.fromkeys(("纯音乐", "器乐", "无人声", "没有人声", "不要人声"), ("instrumental",)),
    **dict.fromkeys(("轻音乐",), ("ambient", "instrumental")),
    **dict.fromkeys(("氛围音乐", "环境音乐", "白噪音"), ("ambient",)),
    "氛围": {"music": ("ambient",)},  # "有没有氛围差不多的片子": the feel of a film, no ambient music
    **dict.fromkeys(("浩室",), ("house",)),
    **dict.fromkeys(("科技舞曲", "铁克诺"), ("techno",)),
    **dict.fromkeys(("迷幻舞曲", "神游舞曲"), ("trip hop",)),
    **dict.fromkeys(("低保真",), ("lo-fi",)),
    **dict.fromkeys(("舞曲",), ("upbeat", "electronic")),
}

DOMAINS: dict[str, str] = {
    **dict.fromkeys(("电影", "影片", "片子", "片儿", "片", "大片", "电影院", "影视", "剧",
                     "看片", "导演", "主演", "演员", "拍的", "拍摄", "配音", "配的音"), "movie"),
    **dict.fromkeys(("书", "书籍", "图书", "小说", "读物", "文学", "名著", "看书", "读书", "读",
                     "阅读", "电子书", "有声书", "古典文学", "一本", "几本", "来本", "作家"),
                    "book"),
    **dict.fromkeys(("音乐", "专辑", "歌", "歌曲", "曲子", "唱片", "乐队", "歌手", "音乐人", "歌单", "曲",
                     "乐曲", "听", "听的", "听歌", "歌剧", "配乐", "原声", "原声带", "一首", "几首", "来首"),
                    "music"),
}
# wishes that also name the domain, as "watch" and "read" do in English ("我想读诗")
CUE_DOMAIN = {"想看": "movie", "爱看": "movie", "想读": "book", "爱读": "book", "想听": "music",
              "爱听": "music"}
# a facet word followed by one of these also names the domain ("恐怖片", "摇滚乐", "科幻小说")
DOMAIN_SUFFIX = {"片": "movie", "乐": "music"}

CUES: dict[str, str] = {
    # words holding a domain character that name no domain: "装了一天书架" is furniture, not reading
    **dict.fromkeys(("书架", "书柜", "书桌", "书包", "书房", "书法", "书店", "书签", "书信", "秘书", "证书",
                     "书面", "片刻", "名片", "照片", "图片", "芯片", "药片", "电子版", "电子档"), "plain"),
    **dict.fromkeys(("不要", "不想要", "不想看", "不想听", "不想读", "不喜欢", "不太喜欢", "不怎么喜欢",
                     "不是很喜欢", "不大喜欢", "不爱", "不爱看", "不爱听", "讨厌", "受不了", "受够了",
                     "别", "别给我", "不看", "不听", "不读", "避免", "排除", "去掉", "不用", "不需要", "拒绝",
                     "怕", "害怕", "烦", "厌倦", "腻了", "看腻", "不感兴趣", "没兴趣", "不想", "不适合",
                     "不能有", "别有", "不含", "不带", "不包括", "少一点", "少点", "少些", "别推荐",
                     "不要推荐", "别给我推荐", "不要给我推荐", "别再推荐", "别再给我推荐", "别再给我",
                     "不要再给我", "别再推", "反感", "恨",
                     "不可以", "不能"), "neg"),
    **dict.fromkeys(("不太", "不那么", "没那么", "别那么", "不要那么", "不能太", "别太", "不要太", "不会太",
                     "太", "过于", "不是太", "不", "没有", "别太过"), "nadj"),
    **dict.fromkeys(("喜欢", "爱看", "爱听", "爱读", "爱", "想看", "想听", "想读", "想要", "要", "来一部",
                     "来一本", "来一张", "来点", "来些", "来几", "推荐", "找", "需要", "偏爱", "最爱", "适合",
                     "有没有", "给我", "带点", "想找", "求", "更喜欢", "比较喜欢", "迷", "着迷", "热爱",
                     "想", "就要", "还要"), "pos"),
    **dict.fromkeys(("不介意", "不在乎", "无所谓", "可以接受", "能接受", "接受", "不排斥", "不反对"), "tol"),
    **dict.fromkeys(("也可以", "也行", "也没关系", "没关系", "没问题", "也不错", "也无所谓", "倒也可以",
                     "也可", "其实也可以", "也挺好", "也好", "可以接受的", "能接受的"), "ptol"),
    **dict.fromkeys(("就算了", "算了", "免了", "不行", "不要了", "不考虑", "就不要了", "pass", "除外",
                     "够了", "看够了", "听够了", "读够了", "听不进去", "听不下去", "看不进去", "看不下去",
                     "读不进去", "读不下去"), "pneg"),  # "今天哭够了": enough crying
    # a wish taken back as it is said: "本来想看个爱情片……不对，今晚想看恐怖片"
    **dict.fromkeys(("不对", "不对不对", "哦不对", "啊不对", "不是不是", "说错了"), "undo"),
    **dict.fromkeys(("不错", "很好", "挺好", "好看", "好听", "很棒", "精彩", "爱了", "最好看", "有意思",
                     "很喜欢", "太好看了", "太好听了", "太棒了", "太精彩了"), "good"),
    **dict.fromkeys(("不好看", "不好听", "无聊", "很无聊", "太无聊", "一般", "很一般", "难看", "烂",
                     "没意思", "不怎么样"), "bad"),
    **dict.fromkeys(("看过", "看过了", "读过", "听过", "已经看过", "已经读过", "已经听过", "读过了",
                     "看了好几遍", "看了很多遍", "看了几遍", "看了两遍", "看了三遍",
                     "读了两遍", "读了三遍", "读了好多遍", "读了好几遍", "听了好几遍", "刷了好几遍",
                     "听过了", "看完", "读完", "听完", "看完了", "读完了", "听完了", "刷过", "刷过了",
                     "刷过好几遍", "刷了好多遍", "看了好多遍", "听了好多遍", "看过好几遍", "看过好多遍",
                     "读过好几遍", "早看过", "早就看过", "早读过", "早就读过", "看遍了", "读遍了"), "seen"),
    **dict.fromkeys(("类似", "像", "一样", "那样", "这样", "同类", "差不多", "相似", "那种", "这种", "风格"),
                    "sim"),
    **dict.fromkeys(("其实", "改主意", "想了想"), "rev"),  # not 还是: "还是来部爱情片吧" is "rather"
    **dict.fromkeys(("但是", "但", "不过", "可是", "然而", "只是", "而是", "另外"), "brk"),
    **dict.fromkeys(("特别", "别的", "别人", "分别", "区别", "告别", "可以吗", "行吗", "好吗", "不客气",
                     "不用谢", "不知道", "不管", "不同", "不一样", "没看过", "没读过", "没听过", "哪怕",
                     "不少", "多少", "至少", "太太", "太好了",
                     "马上", "罗马", "马克", "马丁", "马戏", "马拉松", "狗仔", "重要", "主要", "只要", "要是",
                     "不是吗",
                     "情节", "爱好", "恐怕", "麻烦", "以来", "出来", "后来", "起来", "原来", "未来", "将来",
                     "一般来说", "不错过", "别提", "好看吗", "好听吗", "值得看吗", "值得读吗", "怎么样",
                     "听说", "成狗", "单身狗", "高三狗", "考研狗", "加班狗",
                     "是不是", "会不会", "算不算", "对不对"),
                    "skip"),
}
# facet words that also name the domain
FACET_DOMAIN: dict[str, str] = {
    **dict.fromkeys(("纪录片", "记录片", "鬼片", "歌舞片", "动画电影", "黑色电影", "独立电影"), "movie"),
    **dict.fromkeys(("童书", "诗集", "短篇小说", "绘本", "图画书", "法国小说", "俄国小说", "俄罗斯小说",
                     "英国小说", "美国小说", "日本小说"), "book"),
    **dict.fromkeys(("古典音乐", "电子音乐", "流行音乐", "氛围音乐", "环境音乐", "钢琴曲", "轻音乐", "纯音乐",
                     "学习时听", "工作时听", "学习的时候听", "写作业时听", "爵士乐", "摇滚乐", "电子乐",
                     "古典乐", "舞曲", "科技舞曲", "迷幻舞曲", "交响乐", "交响曲", "白噪音",
                     "现场专辑", "华语流行", "华语歌", "迪斯科"), "music"),
}
GLUE = frozenset("和跟与或及、也还又 的地得吧呢啊呀吗嘛了我你们他她它给些点种类型部本张首个一")
NUMERALS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
            "九": 9, "十": 10}


def audience(targets: Targets | tuple[str, ...] | None) -> bool:
    """Facets that say who it is for: "儿子十岁了" still asks for children's books."""
    targets = targets or ()
    names = {f for v in targets.values() for f in v} if isinstance(targets, dict) else set(targets)
    return bool({"family", "children's books"} & names)


# what happened ("狗子终于睡着了") or what a pick on screen is like ("第二部看着有点吓人"): no wish
_TOLD_RE = re.compile(r"了[啊呀啦哈]?\s*$")
_ONE_SHOWN_RE = re.compile(r"[\s，,。！？!?；;]*(?:第\s*[一二三四五六七八九十\d]+\s*|这|那)[个部本首张]")


def told_not_wished(clause: str) -> bool:
    """A clause with no cue that tells what happened or what a pick on screen is like."""
    return bool(_TOLD_RE.search(clause) or _ONE_SHOWN_RE.match(clause))


# "找个有声书听": listened to, and still a book (the 听 names no music)
AUDIOBOOK_BEFORE_RE = re.compile(r"有声(?:书|读物|小说)\s*听?$")
