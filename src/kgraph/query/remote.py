"""Send a query to any SPARQL 1.1 Protocol endpoint (Amazon Neptune, Fuseki, GraphDB, Oxigraph server, ...).

The query goes as ``query=...`` in a URL-encoded POST, which every endpoint accepts and which has no length
limit; SELECT and ASK ask for ``application/sparql-results+json``, CONSTRUCT and DESCRIBE for N-Triples or Turtle.
The project's prefixes are declared in front of the query (those it does not declare itself). Parameters travel
as a ``VALUES`` block at the start of the WHERE clause, each value written by rdflib as a SPARQL term (an IRI is
checked to need no escaping first): the endpoint protocol has no other way to bind a variable. HTTP basic
authentication comes from an environment variable holding ``user:password``, never from the command line.
"""

from __future__ import annotations

import base64
import http.client
import json
import os
import time
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from io import BytesIO
from urllib.error import HTTPError, URLError
from urllib.parse import SplitResult, quote, unquote, urlencode, urlsplit
from urllib.request import HTTPRedirectHandler, Request, build_opener
from xml.etree import ElementTree

from rdflib import Graph, Literal, URIRef, Variable
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.plugins.sparql.sparql import Query
from rdflib.query import Result
from rdflib.term import Identifier

from kgraph import __version__
from kgraph._compat import plain_decimals_in_turtle
from kgraph.errors import EndpointError, InputError, QueryError, QueryTimeout, UnsafeQueryError
from kgraph.names import pick_text
from kgraph.query import DEFAULT_AUTH_VARIABLE, lexer
from kgraph.query.answer import Answer
from kgraph.query.engine import Progress, run_in_worker
from kgraph.query.parsing import ParsedQuery, is_iri_safe
from kgraph.vocab import bind_prefixes

#: The environment variable that holds ``user:password`` for HTTP basic authentication, unless told otherwise.

_RESULTS_ACCEPT = "application/sparql-results+json, application/sparql-results+xml;q=0.8"
_GRAPH_ACCEPT = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"
_SPARQL_RESULTS = "http://www.w3.org/2005/sparql-results#"
_RESULT_PARSERS = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
}
_GRAPH_PARSERS = {
    "application/n-triples": "nt",
    "text/plain": "nt",
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/rdf+xml": "xml",
}


@dataclass(frozen=True)
class Endpoint:
    """A SPARQL endpoint: its URL and, optionally, a user name and password for HTTP basic authentication."""

    url: str
    user: str | None = None
    password: str | None = None
    #: The variable the credentials came from, for messages.
    auth_variable: str = DEFAULT_AUTH_VARIABLE

    def __post_init__(self) -> None:
        if has_user_info(self.url):  # urllib would take user:password@host for the host, and name it in errors
            raise InputError(
                f"the endpoint's URL {without_user_info(self.url)!r} holds a user name and password (user:password@ "
                "before the host), which kgraph never takes from a URL; give the URL without them, and the login as "
                "Endpoint(url, user, password)"
            )

    @classmethod
    def from_environment(
        cls, url: str, auth_variable: str = DEFAULT_AUTH_VARIABLE, *, option: str = "--endpoint"
    ) -> Endpoint:
        """The endpoint at ``url``, with credentials from ``$auth_variable`` (``user:password``) if it is set.

        ``option`` is the command-line option ``url`` came from, which the error for a malformed URL names.
        """
        if has_user_info(url):  # named without them: the password would be on the screen, and in logs
            shown = without_user_info(url)
            held = f"{option} {shown!r} holds a user name and password (user:password@ before the host)"
            raise InputError.in_both(
                f"{held}, which kgraph never takes from a URL; give the URL without them, and put user:password "
                f"in ${auth_variable}",
                f"{held}, which kgraph never takes from the command line; give the URL without them, and put "
                f"user:password in ${auth_variable}",
            )
        problem = url_problem(url)
        if problem is not None:
            raise InputError(f"{option} {url!r} is not an http(s) URL ({problem}); give the endpoint's full URL")
        secret = os.environ.get(auth_variable)
        if not secret:
            return cls(url, auth_variable=auth_variable)
        user, colon, password = secret.partition(":")
        if not colon:
            raise InputError(f"${auth_variable} must hold user:password for HTTP basic authentication")
        return cls(url, user, password, auth_variable)

    @property
    def sends_credentials_in_clear(self) -> bool:
        """Whether a password would cross the network unencrypted (plain http to another machine)."""
        host = urlsplit(self.url).hostname or ""
        return (
            self.user is not None and self.url.startswith("http://") and host not in ("127.0.0.1", "localhost", "::1")
        )


