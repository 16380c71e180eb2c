"""Builds the shipped Word template of the report (report.docx beside this file).

    .venv/bin/python wargame/reports/templates_docx/build.py

The template is an ordinary Word document with docxtpl's Jinja tags in it: an organisation
copies report.docx, puts its letterhead, styles and classification banner in it with Word, and
points CUMBRE_REPORT_DOCX_TEMPLATE at the copy. This script is only how the shipped one is
made, so that it can be made again after a change; it needs python-docx, nothing of Django.
Tags: `{{ report.… }}` is the report model (wargame/reports/model.py), `{{ labels.… }}` the
translated headings (wargame/reports/docx.py), `{%p %}` a paragraph, `{%tr %}` a table row and
`{%tc %}` a table column of a loop.
"""

from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

HERE = Path(__file__).resolve().parent
NAVY = RGBColor(0x1F, 0x3B, 0x5C)
HEADER_FILL = "DFE7F0"
A4 = (Cm(21), Cm(29.7))
MARGIN = Cm(2)
TABLE_TEXT = "Table Text"


def _shade(cell, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def _field(paragraph, instruction: str, placeholder: str = "1") -> None:
    """A field Word computes (PAGE, NUMPAGES, TOC)."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = placeholder
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


class Builder:
    def __init__(self) -> None:
        self.doc = Document()
        self.landscape = False
        self.first_heading = True

    # Styles and page ---------------------------------------------------------------------------

    def setup(self) -> None:
        styles = self.doc.styles
        normal = styles["Normal"]
        normal.font.name = "Calibri"
        normal.font.size = Pt(10)
        normal.paragraph_format.space_after = Pt(4)
        for name, size, before in (("Heading 1", 16, 0), ("Heading 2", 12, 10),
                                   ("Heading 3", 10.5, 8)):  # fmt: skip
            style = styles[name]
            style.font.name = "Calibri"
            style.font.size = Pt(size)
            style.font.color.rgb = NAVY
            style.font.bold = True
            style.paragraph_format.space_before = Pt(before)
            style.paragraph_format.space_after = Pt(4)
            style.paragraph_format.keep_with_next = True
        styles["Title"].font.color.rgb = NAVY
        styles["Title"].font.size = Pt(26)
        small = styles.add_style(TABLE_TEXT, WD_STYLE_TYPE.PARAGRAPH)
        small.base_style = normal
        small.font.size = Pt(8)
        small.paragraph_format.space_before = Pt(0)
        small.paragraph_format.space_after = Pt(0)
        note = styles.add_style("Note", WD_STYLE_TYPE.PARAGRAPH)
        note.base_style = normal
        note.font.italic = True
        note.font.color.rgb = RGBColor(0x4A, 0x55, 0x62)

        section = self.doc.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = A4
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, MARGIN)
        # The classification banner, top and bottom of every page: replace it with your own.
        header = section.header.paragraphs[0]
        header.alignment = WD_ALIGN_PARAGRAPH.CENTER
        header.add_run("{{ report.handling }}").bold = True
        footer = section.footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        footer.add_run("{{ report.handling }}").bold = True
        line = section.footer.add_paragraph()
        line.alignment = WD_ALIGN_PARAGRAPH.CENTER
        line.style = self.doc.styles[TABLE_TEXT]
        line.add_run("{{ report.title }} · {{ labels.page }} ")
        _field(line, "PAGE")
        line.add_run(" / ")
        _field(line, "NUMPAGES")

        # Word refreshes the table of contents and page numbers on opening.
        update = OxmlElement("w:updateFields")
        update.set(qn("w:val"), "true")
        self.doc.settings.element.append(update)
        properties = self.doc.core_properties
        properties.title = "{{ report.title }}"
        properties.subject = "{{ report.scenario }}"
        properties.author = "Cumbre"
        properties.comments = "{{ report.handling }}"

    def new_section(self, landscape: bool) -> None:
        section = self.doc.add_section(WD_SECTION.NEW_PAGE)
        section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
        width, height = A4
        section.page_width, section.page_height = (height, width) if landscape else A4
        self.landscape = landscape
        self.first_heading = True

    @property
    def width(self) -> int:
        section = self.doc.sections[-1]
        return section.page_width - section.left_margin - section.right_margin

    # Blocks ------------------------------------------------------------------------------------

    def p(self, text: str = "", style: str | None = None):
        return self.doc.add_paragraph(text, style=style)

    def chapter(self, index: int, landscape: bool = False) -> None:
        """A Heading 1 from the report's sections, on a new page (landscape for wide tables)."""
        if landscape != self.landscape:
            self.new_section(landscape)
        heading = self.doc.add_heading(f"{{{{ report.sections[{index}][1] }}}}", 1)
        if not self.first_heading:
            heading.paragraph_format.page_break_before = True
        self.first_heading = False

    def bullets(self, loop: str, text: str, empty: str | None = None) -> None:
        self.p(f"{{%p for {loop} %}}")
        self.p(text, style="List Bullet")
        if empty:
            self.p("{%p else %}")
            self.p(empty, style="List Bullet")
        self.p("{%p endfor %}")

    def table(
        self,
        headers: list[str],
        cells: list[str],
        loop: str,
        widths: list[float],
        *,
        inner: str | None = None,
        fill: str | None = None,
    ) -> None:
        """A table with a shaded header row repeated on each page and one row per item of
        `loop` (and of `inner` within it); `fill` shades each data cell by an expression."""
        table = self.doc.add_table(rows=1, cols=len(headers))
        table.style = self.doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        total = sum(widths)
        column_widths = [int(self.width * w / total) for w in widths]
        for column, width in zip(table.columns, column_widths, strict=True):
            column.width = width
        for cell, header, width in zip(table.rows[0].cells, headers, column_widths, strict=True):
            cell.width = width
            paragraph = cell.paragraphs[0]
            paragraph.style = self.doc.styles[TABLE_TEXT]
            paragraph.add_run(header).bold = True
            _shade(cell, HEADER_FILL)
        header = table.rows[0]._tr.get_or_add_trPr()
        repeat = OxmlElement("w:tblHeader")
        repeat.set(qn("w:val"), "true")
        header.append(repeat)
        loops = [loop] + ([inner] if inner else [])
        for each in loops:
            row = table.add_row()
            row.cells[0].paragraphs[0].add_run(f"{{%tr for {each} %}}")
        row = table.add_row()
        for cell, text, width in zip(row.cells, cells, column_widths, strict=True):
            cell.width = width
            paragraph = cell.paragraphs[0]
            paragraph.style = self.doc.styles[TABLE_TEXT]
            prefix = f"{{% cellbg {fill} %}}" if fill else ""
            paragraph.add_run(prefix + text)
        for _each in loops:
            row = table.add_row()
            row.cells[0].paragraphs[0].add_run("{%tr endfor %}")
        self.p()

    # The document, section by section ----------------------------------------------------------

    def cover(self) -> None:
        kind = self.p("{{ labels.kind }}")
        kind.alignment = WD_ALIGN_PARAGRAPH.CENTER
        kind.paragraph_format.space_before = Cm(6)
        kind.runs[0].font.size = Pt(14)
        kind.runs[0].font.color.rgb = NAVY
        title = self.p("{{ report.title }}", style="Title")
        title.alignment = WD_ALIGN_PARAGRAPH.CENTER
        self.p("{%p for line in report.cover_lines %}")
        self.p("{{ line }}").alignment = WD_ALIGN_PARAGRAPH.CENTER
        self.p("{%p endfor %}")
        marking = self.p()
        marking.alignment = WD_ALIGN_PARAGRAPH.CENTER
        marking.paragraph_format.space_before = Cm(6)
        marking.add_run("{{ report.handling }}").bold = True

        contents = self.doc.add_heading("{{ labels.contents }}", 1)
        contents.paragraph_format.page_break_before = True
        toc = self.p()
        _field(toc, 'TOC \\o "1-2" \\h \\z \\u', "{{ labels.contents_hint }}")
        self.first_heading = False

    def overview(self) -> None:
        self.chapter(0)
        self.p("{%p if report.scenario_summary %}")
        self.p("{{ report.scenario_summary }}")
        self.p("{%p endif %}")
        self.p("{{ report.scope }} {{ report.conducted }}")
        self.doc.add_heading("{{ labels.objectives }}", 2)
        self.table(
            ["{{ labels.id }}", "{{ labels.objective }}", "{{ labels.core_capability }}",
             "{{ labels.holders }}"],
            ["{{ o.code }}", "{{ o.title }}", "{{ o.capability }}", "{{ o.holders }}"],
            "o in report.objectives",
            [1.3, 4, 3, 5],
        )  # fmt: skip
        self.doc.add_heading("{{ labels.nations }}", 2)
        self.table(
            ["{{ labels.nation }}", "{{ labels.stability_change }}",
             "{{ labels.capacity_change }}", "{{ labels.support_change }}",
             "{{ labels.objective }}", "{{ labels.played_by }}"],
            ["{{ n.label }}", "{{ n.stability }}", "{{ n.capacity }}",
             "{{ n.support }}", "{{ n.objectives }}", "{{ n.played_by }}"],
            "n in report.nations",
            [3.4, 2, 2, 2, 2.6, 1.4],
        )  # fmt: skip
        self.p("{%p if report.control %}")
        self.doc.add_heading("{{ labels.control }}", 2)
        self.bullets("c in report.control", "{{ c.name }} ({{ c.role|lower }})")
        self.p("{%p endif %}")

    def summary(self) -> None:
        self.chapter(1)
        self.p("{%p if not report.summary_edited %}")
        self.p("{{ report.draft_note }}", style="Note")
        self.p("{%p endif %}")
        self.p("{%p for paragraph in report.summary %}")
        self.p("{{ paragraph }}")
        self.p("{%p endfor %}")

    def analysis(self) -> None:
        self.chapter(2)
        self.p("{{ report.rating_note }}", style="Note")
        self.p("{%p for a in report.analysis %}")
        self.doc.add_heading("{{ a.heading }}", 2)
        self.p("{{ labels.core_capability }}: {{ a.capability }}")
        rating = self.p("{{ labels.rating }}: ")
        rating.add_run("{{ a.letter }} · {{ a.rating }}").bold = True
        rating.add_run(" ({{ a.status }})")
        self.p("{{ a.reasoning }}", style="Note")
        self.p("{%p if a.comment %}")
        self.p("{{ labels.comment }}: {{ a.comment }}")
        self.p("{%p endif %}")
        self.p("{%p if a.tasks %}")
        self.doc.add_heading("{{ labels.tasks }}", 3)
        self.bullets("t in a.tasks", "{{ t.line }}")
        self.p("{%p endif %}")
        self.doc.add_heading("{{ labels.strengths }}", 3)
        self.bullets("o in a.strengths", "{{ o.full }}", "{{ labels.none_recorded }}")
        self.doc.add_heading("{{ labels.improvements }}", 3)
        self.bullets("o in a.improvements", "{{ o.full }}", "{{ labels.none_recorded }}")
        self.p("{%p endfor %}")
        self.p("{%p if report.unassigned %}")
        self.doc.add_heading("{{ labels.unassigned }}", 2)
        self.bullets("o in report.unassigned", "{{ o.full }}")
        self.p("{%p endif %}")

    def timeline(self) -> None:
        self.chapter(3, landscape=True)
        self.p("{{ report.timeline_intro }}")
        self.table(
            ["{{ labels.turn }}", "{{ labels.number }}", "{{ labels.inject }}",
             "{{ labels.kind_of_inject }}", "{{ labels.from }}", "{{ labels.status }}",
             "{{ labels.delivered }}", "{{ labels.answered }}", "{{ labels.turns_to_answer }}",
             "{{ labels.responses }}"],
            ["{{ i.turn }}", "{{ i.code }}",
             "{{ i.title }}{% if i.contingency %}\n{{ i.contingency }}{% endif %}"
             "{% if i.expected %}\n{{ labels.expected }}: {{ i.expected }}{% endif %}",
             "{{ i.kind }}", "{{ i.source }}", "{{ i.status }}", "{{ i.delivered }}",
             "{{ i.answered }}", "{{ i.delay }}", "{{ i.responses|join(nl) }}"],
            "i in report.timeline",
            [1.3, 1.3, 5, 2.1, 2.4, 2, 1.8, 1.8, 1.6, 6.3],
        )  # fmt: skip

    def moves(self) -> None:
        self.chapter(4, landscape=True)
        self.p("{{ report.moves_intro }}")
        self.p("{{ report.moves_note }}", style="Note")
        self.doc.add_heading("{{ labels.moves_by_turn }}", 2)
        self.table(
            ["{{ labels.turn }}", "{{ labels.moves }}", "{{ labels.outcomes }}"],
            ["{{ t.number }}", "{{ t.moves|length }}", "{{ t.summary }}"],
            "t in report.moves",
            [1, 1.2, 10],
        )
        self.doc.add_heading("{{ labels.moves }}", 2)
        self.table(
            ["{{ labels.turn }}", "{{ labels.move }}", "{{ labels.team }}", "{{ labels.action }}",
             "{{ labels.target }}", "{{ labels.argument_rating }}", "{{ labels.chance }}",
             "{{ labels.roll }}", "{{ labels.outcome }}", "{{ labels.argument }}"],
            ["{{ t.number }}", "{{ m.key }}{% if m.bot %} ({{ labels.bot|lower }}){% endif %}",
             "{{ m.team }}", "{{ m.action }}", "{{ m.target }}", "{{ m.rating }}",
             "{{ m.chance }}", "{{ m.roll }}", "{{ m.outcome }}",
             "{{ m.argument }}{% if m.intended %}\n{{ labels.intended }}: {{ m.intended }}"
             "{% endif %}"],
            "t in report.moves",
            [1.2, 1.5, 2.4, 3.2, 2.4, 1.6, 1.3, 1.2, 2, 5.7],
            inner="m in t.moves",
        )  # fmt: skip

    def negotiations(self, loop: str) -> None:
        self.p(f"{{%p for {loop} %}}")
        self.doc.add_heading("{{ n.title }}", 3)
        self.p("{{ n.facts }}")
        self.p("{%p if n.commitments %}")
        self.p("{{ labels.commitments }}: {{ n.commitments|join('; ') }}")
        self.p("{%p endif %}")
        self.p("{%p if n.answers %}")
        self.p("{{ labels.answers }}: {{ n.answers|join('; ') }}")
        self.p("{%p endif %}")
        self.p("{%p if n.rounds %}")
        self.table(
            ["{{ labels.round }}", "{{ labels.by }}", "{{ labels.commitments }}",
             "{{ labels.duration }}", "{{ labels.note }}"],
            ["{{ r.number }} · {{ r.kind }}", "{{ r.author }}", "{{ r.commitments|join(nl) }}",
             "{{ r.duration }}", "{{ r.note }}"],
            "r in n.rounds",
            [2.2, 2.4, 5.6, 2, 4],
        )  # fmt: skip
        self.p("{%p endif %}")
        self.p("{%p endfor %}")

    def agreements(self) -> None:
        self.chapter(5)
        self.p("{{ report.agreements_intro }}")
        self.negotiations("n in report.agreements")
        self.p("{%p if report.proposals %}")
        self.doc.add_heading("{{ labels.proposals }}", 2)
        self.negotiations("n in report.proposals")
        self.p("{%p endif %}")

    def indicators(self) -> None:
        self.chapter(6)
        self.p("{%p for f in figures %}")
        picture = self.p("{{ f.image }}")
        picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
        self.p("{{ f.title }}", style="Caption").alignment = WD_ALIGN_PARAGRAPH.CENTER
        self.p("{%p endfor %}")
        self.p("{%p for table in report.indicator_tables %}")
        self.doc.add_heading("{{ table.title }}", 2)
        self.columns("table.headers", "h", "{{ h }}", "row in table.rows", "row", "{{ v }}", "v")
        self.p("{%p endfor %}")
        self.p("{{ report.indicator_note }}", style="Note")

    def columns(
        self,
        heads: str,
        head: str,
        head_text: str,
        rows: str,
        row: str,
        text: str,
        value: str,
        fill: str | None = None,
        first: str = "",
    ) -> None:
        """A table whose columns, like its rows, come from the data (`{%tc %}`)."""
        table = self.doc.add_table(rows=2, cols=3 + (1 if first else 0))
        table.style = self.doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        offset = 1 if first else 0
        top = table.rows[0].cells
        if first:
            _shade(top[0], HEADER_FILL)
        top[offset].paragraphs[0].add_run(f"{{%tc for {head} in {heads} %}}")
        run = top[offset + 1].paragraphs[0].add_run(head_text)
        run.bold = True
        top[offset + 1].paragraphs[0].style = self.doc.styles[TABLE_TEXT]
        _shade(top[offset + 1], HEADER_FILL)
        top[offset + 2].paragraphs[0].add_run("{%tc endfor %}")
        header = table.rows[0]._tr.get_or_add_trPr()
        repeat = OxmlElement("w:tblHeader")
        repeat.set(qn("w:val"), "true")
        header.append(repeat)
        loop = table.rows[1].cells
        loop[0].paragraphs[0].add_run(f"{{%tr for {rows} %}}")
        cells = table.add_row().cells
        if first:
            cells[0].paragraphs[0].add_run(first).bold = True
            cells[0].paragraphs[0].style = self.doc.styles[TABLE_TEXT]
            _shade(cells[0], HEADER_FILL)
        cells[offset].paragraphs[0].add_run(f"{{%tc for {value} in {row} %}}")
        prefix = f"{{% cellbg {fill} %}}" if fill else ""
        cells[offset + 1].paragraphs[0].add_run(prefix + text)
        cells[offset + 1].paragraphs[0].style = self.doc.styles[TABLE_TEXT]
        cells[offset + 2].paragraphs[0].add_run("{%tc endfor %}")
        table.add_row().cells[0].paragraphs[0].add_run("{%tr endfor %}")
        self.p()

    def trust(self) -> None:
        self.chapter(7, landscape=True)
        self.p("{{ report.trust_intro }} {{ report.trust_changes }}")
        self.p("{%p for matrix in report.trust %}")
        self.doc.add_heading("{{ matrix.title }}", 2)
        self.columns("matrix.codes", "c", "{{ c }}", "code, cells in matrix.rows", "cells",
                     "{{ c.value }}", "c", fill="c.fill", first="{{ code }}")  # fmt: skip
        self.p("{%p endfor %}")

    def effectiveness(self) -> None:
        self.chapter(8, landscape=True)
        h = "report.effectiveness.headings"
        self.p("{{ report.effectiveness.intro }}")
        self.doc.add_heading(f"{{{{ {h}.trust }}}}", 2)
        self.p("{{ report.effectiveness.trust_summary }}")
        self.p("{%p if report.effectiveness.trust_shifts %}")
        self.table(
            [f"{{{{ {h}.{key} }}}}" for key in ("pair", "start", "end", "change", "causes")],
            ["{{ t.pair }}", "{{ t.start }}", "{{ t.end }}", "{{ t.change }}",
             "{{ t.causes|join('; ') }}"],
            "t in report.effectiveness.trust_shifts",
            [4, 1.4, 1.4, 1.4, 12],
        )  # fmt: skip
        self.p("{%p endif %}")
        self.doc.add_heading(f"{{{{ {h}.disputes }}}}", 2)
        self.p("{{ report.effectiveness.disputes_intro }}")
        self.p("{%p if report.effectiveness.disputes %}")
        self.table(
            [f"{{{{ {h}.{key} }}}}" for key in ("pair", "trust_range", "why", "negotiated",
                                                "verdict")],
            ["{{ d.pair }}", "{{ d.trust }}", "{{ d.why }}", "{{ d.negotiated }}",
             "{{ d.verdict }}"],
            "d in report.effectiveness.disputes",
            [4, 1.6, 6, 4.4, 3],
        )  # fmt: skip
        self.p("{%p endif %}")
        self.doc.add_heading(f"{{{{ {h}.threats }}}}", 2)
        self.p("{{ report.effectiveness.threats_intro }}")
        self.table(
            [f"{{{{ {h}.{key} }}}}" for key in ("kind", "delivered", "responded", "resolved",
                                                "turns", "nations")],
            ["{{ t.kind }}", "{{ t.delivered }}", "{{ t.responded }}", "{{ t.resolved }}",
             "{{ t.turns }}", "{{ t.nations }}"],
            "t in report.effectiveness.threats",
            [3.4, 2, 2, 2, 2, 8],
        )  # fmt: skip

    def plan(self) -> None:
        self.chapter(9, landscape=True)
        self.p("{{ report.plan_intro }}")
        self.p("{%p if report.plan_note %}")
        self.p("{{ report.plan_note }}", style="Note")
        self.p("{%p endif %}")
        self.table(
            [f"{{{{ report.plan_headers[{index}] }}}}" for index in range(8)],
            [f"{{{{ row.cells[{index}] }}}}" for index in range(8)],
            "row in report.plan",
            [3.2, 5, 5, 2.2, 3, 2.6, 2, 2],
            fill="'FFF1DC' if row.empty else 'FFFFFF'",
        )

    def participants(self) -> None:
        self.chapter(10)
        self.table(
            ["{{ labels.name }}", "{{ labels.role }}", "{{ labels.team }}"],
            ["{{ p.name }}", "{{ p.role }}", "{{ p.team }}"],
            "p in report.participants",
            [5, 3, 5],
        )

    def feedback(self) -> None:
        self.chapter(11)
        self.p("{{ report.feedback_intro }}")
        self.p("{%p if report.feedback %}")
        self.table(
            ["{{ labels.question }}", "{{ labels.answers }}", "{{ labels.mean }}",
             "1", "2", "3", "4", "5"],
            ["{{ q.prompt }}", "{{ q.count }}", "{{ q.mean }}"]
            + [f"{{{{ q.distribution[{index}] }}}}" for index in range(5)],
            "q in report.feedback if q.scale",
            [8, 1.6, 1.4, 0.8, 0.8, 0.8, 0.8, 0.8],
        )  # fmt: skip
        self.p("{%p for q in report.feedback if not q.scale %}")
        self.doc.add_heading("{{ q.prompt }}", 2)
        self.bullets(
            "answer in q.answers",
            "“{{ answer.text }}”{% if answer.by %} — {{ answer.by }}{% endif %}",
            "{{ labels.no_answer }}",
        )
        self.p("{%p endfor %}")
        self.p("{%p endif %}")

    def build(self) -> Document:
        self.setup()
        self.cover()
        self.overview()
        self.summary()
        self.analysis()
        self.timeline()
        self.moves()
        self.new_section(landscape=False)
        self.agreements()
        self.indicators()
        self.trust()
        self.effectiveness()
        self.plan()
        self.new_section(landscape=False)
        self.participants()
        self.feedback()
        return self.doc


def main() -> None:
    target = HERE / "report.docx"
    Builder().build().save(target)
    print(target)


if __name__ == "__main__":
    main()
