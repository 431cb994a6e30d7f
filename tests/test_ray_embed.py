"""Distributed catalog embedding on a real local Ray instance: the same vectors as the local engine, bit
for bit, resumable after a crash, and `tastebud index --engine ray` building the same index."""

from __future__ import annotations

import functools
import json

import numpy as np
import pytest

from retrieval.embedding import RayStats, embed_local, embed_ray

pytestmark = pytest.mark.ray


class Crash(Exception):
    pass


def test_ray_gives_the_local_vectors_and_resumes_after_a_crash(ray_local, real_embedder, demo_items,
                                                               tmp_path):
    from bot.models import load_embedder

    texts = [i.embedding_text() for i in demo_items[:160]]
    local = embed_local(real_embedder, texts, batch_size=16, shard_size=40)
    factory = functools.partial(load_embedder, "packaged", threads=1)
    work = tmp_path / "shards"
    done: list[int] = []

    def crash_after_two(n: int) -> None:
        done.append(n)
        if len(done) == 2:
            raise Crash("the driver dies after two shards")

    with pytest.raises(Crash):
        embed_ray(factory, real_embedder.model_id, real_embedder.dim, texts, work, batch_size=16,
                  shard_size=40, on_shard=crash_after_two)
    on_disk = json.loads((work / "shards.json").read_text())["keys"]
    assert sorted(int(k) for k in on_disk) == sorted(done)  # what was acknowledged is on disk

    stats = RayStats()
    vectors = embed_ray(factory, real_embedder.model_id, real_embedder.dim, texts, work, batch_size=16,
                        shard_size=40, stats=stats)
    assert (stats.shards, stats.reused, stats.embedded) == (4, 2, 2)  # continued from the finished shards
    assert stats.workers == 2  # one per CPU of the 2-CPU instance
    assert vectors.dtype == np.float32 and np.array_equal(vectors, local)  # identical, not just close

    again = RayStats()
    assert np.array_equal(embed_ray(factory, real_embedder.model_id, real_embedder.dim, texts, work,
                                    batch_size=16, shard_size=40, stats=again), local)
    assert (again.reused, again.embedded) == (4, 0)  # nothing left to do: Ray is not even asked


def test_cli_index_with_the_ray_engine_builds_the_local_index(ray_local, demo_items, tmp_path):
    from bot.cli import main as cli
    from retrieval.index import VectorIndex

    catalog = tmp_path / "catalog.jsonl"
    catalog.write_text("".join(json.dumps(i.to_dict()) + "\n" for i in demo_items[:120]))
    out = {}
    for engine in ("local", "ray"):
        cache = tmp_path / engine
        args = ["index", "--engine", engine, "--catalog", str(catalog), "--cache-dir", str(cache),
                "--embed-shard-size", "50", "--build-threads", "1"]
        assert cli(args) == 0
        out[engine] = VectorIndex.load(cache / "index")
    assert out["ray"].manifest == out["local"].manifest
    assert out["ray"].keys == out["local"].keys
    assert np.array_equal(out["ray"].vectors, out["local"].vectors)
    shards = sorted(p.name for p in (tmp_path / "ray" / "embed-shards").glob("shard-*.npy"))
    assert shards == ["shard-000000.npy", "shard-000001.npy", "shard-000002.npy"]