def url_problem(url: str) -> str | None:
    """Why ``url`` is not an http(s) URL that a request can be sent to, in a few words; None when it is one.

    urllib takes a malformed URL without a word and fails only when it sends the request, with an exception that
    names no option (ValueError, http.client.InvalidURL, UnicodeError, a traceback to the user): these are the
    checks it makes then, made up front so that the error can say which option is wrong.
    """
    unsendable = _unsendable_character(url)
    if unsendable is not None:
        return f"it holds {unsendable}"
    try:
        parts = urlsplit(url)
    except ValueError as error:  # an unclosed [ of an IPv6 address, something else in [...]
        return str(error)
    if parts.scheme not in ("http", "https"):
        return "it does not start with http:// or https://"
    problem = _address_problem(parts)
    if problem is not None:
        return problem
    for part in (parts.path, parts.query):  # http.client writes them as ASCII (the fragment is never sent)
        wide = next((char for char in part if not char.isascii()), None)
        if wide is not None:
            return f"it holds {wide!r}, which a URL must percent-encode as {quote(wide)}"
    return None


def _unsendable_character(text: str) -> str | None:
    """The first space, line break or other control character in ``text``, described; none may be in a URL."""
    for char in text:
        if char.isspace() or unicodedata.category(char) == "Cc":
            return "a space" if char == " " else f"the character {char!r}"
    return None


#: What :func:`url_problem` says of a URL with a user name and password in it (``http://user:pw@host/``), which
#: urllib took for part of the host's name: the error then said the host could not be found, the password in it.
USER_INFO = "it holds a user name and password (user:password@ before the host)"


def has_user_info(url: str) -> bool:
    """Whether ``url`` holds user information (``user:password@`` before its host)."""
    try:
        return "@" in urlsplit(url).netloc
    except ValueError:
        return "@" in url.partition("://")[2].split("/", 1)[0]


def without_user_info(url: str) -> str:
    """``url`` with its user information (``user:password@``) left out, to name it in a message."""
    scheme, separator, rest = url.partition("://")
    authority, slash, path = rest.partition("/")
    if not separator or "@" not in authority:
        return url
    return f"{scheme}://{authority.rpartition('@')[2]}{slash}{path}"


def _address_problem(parts: SplitResult) -> str | None:
    """Why the host and port of ``parts`` are not ones urllib can connect to; None when they are."""
    if "@" in parts.netloc:
        return USER_INFO
    try:
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number from 0 to 65535
    except ValueError:
        return "its port is not a number from 0 to 65535"
    host = unquote(parts.hostname or "")  # urllib decodes %XX in the host before it connects
    if not host:
        return "it names no host"
    unsendable = _unsendable_character(host)
    if unsendable is not None:
        return f"its host {host!r} holds {unsendable}"
    try:
        host.encode("idna")  # what the socket module does with a name, raising UnicodeError for a malformed one
    except UnicodeError:
        return f"its host {host!r} is not a valid host name"
    return None


def run_remote(
    endpoint: Endpoint,
    parsed: ParsedQuery,
    bindings: Mapping[str, Identifier] | None = None,
    *,
    timeout: float | None = None,
    progress: Progress | None = None,
) -> Answer:
    """Send ``parsed`` to ``endpoint`` with ``bindings`` and return its answer.

    Raises :class:`~kgraph.errors.EndpointError` when the endpoint cannot be reached or answers with an error,
    and :class:`~kgraph.errors.QueryTimeout` past ``timeout`` seconds.
    """
    if parsed.is_update:
        raise UnsafeQueryError(
            "kgraph query sends queries, not updates, to an endpoint; use the endpoint's own update service"
        )
    _check_reachable(parsed, bindings or {})
    text = parsed.prologue_for_endpoint() + bind_with_values(parsed.text, bindings or {})
    accept = _RESULTS_ACCEPT if parsed.kind in ("SELECT", "ASK") else _GRAPH_ACCEPT

    def work(_counter: object) -> Answer:
        content_type, body, seconds = post(endpoint, text, accept, timeout)
        return _answer(endpoint, parsed, content_type, body, seconds)

    late = _late(endpoint, timeout, "check that the endpoint is running, or make the query more selective")
    return run_in_worker(work, timeout=timeout, progress=progress, late=late if timeout else None)


def _late(endpoint: Endpoint, timeout: float | None, more: str = "") -> QueryTimeout:
    """The error for ``endpoint`` not answering within ``timeout`` seconds, with ``more`` to do about it."""
    longer = " to wait longer"
    return QueryTimeout.advising(
        f"{endpoint.url} did not answer within {timeout or 0:g} s",
        python=f"pass a larger timeout{longer + ' (None for no limit), ' + more if more else ''}",
        cli=f"pass --timeout SECONDS{longer + ' (0 for no limit), ' + more if more else ''}",
    )


