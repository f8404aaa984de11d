"""Development aid: print a gold document's text and its extraction. showgold.py GOLD.yaml"""

import sys
from pathlib import Path

from communique.evaluate.gold import DocumentSource, corpus_root, load_fieldmaps, load_gold_file
from communique.extractor import extract_document

sys.path.insert(0, str(Path(__file__).parent))
from show import show

for arg in sys.argv[1:]:
    gold = load_gold_file(Path(arg))
    src = DocumentSource(corpus_root(), load_fieldmaps(Path(arg).parent.parent))
    doc = src.document(gold)
    if "-q" not in sys.argv:
        print(doc.text[:3000])
    show(extract_document(doc))
