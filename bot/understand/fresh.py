"""Whether a message starts a new request or adds to the one before.

"a romantic comedy from the 90s", then "now something scary": the second message asks for horror
instead, not for scary romantic comedies. "a scary movie", then "something funnier" or "also with a
bit of romance" adds to it. The manager (bot/manager.py) lets a fresh request's genres replace the
earlier ones of the same domain; what was said about years, people and dislikes stays.
"""

from __future__ import annotations

import re

# words that say the message replaces what came before
_SWITCH = re.compile(
    r"(?<!right )(?<!for )(?<!just )\bnow\b(?! and then)|\binstead\b|\brather\b|\bactually\b|"
    r"\bswitch(?:ing)? to\b|\bchange (?:it )?to\b|\bhow about\b|\bwhat about\b|\bin the mood for\b|"
    r"\blet'?s (?:do|try|go (?:with|for))\b|\bforget (?:that|those|it|them|the)\b|\bscrap that\b|"
    r"\bnever ?mind\b|\bdifferent (?:kind|genre|type|sort)\b|\bsomething (?:else|different)\b|"
    r"现在(?!就)|算了|改成|改看|改听|不如|这次|换成|换个(?!别)|换换口味|换(?=[^一几批些])",
    re.I)
# words that say it adds to or adjusts the last request
_ADDING = re.compile(
    r"^\W*(?:and|also|plus|but|with|without|preferably|ideally|though|make it|more|less|same|similar)\b|"
    r"\b(?:also|as well|plus|additionally|on top of that|in addition|same|similar|mixed with|"
    r"combined with|but (?:also|with))\b|\btoo\W*$|"
    r"\b(?:more|less) \w+|\b(?:funnier|scarier|darker|lighter|happier|sadder|shorter|longer|softer|"
    r"gentler|calmer|faster|slower|sillier|weirder|stranger|deeper|quieter|louder|sweeter|edgier|"
    r"cheerier|creepier|spookier|grittier|bleaker|heavier|older|newer)\b|"
    r"也|还要|再加|同时|而且|并且|(?<!来)一[点些]|更",
    re.I)
# the shape of a whole request: "a heist movie", "something scary", "any good westerns?"
_REQUEST = re.compile(
    r"^\W*(?:(?:ok|okay|hmm+|well|so|alright|right|cool|thanks|great)\W+)*"
    r"(?:(?:i|we)(?:'d| would)? (?:want|like|need|fancy)|(?:i'?m|we'?re|i am) (?:looking for|after)|"
    r"give me|show me|recommend|suggest|(?:got|have you got|do you have) any|any|a|an|some|something|"
    r"anything|来[点部本首张个些])\b|^\W*(?:来[点部本首张个些]|我想(?:看|听|读)|有没有|推荐)",
    re.I)


def fresh_request(text: str) -> bool:
    """True when the message reads as a new request replacing the last one's genres and moods (the
    caller checks that it names genres or moods at all, and new ones)."""
    low = " ".join(text.lower().split())
    if not low or _ADDING.search(low):
        return False
    return bool(_SWITCH.search(low) or _REQUEST.search(low))