def _check_reachable(parsed: ParsedQuery, bindings: Mapping[str, Identifier]) -> None:
    """Refuse a parameter that a VALUES block opening the WHERE clause would not bind: a variable used only inside
    a sub-SELECT that does not return it is another variable there, so the endpoint answered as if the parameter
    had not been given (in memory and on a store, where parameters bind every use, it was)."""
    if not isinstance(parsed.algebra, Query):  # pragma: no cover - updates are refused before
        return
    visible = _visible(parsed.algebra.algebra)
    for name in sorted(bindings):
        if Variable(name) not in visible:
            raise QueryError(
                f"?{name} is used only inside a sub-query that does not return it: at an endpoint, the VALUES "
                f"block that carries --param {name} cannot reach it; return ?{name} from the sub-query (SELECT "
                f"... ?{name}), or run the query here or on a store"
            )


def _visible(node: object) -> set[Variable]:
    """The variables of an algebra node that a VALUES block at its level binds: all of them, but those of a
    sub-SELECT that it does not return."""
    if isinstance(node, Variable):
        return {node}
    if isinstance(node, CompValue):
        if node.name == "ToMultiSet":  # a sub-SELECT: only what it projects is seen outside
            return {v for v in node.p.get("PV") or () if isinstance(v, Variable)}
        return {v for key, value in node.items() if not key.startswith("_") for v in _visible(value)}
    if isinstance(node, list | tuple | set):
        return {v for item in node for v in _visible(item)}
    return set()


def bind_with_values(text: str, bindings: Mapping[str, Identifier]) -> str:
    """``text`` with ``VALUES (?a ?b) { (<x> "y") }`` opening its WHERE clause, binding each variable."""
    if not bindings:
        return text
    start = lexer.where_clause_start(text)
    if start is None:
        raise QueryError(
            "parameters reach an endpoint as a VALUES block in the WHERE clause, and this query has none "
            "(CONSTRUCT WHERE {...} or DESCRIBE without WHERE): write its WHERE clause in full"
        )
    names = sorted(bindings)
    variables = " ".join(f"?{name}" for name in names)
    values = " ".join(sparql_term(bindings[name]) for name in names)
    return f"{text[:start]} VALUES ({variables}) {{ ({values}) }} {text[start:]}"


def sparql_term(node: Identifier) -> str:
    """``node`` written as a SPARQL term by rdflib (an IRI must need no escaping; a blank node cannot be one)."""
    if isinstance(node, URIRef):
        if not is_iri_safe(node):
            raise InputError(f'{str(node)!r} cannot be an IRI: it holds a space or one of <>"{{}}|^`\\')
        return f"<{node}>"
    if isinstance(node, Literal):
        return node.n3()
    raise InputError(f"{node!r} cannot be passed to an endpoint: only IRIs and literals can")


class NoRedirects(HTTPRedirectHandler):
    """Redirects are not followed, so an answer of 301, 302, 303, 307 or 308 is an error naming where it points:
    urllib would send a POST again as a GET without its body (a push then "succeeded" having stored nothing:
    the GET of a graph answers 200) and pass the Authorization header to whatever host the redirect names."""

    def redirect_request(self, *_args: object, **_kwargs: object) -> None:
        return None  # urllib raises the answer as an HTTPError


_OPENER = build_opener(NoRedirects)


def send(request: Request, timeout: float | None) -> tuple[str, bytes]:
    """Send ``request`` (never following a redirect, see :class:`NoRedirects`); the answer's media type and body.
    Raises what urllib raises, and :class:`http.client.HTTPException` for an answer cut short."""
    with _OPENER.open(request, timeout=timeout) as response:
        return response.headers.get_content_type(), response.read()


def redirect_hint(error: HTTPError) -> str:
    """For a redirect answer, where it points and what to do; else ""."""
    location = error.headers.get("Location") if error.headers is not None else None
    if error.code not in (301, 302, 303, 307, 308) or not location:
        return ""
    return f"; it redirects to {location}, which kgraph does not follow: give that URL instead"


