"""Jinja templates of generated client packages (shipped as package data)."""
