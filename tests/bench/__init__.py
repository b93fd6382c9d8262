"""Benchmarks of the suite (`make bench`): each figure next to its bare baseline and their ratio, as JSON."""
