"""A bounded load test of kgraph serve, next to the same load on Oxigraph's own server as the anchor.

    python bench/serve_load.py                     # 8 clients for 30 s against each server
    python bench/serve_load.py --clients 4 --duration 10
    python bench/serve_load.py --isolate           # kgraph serve with and without --isolate, and no Oxigraph

The servers run on 127.0.0.1 on free ports, hold the same graph (kgraph serve in memory; kgraph serve --store on a
store kgraph load builds in a temporary folder; kgraph push puts the dataset into an in-memory `oxigraph serve`:
the named graphs, and the flat graph as its default graph) and are stopped at the end. Each
client keeps one HTTP/1.1 connection open and sends, one after the other, the mix below: every saved query but
one with its example's parameters bound as VALUES (the text kgraph query --endpoint sends), and five ad-hoc
SELECTs, all as POST forms asking for SPARQL JSON. neighbourhood-graph is left out: bound with VALUES it takes
rdflib minutes (see tests/test_serve.py). Prints requests per second, p50 and p99 latency and errors (any answer
but 200) for each server; errors must be zero.

With ``--isolate`` the servers are kgraph serve and kgraph serve --store, each with and without ``--isolate``
(queries answered by worker processes), one after the other in the same run, and the rate with ``--isolate`` is
printed as a ratio of the rate without. Each server is first sent the load for ``--warm-up`` seconds, not counted:
an isolated server starts its workers as the load asks for them (one at start, the others at the first requests
that find none idle).
"""

from __future__ import annotations

import argparse
import http.client
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlencode

from kgraph.query import LocalResolver, bind_saved, parse, saved_queries
from kgraph.query.loading import load
from kgraph.query.remote import bind_with_values

ADHOC = [
    "SELECT ?chip ?maker WHERE { ?chip a kg:Chip ; kg:developedBy ?maker } ORDER BY ?chip",
    "SELECT ?class (COUNT(?x) AS ?n) WHERE { ?x a ?class } GROUP BY ?class ORDER BY DESC(?n) LIMIT 10",
    "SELECT ?s ?label WHERE { ?s rdfs:label ?label FILTER(LANG(?label) = 'zh') } LIMIT 50",
    "ASK { kgr:trainium3 kg:succeeds kgr:trainium2 }",
    "SELECT ?customer ?product WHERE { ?customer kg:uses ?product . ?customer a kg:Company } ORDER BY ?customer",
]
SKIP = {"neighbourhood-graph"}


def workload() -> list[str]:
    loaded = load()
    texts = []
    for saved in saved_queries():
        if saved.name in SKIP:
            continue
        (params,) = saved.example_params()
        bindings = bind_saved(saved, params, LocalResolver(loaded))
        parsed = parse(saved.text)
        texts.append(parsed.prologue_for_endpoint() + bind_with_values(saved.text, bindings))
    for text in ADHOC:
        texts.append(parse(text).prologue_for_endpoint() + text)
    return texts


def start_kgraph(*options: str, isolate: bool = False) -> tuple[subprocess.Popen[bytes], str]:
    serve_options = ["--isolate"] if isolate else []
    process = subprocess.Popen(  # noqa: S603 - kgraph itself
        [sys.executable, "-m", "kgraph", *options, "serve", "--port", "0", "--max-running", "16", *serve_options],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        start_new_session=True,
    )
    stream = process.stderr
    if stream is None:
        raise SystemExit("no standard error to read the address from")
    for raw in stream:
        line = raw.decode()
        if line.startswith("serving "):
            threading.Thread(target=stream.read, daemon=True).start()
            return process, line.split(" at ", 1)[1].split("/ ", 1)[0] + "/sparql"
    raise SystemExit("kgraph serve did not start")


