"""The handout as a PDF: the HTML handout laid out by WeasyPrint, the optional `pdf` extra.

WeasyPrint is imported only here and only when a PDF is asked for (it takes about a
second to load); without it, or without the Pango library it draws text with, the
error says how to install it and that the HTML prints from any browser.
"""

from __future__ import annotations

from hiprot.errors import PdfUnavailableError


def html_to_pdf(html: str) -> bytes:
    """The PDF of a self-contained HTML page (nothing is fetched: the page holds it all)."""
    try:
        from weasyprint import HTML  # type: ignore[import-not-found,import-untyped,unused-ignore]
    except ImportError:
        raise PdfUnavailableError("WeasyPrint is not installed") from None
    except OSError as exc:  # cffi could not open libpango/libgobject
        raise PdfUnavailableError(f"a system library it needs is missing: {exc}") from None
    pdf = HTML(string=html, url_fetcher=_no_fetcher()).write_pdf()
    assert isinstance(pdf, bytes)
    return pdf


def _no_fetcher() -> object:
    """A URL fetcher that allows no protocol at all: the handout holds everything it shows,
    so a PDF never reaches out for anything (a stray URL would be skipped)."""
    from weasyprint.urls import URLFetcher  # type: ignore[import-not-found,import-untyped,unused-ignore]

    return URLFetcher(allowed_protocols=())
