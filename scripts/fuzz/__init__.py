"""Property-based fuzzing of clientgen (issue 9): random valid documents must generate,
import and type-check; random mutations of real documents must give exit 0 or 2, never a
traceback or a hang. `documents.py` and `mutants.py` hold the hypothesis strategies,
`check.py` runs clientgen, the imports and mypy over them, `__main__.py` is `make fuzz`."""
