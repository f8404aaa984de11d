"""Extract: a pure, deterministic function from a Document to a Readout."""

from communique.extractor.pipeline import EXTRACTOR, extract_document

__all__ = ["EXTRACTOR", "extract_document"]
