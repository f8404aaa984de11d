"""Extract: a pure, deterministic function from a Document to a Readout."""

from communique.extractor.pipeline import EXTRACTOR, Firing, analyse, explain, extract_document

__all__ = ["EXTRACTOR", "Firing", "analyse", "explain", "extract_document"]
