"""Training data, LoRA training and evaluation for the reranker (see its issue)."""
