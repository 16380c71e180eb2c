"""What a PDF says, for the tests that read the report's PDF: its text and its pages' sizes.

Read with PDFium (pypdfium2), which extracts the text of a thirty-page report in a twentieth
of a second where a pure-Python reader takes two seconds.
"""

from pathlib import Path

import pypdfium2 as pdfium

# PDFium marks a hyphen at the end of a line with U+FFFE: the word is whole again.
_LINE_END_HYPHEN = "\ufffe"


def pdf_text(content: bytes | Path) -> str:
    """The text of every page, in order, with runs of white space made one space."""
    document = pdfium.PdfDocument(content)
    try:
        pages = []
        for page in document:
            textpage = page.get_textpage()
            pages.append(textpage.get_text_range().replace(_LINE_END_HYPHEN, "-"))
            textpage.close()
            page.close()
        return " ".join(" ".join(pages).split())
    finally:
        document.close()


def pdf_page_sizes(content: bytes | Path) -> list[tuple[float, float]]:
    """The width and height of every page, in points."""
    document = pdfium.PdfDocument(content)
    try:
        sizes = []
        for page in document:
            sizes.append(page.get_size())
            page.close()
        return sizes
    finally:
        document.close()
