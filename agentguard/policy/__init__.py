"""The policy: model, loader, compiler and lint (cold), and the compiled-cache reader (hot)."""
