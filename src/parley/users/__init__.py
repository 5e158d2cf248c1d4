"""Accounts: users, login sessions, profiles and the directory."""
