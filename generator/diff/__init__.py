"""`clientgen diff`: what a spec change does to the callers of each generated client."""
