"""Spec helpers shared by the embedder and LLM loaders: dtype names, telling a local path
from a hub id, and the switch that keeps huggingface_hub offline while loading local files."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import torch

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