def post(endpoint: Endpoint, text: str, accept: str, timeout: float | None) -> tuple[str, bytes, float]:
    """POST ``query=text`` to the endpoint; return the response's media type, body and wall time."""
    headers = {
        "Accept": accept,
        "Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
        "User-Agent": f"kgraph/{__version__}",
    }
    if endpoint.user is not None:
        token = base64.b64encode(f"{endpoint.user}:{endpoint.password}".encode()).decode("ascii")
        headers["Authorization"] = f"Basic {token}"
    body = urlencode({"query": text}).encode("utf-8")
    # The URL is the user's --endpoint, checked by url_problem in Endpoint.from_environment.
    request = Request(endpoint.url, data=body, headers=headers, method="POST")  # noqa: S310
    started = time.perf_counter()
    try:
        content_type, body = send(request, timeout or None)
    except HTTPError as error:
        raise _http_error(endpoint, error) from None
    except TimeoutError as error:
        raise _late(endpoint, timeout) from error
    except URLError as error:
        if isinstance(error.reason, TimeoutError):
            raise _late(endpoint, timeout) from error
        raise EndpointError(
            f"cannot reach {endpoint.url}: {error.reason}; check the URL and that the endpoint is running"
        ) from error
    except OSError as error:  # a connection closed without an answer too (RemoteDisconnected)
        raise EndpointError(f"cannot reach {endpoint.url}: {error}") from error
    except http.client.HTTPException as error:  # IncompleteRead, a malformed status line, ...
        raise EndpointError(f"{endpoint.url} sent back a broken answer ({error!r}); try again") from error
    return content_type, body, time.perf_counter() - started


def _http_error(endpoint: Endpoint, error: HTTPError) -> EndpointError:
    try:
        detail = error.read().decode("utf-8", "replace").strip()
    except OSError:
        detail = ""
    detail = " ".join(detail.split())[:500]
    message = f"{endpoint.url} answered HTTP {error.code} {error.reason}" + (f": {detail}" if detail else "")
    message += redirect_hint(error) + login_hint(endpoint, error.code, may="query there")
    return EndpointError(message)


def login_hint(endpoint: Endpoint, status: int, *, may: str) -> str:
    """What to do about the answer ``status`` of ``endpoint``, when it is about a login: a 401 asks for one; a 403
    is a refusal, which a login may or may not change, so the credentials are suggested only if none were sent,
    and else what the user ``may`` do there is to check (``write there``). "" for any other status.

    kgraph query and kgraph push say it alike: both once gave a 403 the advice to set or check the credentials,
    which sent the user of a store that refuses the request whatever the login after a password that could not
    help."""
    variable = endpoint.auth_variable
    if status == 401:
        if endpoint.user is None:
            return f"; set ${variable} to user:password"
        return f"; check the user:password in ${variable}"
    if status != 403:
        return ""
    if endpoint.user is None:
        return f"; it refused the request, sent without a login: if it needs one, set ${variable} to user:password"
    return f"; it refused the request, sent with the login of ${variable}: check that this user may {may}"


def _answer(endpoint: Endpoint, parsed: ParsedQuery, content_type: str, body: bytes, seconds: float) -> Answer:
    if parsed.kind in ("SELECT", "ASK"):
        answer = Answer.from_rdflib(_results(endpoint, content_type, body), seconds)
        if answer.kind != parsed.kind:
            raise EndpointError(f"{endpoint.url} answered a {parsed.kind} query with {answer.kind} results")
        return answer
    fmt = _format(endpoint, content_type, _GRAPH_PARSERS)
    graph = Graph()
    plain_decimals_in_turtle()  # an endpoint's Turtle reads as a file's does
    try:
        graph.parse(data=body, format=fmt)
    except Exception as error:  # the parsers raise assorted exceptions for a malformed body
        raise _unparsed(endpoint, content_type, body, error) from error
    bind_prefixes(graph)
    return Answer(parsed.kind, graph=graph, seconds=seconds)


def _unparsed(endpoint: Endpoint, content_type: str, body: bytes, error: Exception) -> EndpointError:
    excerpt = " ".join(body[:200].decode("utf-8", "replace").split())
    return EndpointError(f"{endpoint.url} sent back {content_type} that does not parse ({error}): {excerpt}")


def _format(endpoint: Endpoint, content_type: str, parsers: Mapping[str, str]) -> str:
    if content_type not in parsers:
        expected = ", ".join(sorted(parsers))
        raise EndpointError(f"{endpoint.url} sent back {content_type}; kgraph reads {expected}")
    return parsers[content_type]


