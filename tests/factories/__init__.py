"""Synthetic scenarios and exercises of any size, built through the real services: the tests
and the benchmarks under bench/ use them; the product does not."""
