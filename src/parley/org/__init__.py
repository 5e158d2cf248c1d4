"""The organisation this installation serves, and first-run setup."""
