"""The conversation log: messages and system events, read state, history and sync."""
