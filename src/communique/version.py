"""The package's version: read by the packaging metadata, the extractor's version stamp, the CLI
(``--version``) and the API's OpenAPI document."""

__version__ = "0.1.0"
