"""Competency questions: what an analyst, solution architect, developer advocate or data engineer would ask the
knowledge graph about the AWS re:Invent 2025 keynote, each with the answer the source document gives.

Each question is one SPARQL file in ``tests/competency/``. Its header says everything about it::

    # Question: What do Trainium3 and Trainium4 directly succeed?
    # Section: ai-infrastructure              <- the source section(s) the answer comes from (comma separated)
    # Source: 相比Trainium2提供4.4倍算力 ...   <- the source line(s) the answer is taken from
    # On: graph                               <- "graph": the flat graph with inferences (loaded.graph);
    #                                            "dataset": the named graphs, one per section (loaded.dataset)
    # Expect:                                 <- one answer row per line, columns joined by " | "
    #   Trainium3 | Trainium2
    #   Trainium4 | Trainium3

An ASK query says ``# Expect: true`` (or ``false``). A question whose right answer is empty says
``# Expect: (none)`` and must give the reason on a ``# Empty-because:`` line.

How a result row becomes a line: each projected variable in order, joined by " | "; a literal becomes its
lexical form (so English labels are compared exactly), a number becomes its plain decimal form (4.4, 5,
132000000000, 0.1), a duration becomes PT…H…M…S (PT0S, PT5M30S, PT1H10M), an unbound variable becomes "-".
IRIs are not allowed in answers: questions answer with labels. Rows are compared as sets, so order does not
matter, but every expected row must be there and no other; an empty result fails unless the question expects
none and says why.

Run: ``pytest tests/test_competency.py`` (one test per question, named after its file), or
``pytest tests/test_competency.py -k trainium`` for some of them.
"""

from __future__ import annotations

import re
import warnings
from datetime import timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pytest
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

COMPETENCY = Path(__file__).parent / "competency"

# The thirteen sections of the source, by the local name of their IRI, with the source's own heading.
SECTIONS = {
    "overview": "会议概述",
    "opening": "开场与业务成果展示",
    "ai-infrastructure": "AI基础设施创新",
    "bedrock-models": "Amazon Bedrock与模型生态",
    "open-training": "开放训练模型服务",
    "sony": "Sony合作案例",
    "agentcore": "Amazon Bedrock AgentCore平台",
    "adobe": "Adobe合作案例",
    "enterprise-ai": "企业级AI解决方案",
    "developer-tools": "开发者工具与现代化",
    "kiro-agents": "Kiro自主代理与安全代理",
    "closing": "结尾",
    "core-themes": "核心主题",
}

MIN_QUESTIONS = 60
SEPARATOR = " | "
UNBOUND = "-"
NUMERIC_DATATYPES = {
    "http://www.w3.org/2001/XMLSchema#" + t
    for t in ("decimal", "integer", "int", "long", "short", "double", "float", "nonNegativeInteger", "positiveInteger")
}


class Question:
    def __init__(self, path: Path):
        self.path = path
        self.name = path.stem
        self.text = path.read_text(encoding="utf-8")
        self.fields: dict[str, str] = {}
        self.expect: list[str] = []
        self.expect_scalar: str | None = None
        in_expect = False
        for line in self.text.splitlines():
            if not line.startswith("#"):
                break  # the header is the leading block of comment lines
            body = line[1:]
            m = re.match(r" ([A-Z][A-Za-z-]*): ?(.*)$", body)
            if m:
                key, value = m.group(1), m.group(2).strip()
                self.fields[key] = value
                in_expect = key == "Expect"
                if in_expect and value:
                    self.expect_scalar = value
                continue
            if in_expect and body.startswith("   ") and body.strip():
                self.expect.append(body.strip())
                continue
            in_expect = False

    @property
    def sections(self) -> list[str]:
        return [s.strip() for s in self.fields.get("Section", "").split(",") if s.strip()]

    @property
    def on(self) -> str:
        return self.fields.get("On", "")

    @property
    def expects_empty(self) -> bool:
        return self.expect_scalar == "(none)"


QUESTIONS = sorted((Question(p) for p in COMPETENCY.glob("*.rq")), key=lambda q: q.name)


def render(term) -> str:
    if term is None:
        return UNBOUND
    if isinstance(term, (URIRef, BNode)):
        raise AssertionError(f"answers must be labels or values, not IRIs or blank nodes: {term!r}")
    assert isinstance(term, Literal), term
    if term.datatype is not None and str(term.datatype) in NUMERIC_DATATYPES:
        return render_number(str(term))
    if term.datatype == XSD.duration:
        return render_duration(term)
    return str(term)


