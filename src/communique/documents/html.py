"""HTML pages and fragments to clean text and metadata, with trafilatura."""

from __future__ import annotations

import re
from dataclasses import dataclass

_TAG = re.compile(r"<[a-zA-Z!/][^>]*>")
_BLOCK = re.compile(r"</?(?:p|div|br|li|h[1-6]|tr|blockquote|section|article)\b[^>]*>", re.I)


@dataclass(frozen=True, slots=True)
class HtmlContent:
    text: str
    title: str | None
    date: str | None
    sitename: str | None
    url: str | None


def looks_like_html(text: str) -> bool:
    head = text[:2000].lstrip().lower()
    if head.startswith(("<!doctype html", "<html", "<?xml")):
        return True
    return len(_TAG.findall(text[:5000])) >= 2 and bool(_BLOCK.search(text[:5000]))


_PAGE_MARKERS = re.compile(
    r"<(?:html|body|head|nav|header|footer|aside|menu|form|script|style)\b", re.I
)


def is_fragment(html: str) -> bool:
    """An article body without page furniture (feeds' ``content:encoded``, corpus fields)."""
    return not _PAGE_MARKERS.search(html)


def html_to_content(html: str, url: str | None = None) -> HtmlContent:
    """Body text (boilerplate, navigation and footers removed), title, date and site name.

    A fragment with no page furniture is read directly (ten times faster than trafilatura);
    a page goes through trafilatura's boilerplate removal.
    """
    if is_fragment(html):
        return HtmlContent(text=_fallback_text(html), title=None, date=None, sitename=None, url=url)
    import trafilatura

    doc = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        favor_recall=True,
    )
    text = getattr(doc, "text", None) or ""
    if not text.strip():
        text = _fallback_text(html)
    title = getattr(doc, "title", None)
    found_date = getattr(doc, "date", None)
    if found_date is not None and not _has_date_metadata(html):
        # trafilatura guesses a date from the URL or the text when the page has none;
        # only dates the page states in its own metadata are taken as the publication date
        found_date = found_date if _date_in_text(html, found_date) else None
    return HtmlContent(
        text=text,
        title=title,
        date=found_date,
        sitename=getattr(doc, "sitename", None),
        url=getattr(doc, "url", None) or url,
    )


def _has_date_metadata(html: str) -> bool:
    head = html[:20000].lower()
    return any(
        key in head
        for key in ("article:published_time", "datepublished", 'name="date"', "<time", "pubdate")
    )


def _date_in_text(html: str, iso: str) -> bool:
    return iso in html


def _fallback_text(html: str) -> str:
    """Plain text of a fragment trafilatura found too short to keep."""
    from lxml import html as lxml_html

    try:
        root = lxml_html.fromstring(html)
    except Exception:  # lxml raises several unrelated types on junk input
        return _TAG.sub(" ", html)
    for bad in root.xpath("//script|//style|//noscript"):
        bad.drop_tree()
    for block in root.xpath("//p|//div|//br|//li|//h1|//h2|//h3|//h4|//tr|//blockquote"):
        block.tail = "\n" + (block.tail or "")
        if block.tag != "br":
            block.text = "\n" + (block.text or "")
    for hidden in root.xpath("//input"):
        hidden.drop_tree()
    return str(root.text_content())
