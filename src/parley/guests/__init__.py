"""Guests: external accounts, and the invitation links that create them."""
