"""A synthetic graph shaped like kgraph's, of about N triples: ``python bench/generate.py --triples 100000 OUT.trig``.

Seeded, so the same arguments give the same bytes. The graph uses the real ontology (``kg:`` classes and
properties) and looks like the bundled data scaled up:

- companies, services, chips, AI models, features, each with one English and one Chinese label, an English
  description, ``prov:wasDerivedFrom`` its section;
- ``kg:developedBy`` (product -> company), ``kg:uses`` (company -> product, so the customer-of rule fires),
  ``kg:succeeds`` (product generations of the same class), ``kg:integrates`` (product -> product), ``kg:trainedOn``
  (model -> chip);
- figures: ``kg:figureOf``, ``kg:value`` (a decimal), ``kg:unit``, ``kg:metric`` in both languages;
- one named graph per source section (``src:section-NNNN``), and about one fact in twenty stated again in a second
  section, as the bundled data does when two sections say the same thing;
- the sections described as the bundled data describes them, in a graph ``src:document`` with the source document:
  English and Chinese labels, ``dcterms:title``, ``kg:order``, ``kg:startTime``, ``kg:endTime`` and
  ``kg:timeRange`` (3 to 12 minutes each, one after the other), ``dcterms:isPartOf src:document``. They draw
  from a random stream of their own, so the entities, links and figures are those of the same seed without them.

The file is TriG, written line by line, so that the generator itself needs little memory.
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

KG = "https://w3id.org/kgraph/ontology#"
KGR = "https://w3id.org/kgraph/resource/"
KGF = "https://w3id.org/kgraph/figure/"
SRC = "https://w3id.org/kgraph/source/reinvent-2025-keynote/"

PREFIXES = f"""\
@prefix kg: <{KG}> .
@prefix kgr: <{KGR}> .
@prefix kgf: <{KGF}> .
@prefix src: <{SRC}> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix schema: <https://schema.org/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""

#: Product classes and how the generated entities are split between them (companies come separately).
PRODUCT_CLASSES = ("Service", "Chip", "AIModel", "Feature", "ServerSystem")
UNITS = ("Times", "Percent", "USD", "Count", "Terabyte")
METRICS = (("compute", "算力"), ("cost", "成本"), ("throughput", "吞吐量"), ("latency", "延迟"), ("users", "用户数"))
ZH_WORDS = ("云", "芯片", "模型", "服务", "平台", "代理", "数据", "智能", "安全", "存储")
#: Entities per section graph.
SECTION_SIZE = 2000
#: About how many triples one entity brings (its own triples, its links, its share of figures); used to size N.
TRIPLES_PER_ENTITY = 10.4


@dataclass(frozen=True)
class Entity:
    """One generated entity: its index, local name and class."""

    index: int
    name: str
    cls: str

    @property
    def section(self) -> int:
        return self.index // SECTION_SIZE


def entities(count: int, rng: random.Random) -> list[Entity]:
    """``count`` entities: one in ten a company, the rest products of the classes above."""
    made = []
    for i in range(count):
        cls = "Company" if i % 10 == 0 else rng.choice(PRODUCT_CLASSES)
        made.append(Entity(i, f"{cls.lower()}-{i}", cls))
    return made


def statements(everything: list[Entity], rng: random.Random) -> Iterator[tuple[int, str]]:
    """(section, Turtle statement) pairs: every entity, its links and its figures."""
    companies = [e for e in everything if e.cls == "Company"]
    by_class: dict[str, list[Entity]] = {}
    for e in everything:
        by_class.setdefault(e.cls, []).append(e)
    for e in everything:
        yield e.section, _entity(e, rng)
        for link in _links(e, companies, by_class, rng):
            yield e.section, link
            if rng.random() < 0.05:  # the same fact stated by a second section
                yield (e.section + 1) % _sections(everything), link
        if e.index % 3 == 0:
            yield e.section, _figure(e, rng)


def _sections(everything: list[Entity]) -> int:
    return everything[-1].section + 1 if everything else 1


def _entity(e: Entity, rng: random.Random) -> str:
    zh = "".join(rng.choice(ZH_WORDS) for _ in range(2))
    return (
        f"kgr:{e.name} a kg:{e.cls} ;\n"
        f'    rdfs:label "{e.cls} {e.index}"@en , "{zh}{e.index}"@zh ;\n'
        f'    schema:description "Synthetic {e.cls.lower()} number {e.index}."@en ;\n'
        f"    prov:wasDerivedFrom src:section-{e.section:04d} ."
    )


