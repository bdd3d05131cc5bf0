"""Load and inbox benchmarks (``make bench``); see bench/README.md. Not imported by the site."""
