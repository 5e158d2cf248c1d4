"""Conversations and their members: the tables, the access loaders and the seq counter.

Higher domains build on this one: `messages` writes the log, `groups` manages
membership and settings.
"""
