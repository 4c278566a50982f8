"""HTML to PDF with WeasyPrint, in Tandem's own print style: A4, a sans-serif face, and on every
page the report's title at the top and, at the foot, when it was generated, its version and
"page X of Y" (CSS paged media margin boxes, so no page can lack them).

Nothing is fetched while rendering: the only URLs followed are `data:` ones written into the
HTML itself, so a report never reaches the network or the file system (WeasyPrint needs Pango,
see README.md).
"""

import logging
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.html import escape

# WeasyPrint reports each step of every render at INFO (and some as it is imported): not worth a
# line in the server's log.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

# Arial where it is installed; Liberation Sans has Arial's metrics; DejaVu Sans is on every
# Debian machine.
FONT_STACK = '"Arial", "Liberation Sans", "DejaVu Sans", sans-serif'

# The margin boxes' texts are filled in per document by `_page_css`.
PAGE_CSS = """
@page {
  size: A4;
  margin: 22mm 18mm 22mm 18mm;
  @top-left {
    content: TITLE;
    width: 100%;
    font: 8pt FONTS; color: #505a5f;
    vertical-align: bottom; padding-bottom: 3mm;
    border-bottom: 0.5pt solid #b1b4b6;
  }
  @bottom-left {
    content: GENERATED;
    width: 70%;
    font: 8pt FONTS; color: #505a5f;
    vertical-align: top; padding-top: 3mm;
    border-top: 0.5pt solid #b1b4b6;
  }
  @bottom-right {
    content: "Page " counter(page) " of " counter(pages);
    width: 30%; text-align: right;
    font: 8pt FONTS; color: #505a5f;
    vertical-align: top; padding-top: 3mm;
    border-top: 0.5pt solid #b1b4b6;
  }
}
"""

PRINT_CSS = """
html { font: 10pt/1.4 FONTS; color: #0b0c0c; }
body { margin: 0; }
h1 { font-size: 20pt; line-height: 1.2; margin: 0 0 6mm; }
h2 { font-size: 14pt; line-height: 1.25; margin: 8mm 0 3mm; break-after: avoid; }
h3 { font-size: 11.5pt; line-height: 1.3; margin: 6mm 0 2mm; break-after: avoid; }
h4 { font-size: 10pt; margin: 4mm 0 1.5mm; break-after: avoid; }
h5 { font-size: 9.5pt; margin: 3mm 0 1mm; break-after: avoid; }
p { margin: 0 0 2.5mm; orphans: 3; widows: 3; }
a { color: inherit; text-decoration: none; }
ul, ol { margin: 0 0 2.5mm; padding-left: 6mm; }
/* Fixed layout: columns sized from the first row, not by measuring every cell (far faster). */
table { width: 100%; border-collapse: collapse; margin: 0 0 4mm; font-size: 9pt;
        table-layout: fixed; }
caption { text-align: left; font-weight: bold; font-size: 10pt; padding-bottom: 1.5mm;
          break-after: avoid; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
th, td { text-align: left; vertical-align: top; padding: 1.5mm 2mm;
         border-bottom: 0.5pt solid #b1b4b6; }
th { font-weight: bold; }
tbody th { font-weight: normal; }
thead th { border-bottom: 1pt solid #0b0c0c; }
td.numeric, th.numeric { text-align: right; }
tfoot td, tfoot th { font-weight: bold; border-top: 1pt solid #0b0c0c; }
dl { margin: 0 0 4mm; }
dt { font-weight: bold; }
dd { margin: 0 0 1.5mm; }
.govuk-visually-hidden { display: none; }
.tandem-pre-line { white-space: pre-line; }
.numeric { text-align: right; }
.govuk-list { list-style: none; padding-left: 0; }
.govuk-list--bullet { list-style: disc; padding-left: 6mm; }
.govuk-body-s { font-size: 9pt; }
.govuk-caption-l { display: block; color: #505a5f; font-size: 12pt; margin-bottom: 1mm; }

/* Tags in GOV.UK's colours. */
.govuk-tag { display: inline-block; padding: 0.3mm 1.6mm; font-size: 8pt; font-weight: bold;
             vertical-align: 0.5pt; color: #0c2d4a; background: #bbd4ea; }
.govuk-tag--green { color: #005a30; background: #cce2d8; }
.govuk-tag--red { color: #2a0b06; background: #f4cdc6; }
.govuk-tag--yellow { color: #594d00; background: #fff7bf; }
.govuk-tag--orange { color: #6e3619; background: #fcd6c3; }
.govuk-tag--grey { color: #282d30; background: #e5e6e7; }

/* A list of keys and values as a two-column table. */
.govuk-summary-list { display: table; width: 100%; border-collapse: collapse; }
.govuk-summary-list__row { display: table-row; }
.govuk-summary-list__key, .govuk-summary-list__value {
  display: table-cell; padding: 1.6mm 2mm 1.6mm 0; border-bottom: 0.5pt solid #b1b4b6;
  margin: 0; vertical-align: top; }
.govuk-summary-list__key { width: 34%; font-weight: bold; }

/* A report: the cover page, then sections. */
.report-cover { break-after: page; }
.report-brand { font-size: 11pt; font-weight: bold; letter-spacing: 0.5pt; color: #ffffff;
                background: #1d70b8; display: inline-block; padding: 1.5mm 3mm;
                margin: 0 0 24mm; }
.report-cover h1 { font-size: 28pt; margin: 0 0 3mm; }
.report-subject { font-size: 14pt; margin: 0 0 12mm; padding-bottom: 6mm;
                  border-bottom: 2pt solid #1d70b8; }
.report-note { margin-top: 8mm; color: #505a5f; }
.report-muted { color: #505a5f; }
.report-zero { color: #b1b4b6; }
.report-nowrap { white-space: nowrap; }
.report-section > h2 { border-bottom: 1.5pt solid #0b0c0c; padding-bottom: 1.5mm; }
.report-findings { break-before: page; }
.report-group__heading { margin-top: 8mm; color: #1d70b8; }
.report-requirement { margin: 0 0 5mm; padding: 0 0 3mm; border-bottom: 0.5pt solid #b1b4b6; }
.report-requirement__heading { font-size: 11pt; }
.report-ref { margin-right: 2mm; }
.report-requirement h5 { font-size: 9.5pt; margin: 3mm 0 1mm; color: #383f43; }
.report-requirement table { margin-top: 1mm; }
.report-requirement caption { font-size: 9.5pt; color: #383f43; }
.report-col-method { width: 26%; }
.report-col-result { width: 20%; }
.report-summary th:first-child { width: 40%; }
.report-citations th:first-child { width: 48%; }
.report-citations th:nth-child(2) { width: 30%; }
.report-actions th:first-child { width: 46%; }
.report-actions th:nth-child(3) { width: 16%; }
tfoot th, tfoot td { font-weight: bold; }
"""


