"""Extract: a pure, deterministic function from a Document to a Readout."""

from communique.extractor.pipeline import EXTRACTOR, Firing, explain, extract_document

__all__ = ["EXTRACTOR", "Firing", "explain", "extract_document"]
