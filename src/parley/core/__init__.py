"""Domain-free building blocks: errors, ids, clock, JSON."""
