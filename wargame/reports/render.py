"""The after-action report as HTML and as PDF (WeasyPrint), rendered from the report model."""

from collections.abc import Callable

from django.template.loader import render_to_string

from wargame.reports.model import PAPERS, Report


def report_html(report: Report, *, paper: str = "A4") -> str:
    """The report as one HTML page, which is also what WeasyPrint lays out for the PDF."""
    context = {"report": report, "paper": paper if paper in PAPERS else "A4"}
    return render_to_string("reports/report.html", context)


def report_pdf(
    report: Report,
    *,
    paper: str = "A4",
    progress: Callable[[int, str], None] | None = None,
) -> bytes:
    """The report as PDF; `progress(percent, stage)` hears when layout and writing start."""
    from weasyprint import HTML  # heavy import, only when a PDF is wanted

    html = report_html(report, paper=paper)
    if progress:
        progress(40, "layout")
    document = HTML(string=html).render()
    if progress:
        progress(90, "writing")
    return document.write_pdf()