def labels(endpoint: Endpoint, iris: Iterable[URIRef], lang: str, timeout: float | None = None) -> dict[URIRef, str]:
    """The ``rdfs:label`` of each of ``iris`` that the endpoint knows (one request), picked as ``kgraph show``
    picks it (:func:`kgraph.names.pick_text`): the least in ``lang`` (``en-GB`` is English), else the least in any
    language."""
    wanted = sorted({iri for iri in iris if is_iri_safe(iri)})[:2000]
    if not wanted:
        return {}
    values = " ".join(f"<{iri}>" for iri in wanted)
    text = (
        "SELECT ?s ?label WHERE { VALUES ?s { " + values + " } "
        "?s <http://www.w3.org/2000/01/rdf-schema#label> ?label . FILTER(isLiteral(?label)) }"
    )
    try:
        result = _results(endpoint, *post(endpoint, text, _RESULTS_ACCEPT, timeout)[:2])
    except EndpointError:  # labels are a nicety: without them the table shows prefixed names
        return {}
    texts: dict[URIRef, list[tuple[str, str | None]]] = {}
    for binding in result.bindings:
        subject, label = binding.get(Variable("s")), binding.get(Variable("label"))
        if isinstance(subject, URIRef) and isinstance(label, Literal):
            texts.setdefault(subject, []).append((str(label), label.language))
    return {subject: name for subject, found in texts.items() if (name := pick_text(found, lang)) is not None}


def find_by_label(endpoint: Endpoint, name: str, timeout: float | None = None) -> list[URIRef]:
    """Resources whose ``rdfs:label`` or ``skos:altLabel`` is ``name`` (any case), as the endpoint knows them."""
    text = (
        "SELECT DISTINCT ?s WHERE { "
        "?s <http://www.w3.org/2000/01/rdf-schema#label>|<http://www.w3.org/2004/02/skos/core#altLabel> ?label . "
        f"FILTER(LCASE(STR(?label)) = LCASE({Literal(name).n3()})) }}"
    )
    result = _results(endpoint, *post(endpoint, text, _RESULTS_ACCEPT, timeout)[:2])
    subjects = (binding.get(Variable("s")) for binding in result.bindings)
    return sorted(s for s in subjects if isinstance(s, URIRef))


def is_a(endpoint: Endpoint, iri: URIRef, cls: URIRef, timeout: float | None = None) -> bool:
    """Whether the endpoint says ``iri`` is an instance of ``cls``."""
    text = f"ASK {{ {sparql_term(iri)} a {sparql_term(cls)} }}"
    return bool(_results(endpoint, *post(endpoint, text, _RESULTS_ACCEPT, timeout)[:2]).askAnswer)


def exists(endpoint: Endpoint, iri: URIRef, timeout: float | None = None) -> bool:
    """Whether the endpoint has a triple about ``iri``."""
    text = f"ASK {{ {{ <{iri}> ?p ?o }} UNION {{ ?s ?p <{iri}> }} }}"
    return bool(_results(endpoint, *post(endpoint, text, _RESULTS_ACCEPT, timeout)[:2]).askAnswer)


def _results(endpoint: Endpoint, content_type: str, body: bytes) -> Result:
    """The SELECT or ASK results of a look-up kgraph made, in JSON or XML as its Accept allows; EndpointError for
    an answer that is neither (a login page, say) or does not parse."""
    fmt = _format(endpoint, content_type, _RESULT_PARSERS)
    try:
        result = Result.parse(BytesIO(body), format=fmt)
        if result.type == "ASK":  # rdflib reads any "boolean" but false, "", 0 or null as yes
            result.askAnswer = _json_boolean(body) if fmt == "json" else _xml_boolean(body)
    except Exception as error:  # the parsers raise assorted exceptions for a malformed body
        raise _unparsed(endpoint, content_type, body, error) from error
    return result


def _json_boolean(body: bytes) -> bool:
    """The answer of an ASK in the SPARQL JSON results format: its "boolean" must be a JSON true or false."""
    value = json.loads(body)["boolean"]
    if not isinstance(value, bool):
        raise ValueError(f'its "boolean" is {json.dumps(value)[:40]}, not true or false')
    return value


#: The xsd:boolean that the SPARQL XML results format's <boolean> holds, in its lexical forms.
_XML_BOOLEANS = {"true": True, "1": True, "false": False, "0": False}


def _xml_boolean(body: bytes) -> bool:
    """The answer of an ASK in the SPARQL XML results format: its <boolean> must hold true or false (1 or 0)."""
    # rdflib has just parsed the same bytes with the same parser
    element = ElementTree.fromstring(body).find(f"{{{_SPARQL_RESULTS}}}boolean")  # noqa: S314
    text = "".join(element.itertext()).strip() if element is not None else ""
    if text not in _XML_BOOLEANS:
        raise ValueError(f"its <boolean> holds {text[:40]!r}, not true or false")
    return _XML_BOOLEANS[text]
