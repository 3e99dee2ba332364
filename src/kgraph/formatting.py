"""Text the CLI prints: pure functions from the core's dataclasses to strings."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from kgraph.explore import Description, EntityRow, FigureFacts, Link, SectionRef, Stats, with_period
from kgraph.text import Layout, counted, display_width, pad, printable, shell_words, table
from kgraph.words import word, words

if TYPE_CHECKING:  # only `validate` and `build` format a report, and they load kgraph.validation themselves
    from kgraph.validation import ValidationReport, ValidationResult


def validation_report(report: ValidationReport) -> str:
    """The readable report of ``kgraph validate``: one block per result, then a verdict line."""
    blocks = [_result_block(result) for result in report.results]
    return "".join(blocks) + validation_verdict(report) + "\n"


def validation_verdict(report: ValidationReport) -> str:
    """One line: conforms or not, and how many results of each severity."""
    counts = ", ".join(
        counted(report.count(severity), severity.lower()) for severity in ("Violation", "Warning", "Info")
    )
    note = "" if report.shapes_file else "; no shapes.ttl: only the domain and range shapes were checked"
    return f"Conforms: {'yes' if report.conforms else 'no'} ({counts}{note})"


def _result_block(result: ValidationResult) -> str:
    entity = f"{result.focus_label} ({result.focus})" if result.focus_label else result.focus
    rule = " ".join(part for part in (result.path, result.constraint) if part)
    shape = f"  [shape {result.shape}]" if result.shape else ""
    lines = [f"{result.severity}: {entity}", f"  rule:    {rule}{shape}"]
    if result.message:
        lines.append(f"  message: {result.message}")
    if result.value:
        lines.append(f"  value:   {result.value}")
    if result.where:
        lines.append(f"  where:   {result.where}")
    lines.append(f"  fix:     {result.fix}")
    return "\n".join(lines) + "\n\n"


def description(d: Description, lang: str = "en") -> str:
    """What ``kgraph show`` prints; ``lang`` is the language ``d`` was described in, and that of kgraph's own words
    (``class``, ``Relations``: ``类``, ``关系`` in Chinese)."""
    fields = [(word("IRI", lang), d.iri), (word("class", lang), ", ".join(d.types) or word("(none)", lang))]
    if d.inferred_types:
        fields.append((word("class, inferred", lang), ", ".join(d.inferred_types)))
    fields.extend(_tagged(word("label", lang), d.labels))
    fields.extend(_tagged(word("alt label", lang), d.alt_labels))
    fields.extend(_tagged(word("description", lang), d.descriptions))
    fields.extend(d.attributes)
    # the values in one column: 18 wide, or wider for a longer name (value before, upper end:), up to 32
    width = max(18, min(32, max(display_width(printable(name)) + 1 for name, _ in fields)))
    lines = [f"{printable(d.label)}  ({d.qname})"]
    lines.extend(f"  {pad(printable(name) + ':', width)} {printable(value)}" for name, value in fields)
    lines.extend(_links(word("Relations", lang), d.links_out, "->", lang))
    lines.extend(_links(word("Relations in", lang), d.links_in, "<-", lang))
    if d.figures or d.made_figures:
        lines.append("")
        lines.append(word("Figure" if [f.qname for f in d.figures] == [d.qname] else "Figures", lang))  # its own
        for figure in d.figures:
            lines.extend(_figure(figure, lang))
    if d.made_figures:
        lines.append(f"  {_made_figures(d, lang)}")
    lines.append("")
    lines.append(word("Sources", lang))
    for section in d.sections or ():
        when = f"  {time_range(section.time_range, lang)}" if section.time_range else ""
        lines.append(f"  {section.order:>2}. {printable(_section_name(section))}  ({section.qname}){when}")
    if not d.sections:
        lines.append("  " + word("(no source section names it)", lang))
    return "\n".join(lines) + "\n"


def _made_figures(d: Description, lang: str = "en") -> str:
    """The line that says how many figures are about what ``d`` develops, and the saved query that lists them
    (``3 figures about what it develops: kgraph queries run figures-by-maker --param maker=Adobe``)."""
    command = ["kgraph", "queries", "run", "figures-by-maker", "--param", f"maker={d.handle or d.label}"]
    if lang == "zh":
        said = word("{n} figures about what it develops", lang).format(n=d.made_figures)
        return f"{said}: {shell_words([*command, '--lang', 'zh'])}"
    return f"{counted(d.made_figures, 'figure')} about what it develops: {shell_words(command)}"


def _sources(s: Stats, lang: str = "en", layout: Layout | None = None) -> str:
    """The table of sections; with sections of several documents, the document of each first (the sections come
    grouped by it)."""
    rows = [
        [
            str(c.section.order),
            c.section.qname,
            _section_name(c.section),
            time_range(c.section.time_range, lang),
            str(c.triples),
        ]
        for c in s.sections
    ]
    headers = ["#", "section", "title", "time range", "triples"]
    if len({c.section.document for c in s.sections}) < 2:
        return table(words(headers, lang), rows, layout)
    documents = [_document_name(c.section, lang) for c in s.sections]
    return table(
        words(["document", *headers], lang),
        [[document, *row] for document, row in zip(documents, rows, strict=True)],
        layout,
    )


#: How a time range ends that runs to the end of its source (``1:35:00 - end``), as the data and the rule that makes
#: ranges from times (``ontology/rules/time-range.rq``) write it.
OPEN_END = " - end"


def time_range(text: str, lang: str = "en") -> str:
    """A section's ``kg:timeRange`` as ``lang`` says it: as written, but an open end (``1:35:00 - end``) in Chinese
    for ``zh`` (``1:35:00 - 结束``). The data keeps its ``end``."""
    if not text.endswith(OPEN_END):
        return text
    return f"{text.removesuffix(OPEN_END)} - {word('end', lang)}"


def _document_name(section: SectionRef, lang: str = "en") -> str:
    """The document a section is part of, by its label and prefixed name; ``(none)`` when it says none."""
    if not section.document:
        return word("(none)", lang)
    if section.document_label and section.document_label != section.document:
        return f"{section.document_label} ({section.document})"
    return section.document


def _section_name(section: SectionRef) -> str:
    """A section's label and, after it, its title as the source writes it (Chinese): in Chinese the label is the
    title, the source's own heading, so once is enough."""
    return section.label if section.label == section.title else f"{section.label} / {section.title}"


