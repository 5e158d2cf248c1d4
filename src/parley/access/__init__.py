"""Roles and permissions: what each principal may do."""