def render_duration(term: Literal) -> str:
    """An xsd:duration of hours, minutes and seconds in one spelling (PT0S, PT5M30S, PT1H10M), whatever the
    data wrote (``PT300S`` reads as ``PT5M``)."""
    value = term.toPython()
    assert isinstance(value, timedelta), f"not a duration of hours, minutes and seconds: {term!r}"
    seconds = int(value.total_seconds())
    assert seconds == value.total_seconds() and seconds >= 0, f"unexpected duration {term!r}"
    h, rest = divmod(seconds, 3600)
    m, sec = divmod(rest, 60)
    parts = (f"{h}H" if h else "") + (f"{m}M" if m else "") + (f"{sec}S" if sec else "")
    return "PT" + (parts or "0S")


def render_number(lexical: str) -> str:
    try:
        d = Decimal(lexical.strip())
    except InvalidOperation as exc:  # pragma: no cover - a malformed number is itself a failure
        raise AssertionError(f"not a number: {lexical!r}") from exc
    if d == d.to_integral_value():
        return str(d.quantize(Decimal(1)))
    return format(d.normalize(), "f")


def answer(question: Question, loaded) -> set[str] | bool:
    target = {"graph": loaded.graph, "dataset": loaded.dataset}[question.on]
    with warnings.catch_warnings():
        # rdflib 7.x evaluates a query on a Dataset through its own deprecated Dataset API (contexts(),
        # default_context); nothing a query can change. Only deprecations raised from rdflib's own modules are
        # silenced, and only while the query runs (results are lazy).
        warnings.filterwarnings("ignore", category=DeprecationWarning, module=r"rdflib(\.|$)")
        result = target.query(question.text)
        if result.type == "ASK":
            return bool(result.askAnswer)
        assert result.type == "SELECT", f"{question.name}: only SELECT and ASK questions are supported"
        variables = list(result.vars or [])
        rows = [tuple(row[v] for v in variables) for row in result]
    return {SEPARATOR.join(render(term) for term in row) for row in rows}


# --------------------------------------------------------------------------- the questions themselves


def test_there_are_enough_questions():
    assert len(QUESTIONS) >= MIN_QUESTIONS, f"only {len(QUESTIONS)} competency questions"


@pytest.mark.parametrize("section", list(SECTIONS))
def test_every_section_has_questions(section):
    names = [q.name for q in QUESTIONS if section in q.sections]
    assert names, f"no competency question comes from section {section} ({SECTIONS[section]})"


@pytest.mark.parametrize("question", QUESTIONS, ids=lambda q: q.name)
def test_question_header_is_complete(question):
    for key in ("Question", "Section", "Source", "On"):
        assert question.fields.get(key), f"{question.name}: header lacks '# {key}:'"
    assert question.on in ("graph", "dataset"), f"{question.name}: '# On:' must be graph or dataset"
    unknown = [s for s in question.sections if s not in SECTIONS]
    assert not unknown, f"{question.name}: unknown section(s) {unknown}"
    assert "Expect" in question.fields, f"{question.name}: header lacks '# Expect:'"
    if question.expect_scalar is not None:
        assert not question.expect, f"{question.name}: give either '# Expect: value' or an answer block"
        assert question.expect_scalar in ("true", "false", "(none)"), question.expect_scalar
        if question.expects_empty:
            assert question.fields.get("Empty-because"), (
                f"{question.name}: an empty expected answer must say why on '# Empty-because:'"
            )
    else:
        assert question.expect, f"{question.name}: the expected answer block is empty"
        assert len(set(question.expect)) == len(question.expect), f"{question.name}: duplicate expected rows"
        widths = {len(e.split(SEPARATOR)) for e in question.expect}
        assert len(widths) == 1, f"{question.name}: expected rows have different numbers of columns"


@pytest.mark.parametrize("question", QUESTIONS, ids=lambda q: q.name)
def test_competency_question(question, loaded):
    got = answer(question, loaded)
    if isinstance(got, bool):
        assert question.expect_scalar in ("true", "false"), f"{question.name}: ASK needs '# Expect: true|false'"
        assert got is (question.expect_scalar == "true"), (
            f"{question.fields['Question']}\n  expected {question.expect_scalar}, got {got}"
        )
        return
    if question.expects_empty:
        assert got == set(), f"{question.fields['Question']}\n  expected no answer, got {sorted(got)}"
        return
    assert question.expect_scalar is None, f"{question.name}: a SELECT question needs an answer block"
    expected = set(question.expect)
    assert got, f"{question.fields['Question']}\n  the graph gives no answer at all; expected {sorted(expected)}"
    missing, extra = expected - got, got - expected
    assert not missing and not extra, (
        f"{question.fields['Question']}\n"
        f"  source: {question.fields['Source']}\n"
        f"  missing: {sorted(missing)}\n"
        f"  unexpected: {sorted(extra)}"
    )
