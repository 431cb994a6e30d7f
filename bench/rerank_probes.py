"""Hand probes for a reranker adapter: does it read a dislike or a genre in the profile? Five profiles, each
against four candidates, two that fit and two that do not (a horror-hater's comedies above Hereditary).
A probe passes when a fitting candidate comes first and the fitting two outscore the others on average.

    .venv/bin/python -m bench.rerank_probes --adapter finetune/adapters/reranker [--adapter other/]

Prints one line per probe and the count; the decision to ship a retrained adapter reads it with the
ReDial rows of bench/redial_rerank.py (bench/results/redial_rerank.json, "training").
"""

from __future__ import annotations

import argparse

import numpy as np

from bot.rerank import LLMReranker, profile_text

# (profile summary, what was said, four candidate lines, indexes of the two that fit)
PROBES = [
    ({"likes": ["comedy"], "dislikes": ["horror"], "constraints": {"domain": "movie"}},
     "a funny film for tonight, nothing scary",
     ["The Conjuring (2013), film: horror, supernatural; James Wan",
      "Groundhog Day (1993), film: comedy, fantasy; Harold Ramis",
      "Hereditary (2018), film: horror, drama; Ari Aster",
      "Airplane! (1980), film: comedy, parody; Jim Abrahams"], (1, 3)),
    ({"likes": ["action"], "dislikes": ["romance"], "constraints": {"domain": "movie"}},
     "an action movie, no romance please",
     ["The Notebook (2004), film: romance, drama; Nick Cassavetes",
      "Die Hard (1988), film: action, thriller; John McTiernan",
      "Titanic (1997), film: romance, drama; James Cameron",
      "Mad Max: Fury Road (2015), film: action, science fiction; George Miller"], (1, 3)),
    ({"likes": ["science fiction"], "dislikes": [], "constraints": {"domain": "movie"}},
     "some good sci-fi",
     ["Arrival (2016), film: science fiction, drama; Denis Villeneuve",
      "Pretty Woman (1990), film: romance, comedy; Garry Marshall",
      "Interstellar (2014), film: science fiction, adventure; Christopher Nolan",
      "Grown Ups (2010), film: comedy; Dennis Dugan"], (0, 2)),
    ({"likes": ["mystery"], "dislikes": ["romance"], "constraints": {"domain": "book"}},
     "a mystery novel, nothing romantic",
     ["Pride and Prejudice, book: romance, fiction; Jane Austen",
      "The Hound of the Baskervilles, book: mystery, detective and mystery stories; Arthur Conan Doyle",
      "Jane Eyre, book: romance, fiction; Charlotte Brontë",
      "The Moonstone, book: mystery, detective and mystery stories; Wilkie Collins"], (1, 3)),
    ({"likes": ["jazz"], "dislikes": ["rock"], "constraints": {"domain": "music"}},
     "jazz, no rock",
     ["Loud Guitars, album: rock, hard rock; The Amps",
      "Blue Evenings, album: jazz, lounge; Trio Nuit",
      "Riff City, album: rock, punk; Noise Boys",
      "Late Set, album: jazz, piano; Ella Quartet"], (1, 3)),
]


def passed(reranker: LLMReranker) -> list[bool]:
    out = []
    for summary, said, candidates, fit in PROBES:
        scores = np.asarray(reranker.score(profile_text(summary, [], said), candidates))
        rest = [n for n in range(len(candidates)) if n not in fit]
        out.append(int(scores.argmax()) in fit and scores[list(fit)].mean() > scores[rest].mean())
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--adapter", action="append", required=True, help="an adapter folder (repeatable)")
    args = ap.parse_args(argv)
    for adapter in args.adapter:
        ok = passed(LLMReranker.from_pretrained(adapter))
        for (_, said, _, _), good in zip(PROBES, ok, strict=True):
            print(f"{adapter}: {'pass' if good else 'FAIL'}  {said}")
        print(f"{adapter}: {sum(ok)} of {len(ok)} probes passed")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
