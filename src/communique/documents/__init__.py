"""Documents: raw input (text, HTML, Markdown, corpus records) to a normalised Document."""

from communique.documents.load import document_id, make_document, read_document

__all__ = ["document_id", "make_document", "read_document"]