def _css_string(text: str) -> str:
    """`text` as a quoted CSS string: quotes and backslashes escaped, line breaks as spaces."""
    flat = " ".join(text.split())
    return '"' + flat.replace("\\", "\\\\").replace('"', '\\"') + '"'


@dataclass(frozen=True)
class PageMarks:
    """What every page carries: the title at the top, the date and version at the foot."""

    title: str
    generated_at: datetime
    version: int

    @property
    def generated(self) -> str:
        when = timezone.localtime(self.generated_at)
        return f"Generated {when.day} {when:%B %Y, %H:%M} · version {self.version}"


def _page_css(marks: PageMarks) -> str:
    return (
        PAGE_CSS.replace("TITLE", _css_string(marks.title))
        .replace("GENERATED", _css_string(marks.generated))
        .replace("FONTS", FONT_STACK)
    )


def pdf_render(*, body_html: str, marks: PageMarks, stylesheet: str = "") -> bytes:
    """The PDF of `body_html` (the body of a rendered Django template; escaped by it) in Tandem's
    print style and `stylesheet` (CSS the document's own classes need, kept in a file the page
    showing the same HTML links to: the pages allow no inline style), with `marks` on every page.

    WeasyPrint is imported here, not with the module: Tandem starts, and serves everything but
    PDFs, on a machine without Pango."""
    from weasyprint import CSS, HTML
    from weasyprint.urls import URLFetcher

    document = (
        '<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8">'
        f"<title>{escape(marks.title)}</title>"
        '<meta name="generator" content="Tandem">'
        f"</head><body>{body_html}</body></html>"
    )
    # Follows `data:` URLs only: a report must not reach out while it is rendered.
    fetcher = URLFetcher(allowed_protocols=("data",), allow_redirects=False)
    stylesheets = [
        CSS(string=PRINT_CSS.replace("FONTS", FONT_STACK), url_fetcher=fetcher),
        CSS(string=_page_css(marks), url_fetcher=fetcher),
    ]
    if stylesheet:
        stylesheets.append(CSS(string=stylesheet, url_fetcher=fetcher))
    pdf: bytes = HTML(string=document, base_url=None, url_fetcher=fetcher).write_pdf(
        stylesheets=stylesheets
    )
    return pdf
