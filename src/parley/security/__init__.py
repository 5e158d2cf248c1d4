"""Security kernel: password hashing, token material, login back-off policy."""
