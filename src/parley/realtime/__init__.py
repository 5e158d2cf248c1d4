"""Realtime delivery: WebSocket gateway, connection hub, brokers between nodes, presence."""
