"""Training and data-building code: not installed with plankg (see training/README.md)."""
