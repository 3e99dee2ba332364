"""Text the CLI prints: pure functions from the core's dataclasses to strings."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from kgraph.explore import Description, EntityRow, FigureFacts, Link, SectionRef, Stats, with_period
from kgraph.text import counted, display_width, pad, printable, table

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
    lines.append(f"  fix:     {result.fix}")
    return "\n".join(lines) + "\n\n"


def description(d: Description, lang: str = "en") -> str:
    """What ``kgraph show`` prints; ``lang`` is the language ``d`` was described in."""
    fields = [("IRI", d.iri), ("class", ", ".join(d.types) or "(none)")]
    if d.inferred_types:
        fields.append(("class, inferred", ", ".join(d.inferred_types)))
    fields.extend(_tagged("label", d.labels))
    fields.extend(_tagged("alt label", d.alt_labels))
    fields.extend(_tagged("description", d.descriptions))
    fields.extend(d.attributes)
    # the values in one column: 18 wide, or wider for a longer name (value before, upper end:), up to 32
    width = max(18, min(32, max(display_width(printable(name)) + 1 for name, _ in fields)))
    lines = [f"{printable(d.label)}  ({d.qname})"]
    lines.extend(f"  {pad(printable(name) + ':', width)} {printable(value)}" for name, value in fields)
    lines.extend(_links("Relations", d.links_out, "->"))
    lines.extend(_links("Relations in", d.links_in, "<-"))
    if d.figures:
        lines.append("")
        lines.append("Figure" if [f.qname for f in d.figures] == [d.qname] else "Figures")  # a figure's own
        for figure in d.figures:
            lines.extend(_figure(figure, lang))
    lines.append("")
    lines.append("Sources")
    for section in d.sections or ():
        when = f"  {section.time_range}" if section.time_range else ""
        lines.append(f"  {section.order:>2}. {printable(_section_name(section))}  ({section.qname}){when}")
    if not d.sections:
        lines.append("  (no source section names it)")
    return "\n".join(lines) + "\n"


def _sources(s: Stats) -> str:
    """The table of sections; with sections of several documents, the document of each first (the sections come
    grouped by it)."""
    rows = [
        [str(c.section.order), c.section.qname, _section_name(c.section), c.section.time_range, str(c.triples)]
        for c in s.sections
    ]
    if len({c.section.document for c in s.sections}) < 2:
        return table(["#", "section", "title", "time range", "triples"], rows)
    documents = [_document_name(c.section) for c in s.sections]
    return table(
        ["document", "#", "section", "title", "time range", "triples"],
        [[document, *row] for document, row in zip(documents, rows, strict=True)],
    )


def _document_name(section: SectionRef) -> str:
    """The document a section is part of, by its label and prefixed name; ``(none)`` when it says none."""
    if not section.document:
        return "(none)"
    if section.document_label and section.document_label != section.document:
        return f"{section.document_label} ({section.document})"
    return section.document


def _section_name(section: SectionRef) -> str:
    """A section's label and, after it, its title as the source writes it (Chinese): in Chinese the label is the
    title, the source's own heading, so once is enough."""
    return section.label if section.label == section.title else f"{section.label} / {section.title}"


def _tagged(name: str, values: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(f"{name} ({lang or '-'})", text) for lang, text in values]


def _links(title: str, links: list[Link], arrow: str) -> list[str]:
    if not links:
        return []
    lines = ["", title]
    previous: tuple[bool, str] | None = None
    for link in links:
        group = (link.inferred, link.relation)
        if group != previous:
            marker = "  (inferred)" if link.inferred else ""
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
        ("basis", f.basis),
        ("from", f.from_value),
        ("timeframe", f.timeframe),
        ("kind", f.kind),
    ]
    yield from (f"    {name + ':':<14} {printable(text)}" for name, text in fields if text)


def entity_table(rows: list[EntityRow], lang: str | None) -> str:
    """The table of ``kgraph entities``; ``lang`` keeps only that language's label column."""
    headers = ["name", "class"]
    columns = {"en": ["English label"], "zh": ["Chinese label"], None: ["English label", "Chinese label"]}[lang]
    headers += columns
    body = []
    for row in rows:
        cells = [row.name, row.classes]
        if lang in (None, "en"):
            cells.append(row.label_en)
        if lang in (None, "zh"):
            cells.append(row.label_zh)
        body.append(cells)
    return table(headers, body)


def stats(s: Stats) -> str:
    """The tables of ``kgraph stats``."""
    parts = [
        "Graph\n"
        + table(
            ["what", "count"],
            [
                ["files read", str(s.files)],
                ["triples (ontology + data + inferred)", str(s.triples)],
                ["ontology triples", str(s.ontology_triples)],
                ["data triples (asserted)", str(s.data_triples)],
                ["inferred triples", str(s.inferred_triples)],
            ],
        ),
        "Classes\n"
        + table(
            ["class", "label", "direct", "with sub-classes"],
            [[c.name, c.label, str(c.direct), str(c.total)] for c in s.classes],
        ),
        "Relations\n"
        + table(
            ["relation", "label", "asserted", "inferred"],
            [[r.name, r.label, str(r.asserted), str(r.inferred)] for r in s.relations],
        ),
        f"Figures: {s.figures}\n" + table(["kind", "figures"], [[kind, str(n)] for kind, n in s.figures_by_kind]),
        "Sources\n" + _sources(s),
    ]
    return "\n".join(parts)