def start_oxigraph() -> tuple[subprocess.Popen[bytes], str]:
    import socket  # noqa: PLC0415

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    binary = str(Path(sys.executable).with_name("oxigraph"))
    process = subprocess.Popen(  # noqa: S603 - the oxigraph next to this Python
        [binary, "serve", "--bind", f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/")
            connection.getresponse().read()
            break
        except OSError:
            time.sleep(0.05)
    pushed = subprocess.run(  # noqa: S603 - kgraph itself
        [sys.executable, "-m", "kgraph", "push", "--endpoint", f"{base}/store", "--update-endpoint", f"{base}/update"],
        capture_output=True,
        check=False,
    )
    if pushed.returncode:
        raise SystemExit(pushed.stderr.decode())
    return process, f"{base}/query"


def hammer(url: str, texts: list[str], clients: int, duration: float) -> dict[str, float]:
    host, rest = url.removeprefix("http://").split(":", 1)
    port, path = rest.split("/", 1)
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    stop_at = time.monotonic() + duration

    def client(offset: int) -> None:
        connection = http.client.HTTPConnection(host, int(port), timeout=60)
        mine: list[float] = []
        index = offset
        while time.monotonic() < stop_at:
            body = urlencode({"query": texts[index % len(texts)]})
            index += 1
            started = time.perf_counter()
            try:
                connection.request(
                    "POST",
                    "/" + path,
                    body,
                    {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/sparql-results+json"},
                )
                response = connection.getresponse()
                payload = response.read()
                if response.status != 200:
                    with lock:
                        errors.append(f"{response.status}: {payload[:300]!r}")
            except OSError as error:
                with lock:
                    errors.append(repr(error))
                connection.close()
                connection = http.client.HTTPConnection(host, int(port), timeout=60)
            mine.append(time.perf_counter() - started)
        connection.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client, args=(i * 3,)) for i in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    cuts = statistics.quantiles(latencies, n=100)
    for error in sorted(set(errors)):
        print(f"error at {url}: {error}", file=sys.stderr)  # noqa: T201
    return {
        "requests": len(latencies),
        "per_second": len(latencies) / elapsed,
        "p50_ms": cuts[49] * 1000,
        "p99_ms": cuts[98] * 1000,
        "errors": len(errors),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--duration", type=float, default=30.0)
    parser.add_argument("--isolate", action="store_true", help="kgraph serve with and without --isolate")
    parser.add_argument("--warm-up", type=float, default=0.0, help="seconds of load before the measured ones")
    options = parser.parse_args()
    texts = workload()
    results = {}
    with tempfile.TemporaryDirectory() as work:
        store = str(Path(work) / "store")
        subprocess.run([sys.executable, "-m", "kgraph", "load", "--store", store], check=True, capture_output=True)  # noqa: S603
        servers: dict[str, Callable[[], tuple[subprocess.Popen[bytes], str]]] = {
            "kgraph serve": start_kgraph,
            "kgraph serve --store": lambda: start_kgraph("--store", store),
        }
        if options.isolate:
            servers["kgraph serve --isolate"] = lambda: start_kgraph(isolate=True)
            servers["kgraph serve --store --isolate"] = lambda: start_kgraph("--store", store, isolate=True)
        else:
            servers["oxigraph serve"] = start_oxigraph
        for name, start in servers.items():
            process, url = start()
            try:
                if options.warm_up:
                    hammer(url, texts, options.clients, options.warm_up)
                results[name] = hammer(url, texts, options.clients, options.duration)
            finally:
                if name.startswith("kgraph"):
                    os.killpg(process.pid, signal.SIGINT)
                else:
                    process.terminate()
                process.wait(30)
    print(f"{options.clients} clients, {options.duration:g} s each, {len(texts)} different queries, loopback")  # noqa: T201
    print("| server | requests | requests/s | p50 (ms) | p99 (ms) | errors |")  # noqa: T201
    print("| --- | ---: | ---: | ---: | ---: | ---: |")  # noqa: T201
    for name, r in results.items():
        print(  # noqa: T201
            f"| {name} | {r['requests']:,} | {r['per_second']:,.1f} | {r['p50_ms']:,.1f} | {r['p99_ms']:,.1f} | "
            f"{r['errors']} |"
        )
    if options.isolate:
        for plain in ("kgraph serve", "kgraph serve --store"):
            ratio = results[f"{plain} --isolate"]["per_second"] / results[plain]["per_second"]
            print(f"{plain} --isolate answers {ratio:.2f} times the requests per second of {plain}")  # noqa: T201
    if any(r["errors"] for r in results.values()):
        raise SystemExit("errors: see above")


if __name__ == "__main__":
    main()
