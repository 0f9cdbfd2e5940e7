"""The workbook builders: plain rows in, a real .xlsx out, read back with openpyxl (and, for
what openpyxl does not expose, the file's own XML)."""

import io
import itertools
import re
import zipfile
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assembly.registration.imports.parse import read_table
from assembly.reports import domain, workbooks


def written(build):
    """Build a workbook into memory with ``build(book)``; returns the file's bytes."""
    buffer = io.BytesIO()
    book = workbooks.Book(buffer)
    build(book)
    book.close()
    return buffer.getvalue()


def reopen(data: bytes, **options):
    return openpyxl.load_workbook(io.BytesIO(data), **options)


def chart_anchors(data: bytes) -> list[tuple[int, int, int]]:
    """(first column, first row, last row), 0-based, of every chart in the first drawing."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read("xl/drawings/drawing1.xml").decode()
    anchors = re.findall(
        r"<xdr:from><xdr:col>(\d+)</xdr:col>.*?<xdr:row>(\d+)</xdr:row>.*?"
        r"<xdr:to>.*?<xdr:row>(\d+)</xdr:row>",
        xml,
    )
    return [(int(c), int(a), int(b)) for c, a, b in anchors]


def chart_count(data: bytes) -> int:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return sum(1 for name in archive.namelist() if re.match(r"xl/charts/chart\d+\.xml", name))


COLUMNS = [
    domain.Column("Nombre", "long"),
    domain.Column("Cantidad", "int"),
    domain.Column("Fecha", "date"),
    domain.Column("Llegada", "datetime"),
    domain.Column("Estado"),
]


def test_write_table_has_header_block_styled_frozen_filtered_and_sized():
    rows = (
        [f"Persona {n}", n, date(2026, 3, n + 1), datetime(2026, 3, 14, 8, n), "Pendiente"]
        for n in range(5)
    )
    counts = []
    data = written(
        lambda book: counts.append(
            workbooks.write_table(
                book,
                "Hoja",
                ["Convenio No. 02", "Asamblea X"],
                COLUMNS,
                rows,
                choices={4: ("Pendiente", "Cumplido")},
            )
        )
    )
    assert counts == [5]
    sheet = reopen(data)["Hoja"]
    assert sheet["A1"].value == "Convenio No. 02\nAsamblea X"
    assert "A1:F1" in {str(r) for r in sheet.merged_cells.ranges}
    assert [c.value for c in sheet[3]][: len(COLUMNS)] == [c.header for c in COLUMNS]
    assert sheet["A3"].font.b and sheet["A3"].font.color.rgb.endswith("FFFFFF")
    assert sheet.freeze_panes == "A4"
    assert sheet.row_dimensions[1].height >= 37 and sheet.row_dimensions[3].height >= 47
    assert sheet.auto_filter.ref == "A3:E8"
    assert 30 <= sheet.column_dimensions["A"].width < 31
    assert sheet.max_row == 8
    assert (
        sheet["B5"].value == 1 and sheet["C5"].is_date and sheet["C5"].number_format == "DD/MM/YYYY"
    )
    assert sheet["D5"].value == datetime(2026, 3, 14, 8, 1)
    assert sheet["D5"].number_format == "DD/MM/YYYY HH:MM"
    validation = sheet.data_validations.dataValidation[0]
    assert validation.formula1 == '"Pendiente,Cumplido"'
    assert str(validation.sqref).startswith("E4:")


def test_text_is_written_as_text_and_only_formulas_as_formulas():
    def build(book):
        sheet = book.sheet("Datos")
        sheet.append(["HYPERLINK(x)", "a & b <c>", " espacio ", "tab\x01", True, 2.5, None, ""])
        sheet.append([workbooks.Formula("=SUM(F1:F1)", 2.5), 7, float("nan")])

    data = written(build)
    read = reopen(data)["Datos"]
    assert read["A1"].value == "HYPERLINK(x)" and read["A1"].data_type == "s"
    assert read["B1"].value == "a & b <c>"
    assert read["C1"].value == " espacio "
    assert read["D1"].value == "tab"
    assert read["E1"].value is True and read["F1"].value == 2.5
    assert read["G1"].value is None and read["H1"].value is None
    assert read["A2"].value == "=SUM(F1:F1)" and read["A2"].data_type == "f"
    assert read["B2"].value == 7 and read["C2"].value is None
    assert reopen(data, data_only=True)["Datos"]["A2"].value == 2.5  # the value is saved too


def _tally(n=10):
    tally = domain.Tally()
    base = {
        "sex": "mujer", "age_range": "18-28", "ethnicity": "ninguno", "department_code": "81",
        "municipality_code": "81001", "checked_in_at": None,
    }  # fmt: skip
    for i in range(n):
        tally.add({**base, "sex": "hombre" if i % 3 == 0 else "mujer",
                   "checked_in_at": datetime(2026, 3, 14) if i % 2 else None})  # fmt: skip
    return tally


def test_participation_sheet_has_formulas_percentages_and_one_chart_per_table():
    tally = _tally()
    data = written(
        lambda book: workbooks.write_participation(
            book,
            "Participación",
            ["Convenio", "Participación — Asamblea"],
            tally,
            per_assembly=[("Asamblea A", date(2026, 3, 14), tally)],
        )
    )
    sheet = reopen(data)["Participación"]
    values = {(c.row, c.column): c.value for row in sheet.iter_rows() for c in row}
    start = next(
        r for (r, c), v in values.items() if v == "Sexo" and values.get((r + 1, 1)) == "Categoría"
    )
    assert [values[(start + 1, c)] for c in range(1, 6)] == list(workbooks.PARTICIPATION_HEADERS)
    rows = {values[(r, 1)]: r for r in range(start + 2, start + 8) if values.get((r, 1))}
    assert values[(rows["Mujer"], 2)] == 6 and values[(rows["Hombre"], 2)] == 4
    total = rows["Total"]
    assert values[(total, 2)] == f"=SUM(B{start + 2}:B{total - 1})"
    assert values[(total, 3)] == f"=SUM(C{start + 2}:C{total - 1})"
    assert values[(rows["Mujer"], 5)] == f"=IF(D${total}=0,0,D{rows['Mujer']}/D${total})"
    assert sheet.cell(rows["Mujer"], 3).number_format == "0.0%"
    assert chart_count(data) == len(domain.DIMENSIONS) + 1
    by_assembly = next(r for (r, c), v in values.items() if v == "Por asamblea (asistentes)")
    assert values[(by_assembly + 2, 1)] == "Asamblea A"
    assert values[(by_assembly + 2, 3)] == 10 and values[(by_assembly + 2, 4)] == 5
    assert values[(by_assembly + 3, 3)] == f"=SUM(C{by_assembly + 2}:C{by_assembly + 2})"

    # the saved values of the formulas are the true figures (for viewers that do not recalculate)
    saved = reopen(data, data_only=True)["Participación"]
    assert saved.cell(total, 2).value == 10 and saved.cell(total, 4).value == 5
    assert saved.cell(rows["Mujer"], 3).value == pytest.approx(0.6)
    assert saved.cell(total, 3).value == pytest.approx(1.0)


def test_charts_are_tall_enough_for_their_table_and_never_overlap():
    tally = domain.Tally()
    tally.add({"sex": "mujer", "ethnicity": "ninguno", "checked_in_at": None})
    data = written(lambda book: workbooks.write_participation(book, "P", ["Convenio"], tally))
    anchors = chart_anchors(data)
    assert len(anchors) == len(domain.DIMENSIONS) + 1
    assert all(column == 7 for column, _, _ in anchors)  # column H, beside the tables
    tops = [top for _, top, _ in anchors]
    assert tops == sorted(tops)
    for (_, _, bottom), (_, following, _) in itertools.pairwise(anchors):
        assert bottom <= following
    spans = [bottom - top for _, top, bottom in anchors]
    assert max(spans) > min(spans)  # the 20-category chart is taller than the 2-category one


def test_a_discarded_workbook_leaves_no_files(tmp_path):
    target = tmp_path / "informe.xlsx"
    book = workbooks.Book(workbooks.partial_path(target))
    book.sheet("A").append(["x"])
    workbooks.discard(book)
    assert list(tmp_path.iterdir()) == []


def test_a_saved_workbook_appears_under_its_name_only_when_complete(tmp_path):
    target = tmp_path / "informe.xlsx"
    book = workbooks.Book(workbooks.partial_path(target))
    book.sheet("A").append(["x"])
    assert not target.exists()
    workbooks.save(book, target)
    assert [p.name for p in tmp_path.iterdir()] == ["informe.xlsx"]
    assert reopen(Path(target).read_bytes())["A"]["A1"].value == "x"


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@pytest.mark.parametrize(
    ("text", "stored"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+573001234567", "'+573001234567"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "\n=1"),  # line breaks are LF in a cell: no CR is written at all
        ("a\r\nb", "a\nb"),
        ("'=1", "''=1"),  # a typed apostrophe survives the round trip too
        ("'hola", "'hola"),
        ("Juan = Pedro", "Juan = Pedro"),
        ("", ""),
    ],
)
def test_formula_like_text_gets_one_leading_apostrophe(text, stored):
    assert workbooks.inert(text) == stored


def test_every_text_cell_is_inert_in_the_file():
    hostile = ["=1+2", "+57 300", "-x", "@y", "\tz", "\rw", "normal"]

    def build(book):
        workbooks.write_table(
            book,
            "Hoja",
            ["=convenio", "@asamblea"],
            [domain.Column(f"={n}") for n in range(len(hostile))],
            [hostile],
        )

    sheet = reopen(written(build))["Hoja"]
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value is not None:
                assert cell.data_type == "s"
                assert not str(cell.value).startswith(FORMULA_START), cell.value


@settings(max_examples=80, deadline=None)
@given(
    st.lists(
        st.text(alphabet=st.characters(codec="utf-8"), max_size=12)
        | st.sampled_from(["'=1", "''+2", "'hola", "=A1", "-", "@"]),
        min_size=1,
        max_size=6,
    )
)
def test_the_importer_reads_back_what_was_written(texts):
    """inert() and the importer's cell reader are two halves of one rule: the importer strips
    the apostrophe again, so every text reads back as the importer reads any typed text
    (blanks collapsed; control characters, which XML cannot hold, dropped)."""
    headers = ["Fila", *(f"Columna {n}" for n in range(len(texts)))]

    def build(book):
        sheet = book.sheet("Lista")
        sheet.append(headers)
        sheet.append(["1", *texts])

    assert all(not workbooks.inert(t).startswith(FORMULA_START) for t in texts)
    table = read_table("lista.xlsx", written(build))
    expected = [
        " ".join("".join(ch for ch in t if ch >= " " or ch in "\t\n\r").split()) for t in texts
    ]
    assert table.rows == [["1", *expected]]


# -- printing ------------------------------------------------------------------------------


def test_tables_print_landscape_on_a4_with_titles_header_and_footer():
    marks = workbooks.Marks("Convenio No. 02 & Unidad Solidaria", "Asamblea X · 14/03/2026")
    data = written(
        lambda book: workbooks.write_table(
            book, "Hoja", ["Convenio"], COLUMNS, [["a", 1, None, None, "b"]], marks=marks
        )
    )
    sheet = reopen(data)["Hoja"]
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.paperSize == 9  # A4
    assert (sheet.page_setup.scale or 100) == 100  # five columns fit one page wide
    assert sheet.print_title_rows.replace("$", "") == "3:3"
    assert "Convenio No. 02 && Unidad Solidaria" in sheet.oddHeader.left.text  # & escaped
    assert sheet.oddHeader.right.text == "&A"  # the sheet's name
    assert sheet.oddFooter.left.text == "Asamblea X · 14/03/2026"
    assert "&P" in sheet.oddFooter.right.text


def test_a_wide_table_keeps_every_column_and_repeats_who_the_row_is_about():
    columns = [domain.Column(f"Columna {n}", "wide") for n in range(12)]
    data = written(
        lambda book: workbooks.write_table(
            book, "Ancha", ["x"], columns, [["t"] * 12], identity=(0, 1)
        )
    )
    sheet = reopen(data)["Ancha"]
    assert sheet.page_setup.scale == workbooks.tables.MIN_SCALE
    assert (
        sheet.print_title_rows.replace("$", "") == "3:3"
        and sheet.print_title_cols.replace("$", "") == "A:B"
    )
    assert sheet.page_setup.pageOrder == "overThenDown"
    assert sheet.max_column == 12


def test_the_planilla_fits_one_landscape_page_wide_at_70_percent_or_more():
    page = workbooks.signin.page()
    assert page.landscape and page.scale >= 70
    needed = sum(workbooks.printing.column_cm(w) for w in workbooks.signin.widths())
    assert needed * page.scale / 100 <= workbooks.printing.printable_cm(landscape=True)[0]
    assert page.repeat_rows == (workbooks.HEADER_ROW, workbooks.HEADER_ROW)


def test_a_participation_table_and_its_chart_are_never_split_across_pages():
    tally = _tally(40)
    built = []
    data = written(
        lambda book: built.append(
            workbooks.write_participation(book, "P", ["Convenio"], tally, marks=workbooks.Marks())
        )
    )
    sheet = built[0]
    breaks = sorted(reopen(data)["P"].row_breaks.brk, key=lambda b: b.id)
    starts = [b.id + 1 for b in breaks]  # a break after row id: the next page starts below
    assert starts, "a dozen tables do not fit one page"
    boundaries = [1, *starts, sheet.rows + 1]
    for first, last in sheet.sections:
        page = max(b for b in boundaries if b <= first)
        following = min(b for b in boundaries if b > first)
        assert last < following, (first, last, page, following)
    for column, top, bottom in chart_anchors(data):  # each chart within its own page too
        assert column == 7
        assert not any(top + 1 < start <= bottom + 1 for start in starts), (top, bottom)