def _links(e: Entity, companies: list[Entity], by_class: dict[str, list[Entity]], rng: random.Random) -> list[str]:
    links = []
    if e.cls == "Company":
        for _ in range(2):
            product = rng.choice(by_class[rng.choice(PRODUCT_CLASSES)])
            links.append(f"kgr:{e.name} kg:uses kgr:{product.name} .")
        return links
    links.append(f"kgr:{e.name} kg:developedBy kgr:{rng.choice(companies).name} .")
    same = by_class[e.cls]
    position = _position(same, e)
    if position > 0 and rng.random() < 0.5:
        links.append(f"kgr:{e.name} kg:succeeds kgr:{same[position - 1].name} .")
    if rng.random() < 0.6:
        links.append(f"kgr:{e.name} kg:integrates kgr:{rng.choice(same).name} .")
    if e.cls == "AIModel" and "Chip" in by_class:
        links.append(f"kgr:{e.name} kg:trainedOn kgr:{rng.choice(by_class['Chip']).name} .")
    return links


def _position(same: list[Entity], e: Entity) -> int:
    """Where ``e`` sits in ``same`` (sorted by index), by bisection."""
    low, high = 0, len(same)
    while low < high:
        middle = (low + high) // 2
        if same[middle].index < e.index:
            low = middle + 1
        else:
            high = middle
    return low


def _figure(e: Entity, rng: random.Random) -> str:
    en, zh = rng.choice(METRICS)
    value = f"{rng.randint(1, 999)}.{rng.randint(1, 9)}"
    return (
        f"kgf:figure-{e.index} a kg:Figure ;\n"
        f'    rdfs:label "Figure {e.index}"@en , "数字{e.index}"@zh ;\n'
        f"    kg:figureOf kgr:{e.name} ;\n"
        f'    kg:metric "{en}"@en , "{zh}"@zh ;\n'
        f"    kg:value {value} ;\n"
        f"    kg:unit kg:{rng.choice(UNITS)} ;\n"
        f"    prov:wasDerivedFrom src:section-{e.section:04d} ."
    )


def _document(sections: int, seed: int) -> str:
    """The graph ``src:document``: the source document and its ``sections``, each with the statements the bundled
    data gives one (data/00-source.trig), its times from a random stream of its own (the other statements draw as
    they did before the sections were described)."""
    rng = random.Random(f"sections-{seed}")  # noqa: S311 - seeded test data, not security
    lines = [
        "src:document {",
        "src:document a kg:SourceDocument ;",
        '    rdfs:label "Synthetic keynote summary"@en , "合成主题演讲总结"@zh ;',
        '    dcterms:title "合成主题演讲总结"@zh .',
    ]
    start = 0
    for section in range(sections):
        end = start + rng.randrange(6, 25) * 30  # 3 to 12 minutes, in half minutes
        lines.append(
            f"src:section-{section:04d} a kg:SourceSection ;\n"
            f'    rdfs:label "Section {section}"@en , "第{section}节"@zh ;\n'
            f'    dcterms:title "第{section}节"@zh ;\n'
            f"    kg:order {section + 1} ;\n"
            f'    kg:startTime "{_duration(start)}"^^xsd:duration ; kg:endTime "{_duration(end)}"^^xsd:duration ;\n'
            f'    kg:timeRange "{_clock(start)} - {_clock(end)}" ;\n'
            "    dcterms:isPartOf src:document ."
        )
        start = end
    return "\n".join(lines) + "\n}\n"


def _duration(seconds: int) -> str:
    """``seconds`` as an xsd:duration, as the bundled data writes one: ``PT0S``, ``PT5M30S``, ``PT1H10M``."""
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    parts = [f"{hours}H" if hours else "", f"{minutes}M" if minutes else "", f"{seconds}S" if seconds else ""]
    return "PT" + ("".join(parts) or "0S")


def _clock(seconds: int) -> str:
    """``seconds`` as the bundled data's time ranges write it (and the rule rules/time-range.rq): ``05:30``,
    hours from the first on, ``1:10:00``."""
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes:02d}:{seconds:02d}"


def write(path: Path, triples: int, seed: int = 1) -> int:
    """Write a graph of about ``triples`` triples to ``path`` (TriG); return the number of entities."""
    rng = random.Random(seed)  # noqa: S311 - seeded test data, not security
    everything = entities(max(10, round(triples / TRIPLES_PER_ENTITY)), rng)
    by_section: dict[int, list[str]] = {}
    for section, statement in statements(everything, rng):
        by_section.setdefault(section, []).append(statement)
    with path.open("w", encoding="utf-8", newline="\n") as out:
        out.write(PREFIXES)
        out.write("\n" + _document(_sections(everything), seed))
        for section in sorted(by_section):
            out.write(f"\nsrc:section-{section:04d} {{\n")
            out.write("\n".join(by_section[section]))
            out.write("\n}\n")
    return len(everything)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=100_000, help="about how many triples (default 100000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("out", type=Path, help="the TriG file to write")
    args = parser.parse_args()
    args.out.parent.mkdir(parents=True, exist_ok=True)  # bench/scale.py's folders, or one of one's own
    count = write(args.out, args.triples, args.seed)
    print(f"wrote {args.out}: {count} entities")  # noqa: T201


if __name__ == "__main__":
    main()
