"""clientgen: typed Python API clients from OpenAPI documents, generated at build time."""

__version__ = "0.1.0"
