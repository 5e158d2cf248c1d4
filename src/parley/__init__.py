"""Parley: a self-hosted enterprise instant-messaging server."""

__version__ = "0.1.0"
