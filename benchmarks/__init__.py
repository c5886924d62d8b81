"""Speed, memory and lever measurements (scripts, not tests)."""
