"""Agent-based simulator of local public service ecosystems."""
