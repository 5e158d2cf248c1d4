"""Database kernel: declarative base, engines, transaction scopes, migrations."""