def _tagged(name: str, values: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(f"{name} ({lang or '-'})", text) for lang, text in values]


def _links(title: str, links: list[Link], arrow: str, lang: str = "en") -> list[str]:
    if not links:
        return []
    lines = ["", title]
    previous: tuple[bool, str] | None = None
    for link in links:
        group = (link.inferred, link.relation)
        if group != previous:
            marker = "  " + word("(inferred)", lang) if link.inferred else ""
            lines.append(f"  {link.relation} [{link.relation_qname}]{marker}")
            previous = group
        lines.append(f"    {arrow} {printable(link.other)}  ({link.other_qname})")
    return lines


def _figure(f: FigureFacts, lang: str) -> Iterable[str]:
    value = with_period(f"{f.bound} {f.value}".strip(), f.per_period, lang)
    yield f"  {printable(f.label)}  ({f.qname})"
    fields = [
        ("value", value),
        ("metric", f.metric),
        ("compared with", f.compared_with),
        ("comparison basis", f.basis),
        ("value before", f.from_value),
        ("timeframe", f.timeframe),
        ("figure kind", f.kind),
    ]
    # pad, not a format width: a Chinese field name takes two columns a character
    yield from (f"    {pad(word(name, lang) + ':', 17)} {printable(text)}" for name, text in fields if text)


def entity_table(rows: list[EntityRow], lang: str | None, layout: Layout | None = None) -> str:
    """The table of ``kgraph entities``; ``lang`` keeps only that language's label column, and ``zh`` heads the
    columns in Chinese; too wide for ``layout``, a record an entity (:func:`kgraph.text.table`)."""
    columns = {"en": ["English label"], "zh": ["Chinese label"], None: ["English label", "Chinese label"]}[lang]
    headers = words(["name", "class", *columns], lang)
    body = []
    for row in rows:
        cells = [row.name, row.classes]
        if lang in (None, "en"):
            cells.append(row.label_en)
        if lang in (None, "zh"):
            cells.append(row.label_zh)
        body.append(cells)
    return table(headers, body, layout)


def stats(s: Stats, lang: str = "en", layout: Layout | None = None) -> str:
    """The tables of ``kgraph stats``; ``lang`` is the language of kgraph's own words, headings and headers; a
    table too wide for ``layout``, a record a row (:func:`kgraph.text.table`)."""

    def titled(title: str, headers: list[str], rows: list[list[str]]) -> str:
        return f"{title}\n" + table(words(headers, lang), rows, layout)

    counts = [
        ("files read", s.files),
        ("triples (ontology + data + inferred)", s.triples),
        ("ontology triples", s.ontology_triples),
        ("data triples (asserted)", s.data_triples),
        ("inferred triples", s.inferred_triples),
    ]
    parts = [
        titled(word("Graph", lang), ["what", "count"], [[word(what, lang), str(n)] for what, n in counts]),
        titled(
            word("Classes", lang),
            ["class", "label", "direct", "with sub-classes"],
            [[c.name, c.label, str(c.direct), str(c.total)] for c in s.classes],
        ),
        titled(
            word("Relations", lang),
            ["relation", "label", "asserted", "inferred"],
            [[r.name, r.label, str(r.asserted), str(r.inferred)] for r in s.relations],
        ),
        titled(
            f"{word('Figures', lang)}: {s.figures}", ["kind", "figures"], [[k, str(n)] for k, n in s.figures_by_kind]
        ),
        f"{word('Sources', lang)}\n" + _sources(s, lang, layout),
    ]
    return "\n".join(parts)
