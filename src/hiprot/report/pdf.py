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
    pdf = HTML(string=html, url_fetcher=_no_fetch).write_pdf()
    assert isinstance(pdf, bytes)
    return pdf


def _no_fetch(url: str, *args: object, **kwargs: object) -> dict[str, object]:
    """The handout holds everything it shows; a PDF never reaches out for anything."""
    raise ValueError(f"hiprot's PDF fetches nothing ({url})")
