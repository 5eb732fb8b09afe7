"""Entry points of the command-line tools (argument parsing only)."""
