"""`python -m finetune data|train|eval ...`: build examples, train the adapter, evaluate it."""

from __future__ import annotations

import sys

USAGE = """usage: python -m finetune {data,train,eval,retriever} [options]

  data   build training examples (ReDial train slice + synthetic personas + app thumbs)
  train  train the reranker's LoRA adapter and save it with save_pretrained
  eval   score held-out examples with an adapter (accuracy@1, MRR, latency)
  retriever  train the learned query head and the neighbour contexts (ReDial train split)
"""


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("data", "train", "eval", "retriever"):
        print(USAGE, file=sys.stderr)
        return 2
    command, rest = argv[0], argv[1:]
    if command == "data":
        from finetune.data import main as run
    elif command == "train":
        from finetune.train import main as run
    elif command == "retriever":
        from finetune.retriever import main as run
    else:
        from finetune.evaluate import main as run
    return run(rest)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
