"""Live round trips against real framework apps (see support.py)."""
