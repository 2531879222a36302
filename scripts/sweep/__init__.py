"""The contract sweep: call every operation of every corpus client against Prism.

`python -m scripts.sweep --help` (or `make sweep`) runs it; see __main__.py. Modules:
patterns (strings matching a regex), conform (a small JSON-schema check), synth (values from
schemas), plan (operations -> calls), classify (outcome -> class), document (one document,
in a child process), report (the table).
"""
