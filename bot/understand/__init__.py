"""The fast, deterministic understanding layer: one utterance in, interest tags out.

`extract(utterance, lexicon)` finds what the user likes and dislikes (as facet strings from
a lexicon built out of the catalog's own tags), titles they liked, disliked or have seen,
the domain they want, year bounds and creators. No model is involved: precompiled regexes
plus dictionary look-ups over word n-grams, so it runs in well under a millisecond for a
chat line (about 15 ms for a pathological 2,000-character one) and always gives the same
answer. An LLM layer can sit on top and be scored by the same benchmark
(bench/extraction_eval.py).

Pipeline, each step blanking what it explained so later steps do not read it twice:
titles and creators (only where a cue says how the user relates to them) -> "that one" /
"it" references -> years -> domain -> mood phrases and lexicon phrases -> a polarity for
each facet mention from the cues in its clause.

Conventions (the labelled set in bench/data/extraction_labels.jsonl follows them):

* Facets are lexicon "concepts": a catalog tag, lowercased ("science fiction", "ambient"),
  several catalog spellings folded into one ("Detective and mystery stories", "Mystery
  fiction" and the movie genre "Mystery" are all "mystery"; see FOLDS), or one of a few
  free facets no catalog tag carries ("feel-good", "mind-bending", "gore", "violence",...).
  `Lexicon.tags_for(facet, domain)` gives the catalog tags behind a facet, for scoring.
* A synonym may stand for several facets; when the utterance (or `domain_hint`) names a
  domain, only the facets the catalog has in that domain are kept ("kids" is
  family + animated for a movie, "children's books" for a book).
* Negation runs from its cue to the end of the clause (",", "but", ".", "and I ...");
  a comma list ending in "or"/"and" keeps it ("no horror, gore or musicals").
* Reversals are facets the user now accepts ("actually, musicals are fine", "I don't
  mind violence"): the dialogue manager drops them from the dislikes; they are not likes.
* Years: "after 2010" excludes 2010 (min 2011), "since 2010" / "from 2010 on" include it,
  "before 1990" gives max 1989, "until 1990" max 1990; a decade is its ten years; "early",
  "mid", "late" are x0-x3, x4-x6, x7-x9; "recent" / "new releases" / "latest" mean
  min = ref_year - recent_span (5 unless set) and set `recent`; "last N years" min =
  ref_year - N. ref_year is this year (today's date) unless the caller passes one.
  "old" and "classic" are left to the critique layer.
* Creators: every creator asked for or spoken well of is in `creators` (the labelled
  convention); `creator_roles` says which are only soft signals: "style" ("in the vein of
  Agatha Christie", "a director like Nolan"), "like" ("I love Morgan Freeman", "my wife likes
  Tom Hanks"), "mention" ("is that the one with Emily Blunt?").
  A role noun before "like" also names the domain ("an artist like X": music). The rest ("by Stephen King",
  "directed by Spielberg", "starring X", "a Nolan film") are requirements. "nothing by X",
  "not Nolan", "no Tarantino please" go to `excluded_creators`.
* Titles are reported as the user wrote them; `Extraction.title_ids` maps a span to the
  catalog id where the linker found one. Items already on screen are markers, not titles:
  "@last" ("not that one", or "loved it" with no title before it) and "@1", "@2", ...
  ("the first one").

Text with Chinese characters goes through zh.py instead (the same Extraction; Latin-script
titles, names and English clauses inside it are read with the English steps).

Layout, each module importing only from those above it in this list:
vocab (constants, word tables) -> text (normalisers) -> cues (polarity regexes) -> model
(Extraction and the working types) -> lexicon (Lexicon from a catalog) -> linker (title
index) -> domain, years, titles, facets (the steps) -> zh_vocab, zh_years, zh (Chinese)
-> pipeline (`extract`).
"""

from __future__ import annotations

from bot.understand.facets import MUSIC_ONLY
from bot.understand.lexicon import Lexicon
from bot.understand.linker import title_index_linker
from bot.understand.model import Extraction
from bot.understand.pipeline import extract
from bot.understand.text import clean_text, fold, phrase_key, stem
from bot.understand.vocab import (
    ALIASES,
    CHAT_WORDS,
    EMOJI,
    FOLDS,
    FREE_FACETS,
    MAX_CANDIDATES,
    MAX_CHARS,
    MAX_MENTIONS,
    MOODS,
    MUSIC_ONLY_WORDS,
    RECENT_SPAN,
    REF_LAST,
    REF_YEAR,
    STOP_WORDS,
    Cue,
    LinkTitles,
    Targets,
    this_year,
)

__all__ = [
    "ALIASES", "CHAT_WORDS", "EMOJI", "FOLDS", "FREE_FACETS", "MAX_CANDIDATES", "MAX_CHARS", "MAX_MENTIONS",
    "MOODS", "MUSIC_ONLY", "MUSIC_ONLY_WORDS", "RECENT_SPAN", "REF_LAST", "REF_YEAR", "STOP_WORDS", "Cue",
    "Extraction", "Lexicon", "LinkTitles", "Targets", "clean_text", "extract", "fold", "phrase_key", "stem",
    "this_year", "title_index_linker",
]
