#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Check HealthGuard's Grafana dashboards (and Prometheus rules) against a scrape.

  check-dashboards.py --dashboards DIR [--scrape FILE [--require-samples]] [--rules FILE]...
  check-dashboards.py --dashboards DIR [--rules FILE]... --names-only
  check-dashboards.py --dashboards DIR --promtool PROMTOOL
  check-dashboards.py --self-test

Every *.json in DIR must be a dashboard: a JSON object with a title, a uid
and panels, unique panel ids, Prometheus datasources by uid "prometheus",
and a PromQL expression in every target of a panel that queries. The
metric names of every expression (panel targets, in rows and nested panels
too, and the queries of template variables) are extracted with a small
PromQL tokenizer; with --scrape (a saved GET /metrics) each name must be
in the scrape: a sample, or a family its "# TYPE" lines declare (a metric
whose label sets come with use, such as healthguard_http_requests_total,
has no sample before its first request); --require-samples wants a sample
for every name. A histogram's _bucket, _sum and _count are checked against
the family's "# TYPE" line, and a histogram's bare family name is refused
(no series has it). The series Prometheus makes itself (up, scrape_*)
always exist. --rules adds the expressions of a Prometheus rule
file (the plain YAML subset that data/prometheus uses) and allows the names
it records. --promtool has Prometheus's own parser read every expression
too (the tokenizer finds names, it does not check the grammar): Grafana's
variables are replaced by plain values and the expressions are given to
"promtool check rules" as recording rules.

Exit status: 0 all good; 1 a problem, each one listed; 2 bad usage.
Standard library only (run it with Debian's /usr/bin/python3).
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

# --- PromQL -----------------------------------------------------------------

# Functions of PromQL (Prometheus 2.42, plus a few later ones), called
# with "(". "start" and "end" are the @ modifier's.
FUNCTIONS = frozenset("""
    abs absent absent_over_time acos acosh asin asinh atan atanh
    avg_over_time ceil changes clamp clamp_max clamp_min cos cosh
    count_over_time day_of_month day_of_week day_of_year days_in_month deg
    delta deriv exp floor histogram_count histogram_fraction
    histogram_quantile histogram_stddev histogram_stdvar histogram_sum
    holt_winters hour idelta increase irate label_join label_replace
    last_over_time ln log10 log2 mad_over_time max_over_time min_over_time
    minute month pi predict_linear present_over_time quantile_over_time rad
    rate resets round scalar sgn sin sinh sort sort_by_label
    sort_by_label_desc sort_desc sqrt stddev_over_time stdvar_over_time
    sum_over_time tan tanh time timestamp vector year
    start end
""".split())

# Keywords are case-insensitive in PromQL, as are the aggregation operators.
AGGREGATORS = frozenset("""
    sum avg count min max group stddev stdvar topk bottomk count_values
    quantile limitk limit_ratio
""".split())
# Followed by a list of label names in ( ).
LABEL_LIST_KEYWORDS = frozenset(
    "by without on ignoring group_left group_right".split())
BINARY_KEYWORDS = frozenset("and or unless atan2 bool".split())
NUMBER_WORDS = frozenset(("inf", "nan"))

# Grafana's own template query functions (not PromQL).
GRAFANA_QUERY_FUNCTIONS = frozenset(
    "label_values label_names metrics query_result".split())

# Series that Prometheus writes for every scrape target itself.
SYNTHETIC_SERIES = frozenset("""
    up scrape_duration_seconds scrape_samples_scraped
    scrape_samples_post_metric_relabeling scrape_series_added
""".split())

HISTOGRAM_SUFFIXES = ("_bucket", "_sum", "_count")

TOKEN_RE = re.compile(r"""
    (?P<space>\s+)
  | (?P<comment>\#[^\n]*)
  | (?P<string>"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`[^`]*`)
  | (?P<variable>\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*|\[\[[A-Za-z_][A-Za-z0-9_:.]*\]\])
  | (?P<number>0[xX][0-9a-fA-F]+|[0-9][0-9A-Za-z_.]*|\.[0-9][0-9A-Za-z_.]*)
  | (?P<ident>[A-Za-z_:][A-Za-z0-9_:]*)
  | (?P<op>==|!=|>=|<=|=~|!~|[-+*/%^<>=(){}\[\],@])
""", re.VERBOSE)


class PromQLError(Exception):
    pass


def tokenize(expr):
    """The tokens of expr as (kind, text), without spaces and comments."""
    tokens = []
    pos = 0
    while pos < len(expr):
        m = TOKEN_RE.match(expr, pos)
        if not m:
            if expr[pos] in "\"'`":
                raise PromQLError("unterminated string at offset %d" % pos)
            raise PromQLError("unexpected %r at offset %d" % (expr[pos], pos))
        kind = m.lastgroup
        if kind not in ("space", "comment"):
            tokens.append((kind, m.group()))
        pos = m.end()
    return tokens


def _skip_to(tokens, i, closer, what):
    """Index of the token closer at or after i, or PromQLError."""
    while i < len(tokens):
        if tokens[i] == ("op", closer):
            return i
        i += 1
    raise PromQLError("unclosed %s" % what)


def metric_names(expr):
    """The set of metric names expr selects.

    Raises PromQLError for what it cannot read: unbalanced brackets, an
    unknown function, a metric name given as a regular expression."""
    tokens = tokenize(expr)
    names = set()
    depth = 0
    i = 0
    while i < len(tokens):
        kind, text = tokens[i]
        nxt = tokens[i + 1] if i + 1 < len(tokens) else (None, None)
        if (kind, text) == ("op", "["):
            # A range or subquery: durations, ":" and Grafana variables.
            i = _skip_to(tokens, i + 1, "]", "[")
        elif (kind, text) == ("op", "{"):
            # Label matchers: names are labels, except __name__.
            end = _skip_to(tokens, i + 1, "}", "{")
            j = i + 1
            while j < end:
                if (tokens[j][0] == "ident" and tokens[j][1] == "__name__"
                        and j + 2 < end and tokens[j + 2][0] == "string"):
                    op = tokens[j + 1][1]
                    value = tokens[j + 2][1][1:-1]
                    if op == "=":
                        names.add(value)
                    else:
                        raise PromQLError(
                            "metric name matched with %s %s cannot be checked"
                            % (op, tokens[j + 2][1]))
                j += 1
            i = end
        elif (kind, text) in (("op", "("), ("op", ")")):
            depth += 1 if text == "(" else -1
            if depth < 0:
                raise PromQLError("unbalanced )")
        elif (kind, text) in (("op", "]"), ("op", "}")):
            raise PromQLError("unbalanced %s" % text)
        elif kind == "ident":
            low = text.lower()
            if low in LABEL_LIST_KEYWORDS:
                if nxt == ("op", "("):
                    end = _skip_to(tokens, i + 2, ")", "label list")
                    for k, t in tokens[i + 2:end]:
                        if not (k == "ident" or (k, t) == ("op", ",")):
                            raise PromQLError("%r in the label list of %s"
                                              % (t, text))
                    i = end
                elif low in ("by", "without", "on", "ignoring"):
                    raise PromQLError("%s without a label list" % text)
            elif low == "offset":
                j = i + 1
                if j < len(tokens) and tokens[j] == ("op", "-"):
                    j += 1
                if j >= len(tokens) or tokens[j][0] not in ("number", "variable"):
                    raise PromQLError("offset without a duration")
                i = j
            elif low in AGGREGATORS or low in BINARY_KEYWORDS or low in NUMBER_WORDS:
                pass
            elif nxt == ("op", "("):
                if text not in FUNCTIONS:
                    raise PromQLError("unknown function %s()" % text)
            else:
                names.add(text)
        i += 1
    if depth != 0:
        raise PromQLError("unbalanced (")
    return names


def split_arguments(text):
    """Split a function's argument text at its top-level commas."""
    args = []
    depth = 0
    start = 0
    pos = 0
    for m in TOKEN_RE.finditer(text):
        t = m.group()
        if m.lastgroup == "op":
            if t in "({[":
                depth += 1
            elif t in ")}]":
                depth -= 1
            elif t == "," and depth == 0:
                args.append(text[start:m.start()])
                start = m.end()
        pos = m.end()
    if pos != len(text):
        tokenize(text)  # raises with the reason
    args.append(text[start:])
    return [a.strip() for a in args]


def template_query_names(query):
    """Metric names of a Grafana template variable's query, which is PromQL
    or one of Grafana's label_values(), label_names(), query_result() and
    metrics()."""
    m = re.match(r"\s*([A-Za-z_]+)\s*\((.*)\)\s*$", query, re.S)
    if m and m.group(1) in GRAFANA_QUERY_FUNCTIONS:
        func, inner = m.group(1), m.group(2)
        if func == "label_values":
            args = split_arguments(inner)
            # label_values(label) or label_values(series selector, label)
            return metric_names(args[0]) if len(args) == 2 else set()
        if func == "label_names":
            return set()
        if func == "query_result":
            return metric_names(inner)
        raise PromQLError("metrics(%s) is a regular expression over names "
                          "and cannot be checked" % inner.strip())
    return metric_names(query)


VARIABLE_IN_STRING_RE = re.compile(
    r"\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*|\[\[[A-Za-z_][A-Za-z0-9_:.]*\]\]")


def plain_promql(expr):
    """expr with Grafana's variables replaced by plain values PromQL takes:
    a duration in [ ], a number elsewhere, ".*" in a string (every string
    that holds one is a label value or a regular expression)."""
    out = []
    in_brackets = False
    for kind, text in tokenize(expr):
        if (kind, text) in (("op", "["), ("op", "]")):
            in_brackets = text == "["
        if kind == "variable":
            if "__range_s" in text or "__interval_ms" in text or "__range_ms" in text:
                text = "3600"
            else:
                text = "5m" if in_brackets else "1"
        elif kind == "string":
            text = text[0] + VARIABLE_IN_STRING_RE.sub(".*", text[1:-1]) + text[-1]
        out.append(text)
    return " ".join(out)


def promtool_check(promtool, queries):
    """Problems promtool finds in the PromQL of queries."""
    exprs = []
    for where, kind, query in queries:
        if kind == "template":
            m = re.match(r"\s*(label_values|query_result)\s*\((.*)\)\s*$", query, re.S)
            if m and m.group(1) == "label_values":
                args = split_arguments(m.group(2))
                if len(args) != 2:
                    continue
                query = args[0]
            elif m:
                query = m.group(2)
            elif re.match(r"\s*(label_names|metrics)\s*\(", query):
                continue
        try:
            exprs.append((where, plain_promql(query)))
        except PromQLError:
            continue  # reported by the name check already
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "dashboards.rules.yml")
        with open(path, "w", encoding="utf-8") as f:
            f.write("groups:\n")
            for n, (where, expr) in enumerate(exprs):
                # JSON strings are YAML double-quoted scalars.
                f.write("  - name: %s\n    rules:\n      - record: query_%d\n"
                        "        expr: %s\n" % (json.dumps("%d: %s" % (n, where)), n,
                                                json.dumps(expr)))
        try:
            run = subprocess.run([promtool, "check", "rules", path], stdout=subprocess.PIPE,
                                 stderr=subprocess.STDOUT, universal_newlines=True)
        except OSError as e:
            return ["promtool: %s" % e]
        if run.returncode != 0:
            problems.append("promtool check rules refused some expressions "
                            "(group = where it is, with variables replaced):\n" + run.stdout.strip())
    return problems


# --- The scrape ----------------------------------------------------------

SAMPLE_RE = re.compile(r"([A-Za-z_:][A-Za-z0-9_:]*)(\{|\s)")


def parse_scrape(text):
    """(sample names, {family: type}) of a Prometheus text exposition."""
    samples = set()
    types = {}
    for lineno, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line:
            continue
        if line.startswith("#"):
            parts = line.split(None, 3)
            if len(parts) >= 4 and parts[1] == "TYPE":
                types[parts[2]] = parts[3].strip()
            continue
        m = SAMPLE_RE.match(line)
        if not m:
            raise ValueError("line %d is not a sample: %r" % (lineno, line[:80]))
        samples.add(m.group(1))
    if not samples:
        raise ValueError("no samples (is it really a saved /metrics?)")
    return samples, types


def check_name(name, samples, types, allowed, require_samples=False):
    """None if name exists, else why not."""
    if name in allowed or name in SYNTHETIC_SERIES:
        return None
    if types.get(name) in ("histogram", "summary"):
        return "%s is a %s: a query needs %s" % (
            name, types[name],
            ", ".join(name + s for s in HISTOGRAM_SUFFIXES
                      if s != "_bucket" or types[name] == "histogram"))
    for suffix in HISTOGRAM_SUFFIXES:
        if name.endswith(suffix):
            family = name[:-len(suffix)]
            family_type = types.get(family)
            if family_type == "histogram" or (family_type == "summary"
                                              and suffix != "_bucket"):
                if name in samples or not require_samples:
                    return None
                return "%s: the %s %s has no %s samples" % (
                    name, family_type, family, suffix)
            if family in types and name not in samples:
                return "%s: %s is a %s, not a histogram" % (
                    name, family, family_type)
    if name in samples:
        return None
    if name in types:
        if not require_samples:
            return None
        return "%s is declared (# TYPE) but has no sample" % name
    return "%s is not in the scrape" % name


# --- Dashboards --------------------------------------------------------------

UID_RE = re.compile(r"^[A-Za-z0-9_-]{1,40}$")
NO_QUERY_PANELS = frozenset(("row", "text", "dashlist", "news", "alertlist",
                             "annolist", "welcome"))


def walk_panels(panels):
    """Every panel, rows' and nested panels included."""
    for panel in panels or []:
        if not isinstance(panel, dict):
            continue
        yield panel
        yield from walk_panels(panel.get("panels"))


def check_datasource(ds, where, problems):
    if isinstance(ds, dict) and ds.get("type") == "prometheus":
        uid = ds.get("uid")
        if uid != "prometheus" and not str(uid).startswith("$"):
            problems.append('%s: Prometheus datasource uid %r, not "prometheus"'
                            % (where, uid))


def load_dashboard(path, problems):
    """(dashboard, [(where, kind, query)]) or (None, []) if unusable."""
    name = os.path.basename(path)
    try:
        with open(path, encoding="utf-8") as f:
            dash = json.load(f)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        problems.append("%s: not valid JSON: %s" % (name, e))
        return None, []
    if not isinstance(dash, dict):
        problems.append("%s: not a JSON object" % name)
        return None, []
    for key in ("title", "uid"):
        if not isinstance(dash.get(key), str) or not dash[key].strip():
            problems.append("%s: no %s" % (name, key))
    if isinstance(dash.get("uid"), str) and not UID_RE.match(dash["uid"]):
        problems.append("%s: uid %r is not 1-40 of [A-Za-z0-9_-]"
                        % (name, dash["uid"]))
    panels = dash.get("panels", dash.get("rows"))
    if not isinstance(panels, list) or not panels:
        problems.append("%s: no panels" % name)
        panels = []
    queries = []
    ids = {}
    for panel in walk_panels(panels):
        title = panel.get("title") or "(untitled)"
        pid = panel.get("id")
        where = "%s: panel %r" % (name, title)
        if not isinstance(pid, int) or isinstance(pid, bool):
            problems.append("%s has no integer id" % where)
        elif pid in ids:
            problems.append("%s: id %d already used by %r" % (where, pid, ids[pid]))
        else:
            ids[pid] = title
        check_datasource(panel.get("datasource"), where, problems)
        targets = panel.get("targets") or []
        if panel.get("type") not in NO_QUERY_PANELS and not targets:
            problems.append("%s (%s) has no targets" % (where, panel.get("type")))
        for target in targets:
            ref = target.get("refId", "?")
            check_datasource(target.get("datasource"), "%s %s" % (where, ref), problems)
            expr = target.get("expr")
            if not isinstance(expr, str) or not expr.strip():
                problems.append("%s target %s has no expr" % (where, ref))
                continue
            queries.append(("%s target %s" % (where, ref), "promql", expr))
    templating = dash.get("templating", {})
    for var in (templating.get("list") or []) if isinstance(templating, dict) else []:
        if not isinstance(var, dict) or var.get("type") != "query":
            continue
        where = "%s: variable %r" % (name, var.get("name"))
        check_datasource(var.get("datasource"), where, problems)
        query = var.get("query")
        if isinstance(query, dict):
            query = query.get("query")
        if not isinstance(query, str) or not query.strip():
            query = var.get("definition")
        if not isinstance(query, str) or not query.strip():
            problems.append("%s has no query" % where)
            continue
        queries.append((where, "template", query))
    return dash, queries


# --- Rule files (the YAML subset of data/prometheus) ----------------------

def _yaml_scalar(value):
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] == "'":
        return value[1:-1].replace("''", "'")
    if len(value) >= 2 and value[0] == value[-1] == '"':
        return json.loads(value)
    return value


def parse_rules(path):
    """([(where, expr)], {recorded names}) of a Prometheus rule file whose
    expr values are plain or quoted one-liners or | and > block scalars."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    exprs = []
    recorded = set()
    current = None
    key_re = re.compile(r"^(\s*)(?:- )?(\w+):(?:\s+(.*))?$")
    i = 0
    while i < len(lines):
        m = key_re.match(lines[i])
        if m and m.group(2) in ("record", "alert"):
            current = _yaml_scalar(m.group(3) or "")
            if m.group(2) == "record":
                recorded.add(current)
        if m and m.group(2) == "expr":
            indent = len(m.group(1)) + (2 if lines[i].lstrip().startswith("- ") else 0)
            value = (m.group(3) or "").strip()
            where = "%s: rule %s (line %d)" % (os.path.basename(path), current, i + 1)
            if value[:1] in ("|", ">"):
                body = []
                i += 1
                while i < len(lines) and (not lines[i].strip()
                                          or len(lines[i]) - len(lines[i].lstrip()) > indent):
                    body.append(lines[i].strip())
                    i += 1
                exprs.append((where, "\n".join(body)))
                continue
            if not value:
                raise ValueError("%s: an expr form this reader does not know" % where)
            exprs.append((where, _yaml_scalar(value)))
        i += 1
    if not exprs:
        raise ValueError("%s: no expr found" % path)
    return exprs, recorded


# --- Self-test -------------------------------------------------------------

SELF_TEST_NAMES = [
    ('sum by (severity) (rate(healthguard_alerts_received_total{job="healthguard", severity=~"critical|high"}[5m]))',
     {"healthguard_alerts_received_total"}),
    ("histogram_quantile(0.9, sum by (le, severity) (rate(healthguard_incident_mtta_seconds_bucket[$__rate_interval])))",
     {"healthguard_incident_mtta_seconds_bucket"}),
    ("a_total / on(instance) group_left(version) healthguard_build_info offset 5m",
     {"a_total", "healthguard_build_info"}),
    ("rate(x_total[5m] offset -1h30m) > bool 0",
     {"x_total"}),
    ('label_replace(up{job="x"}, "dst", "$1", "src", "(.*)")',
     {"up"}),
    ('label_replace(m, "a", "}{ by (not_a_metric) [", "b", ".*")',
     {"m"}),
    ('{__name__="process_open_fds", job="healthguard"} / process_max_fds',
     {"process_open_fds", "process_max_fds"}),
    ("max_over_time(foo[1h:5m]) and ignoring(le) bar unless baz or vector(1)",
     {"foo", "bar", "baz"}),
    ("sum without(instance)(x) * 1e3 + 0x1F - Inf + NaN + .5",
     {"x"}),
    ("SUM BY (route) (y) AND z",
     {"y", "z"}),
    ("count(y @ start()) + w @ 1609746000",
     {"y", "w"}),
    ("topk(5, sum by (type) (increase(z_total[$__range])))",
     {"z_total"}),
    ('sum(rate(r_total{instance=~"${instance:regex}"}[${window}])) / sum(rate(s_total[[[interval]]]))',
     {"r_total", "s_total"}),
    ("foo # a comment with bar and baz(\n + qux",
     {"foo", "qux"}),
    ("job:healthguard_clinical_staff_on_duty:sum > 0",
     {"job:healthguard_clinical_staff_on_duty:sum"}),
    ('count_values("version", healthguard_build_info) * on() group_right sum(k)',
     {"healthguard_build_info", "k"}),
    ("time() - process_start_time_seconds",
     {"process_start_time_seconds"}),
    ("quantile(0.5, q) atan2 scalar(p)",
     {"q", "p"}),
    ("$threshold < v",
     {"v"}),
]

SELF_TEST_ERRORS = [
    ("rat(foo[5m])", "unknown function rat()"),
    ("sum(rate(foo[5m])", "unbalanced ("),
    ("foo{job=\"x\"", "unclosed {"),
    ("rate(foo[5m)", "unclosed ["),
    ('foo{job="x}', "unterminated string"),
    ('{__name__=~"healthguard_.*"}', "cannot be checked"),
    ("sum by (1) (x)", "label list"),
    ("foo offset", "offset without a duration"),
    ("foo ; bar", "unexpected ';'"),
]

SELF_TEST_TEMPLATES = [
    ('label_values(healthguard_build_info{job="healthguard"}, instance)', {"healthguard_build_info"}),
    ("label_values(instance)", set()),
    ("query_result(topk(3, sum by (type) (rate(t_total[1h]))))", {"t_total"}),
    ("label_names()", set()),
    ("sum(healthguard_websocket_clients)", {"healthguard_websocket_clients"}),
]

SELF_TEST_PLAIN = [
    ('rate(x{instance=~"$instance", a="${b:regex}"}[$__rate_interval]) > $threshold',
     'rate ( x { instance =~ ".*" , a = ".*" } [ 5m ] ) > 1'),
    ("sum(increase(y[[[window]]] offset $__range)) / $__range_s # c",
     "sum ( increase ( y [ 5m ] offset 1 ) ) / 3600"),
]

SELF_TEST_SCRAPE = """\
# HELP h_seconds A histogram.
# TYPE h_seconds histogram
h_seconds_bucket{le="1"} 0
h_seconds_bucket{le="+Inf"} 0
h_seconds_sum 0
h_seconds_count 0
# TYPE c_total counter
c_total{code="200"} 3 1700000000000
# TYPE g gauge
g 1
# TYPE empty gauge
# TYPE e_seconds histogram
"""

SELF_TEST_CHECKS = [
    ("h_seconds_bucket", None),
    ("h_seconds_count", None),
    ("h_seconds", "is a histogram"),
    ("c_total", None),
    ("c", "not in the scrape"),
    ("g", None),
    ("g_bucket", "not a histogram"),
    ("empty", None),
    ("e_seconds_bucket", None),
    ("e_seconds", "is a histogram"),
    ("up", None),
    ("nope", "not in the scrape"),
]

SELF_TEST_STRICT_CHECKS = [
    ("empty", "declared (# TYPE) but has no sample"),
    ("e_seconds_count", "has no _count samples"),
    ("c_total", None),
]


def self_test():
    failures = []
    for expr, expected in SELF_TEST_NAMES:
        try:
            got = metric_names(expr)
        except PromQLError as e:
            got = "error: %s" % e
        if got != expected:
            failures.append("%r: expected %s, got %s" % (expr, sorted(expected), got))
    for expr, message in SELF_TEST_ERRORS:
        try:
            got = metric_names(expr)
            failures.append("%r: expected an error (%s), got %s" % (expr, message, sorted(got)))
        except PromQLError as e:
            if message not in str(e):
                failures.append("%r: expected an error with %r, got %r" % (expr, message, str(e)))
    for query, expected in SELF_TEST_TEMPLATES:
        try:
            got = template_query_names(query)
        except PromQLError as e:
            got = "error: %s" % e
        if got != expected:
            failures.append("template %r: expected %s, got %s" % (query, sorted(expected), got))
    for expr, expected in SELF_TEST_PLAIN:
        got = plain_promql(expr)
        if got != expected:
            failures.append("plain %r: expected %r, got %r" % (expr, expected, got))
    samples, types = parse_scrape(SELF_TEST_SCRAPE)
    for name, message in SELF_TEST_CHECKS:
        got = check_name(name, samples, types, set())
        if (message is None) != (got is None) or (message and message not in got):
            failures.append("check %s: expected %s, got %s" % (name, message or "ok", got))
    for name, message in SELF_TEST_STRICT_CHECKS:
        got = check_name(name, samples, types, set(), require_samples=True)
        if (message is None) != (got is None) or (message and message not in got):
            failures.append("strict check %s: expected %s, got %s" % (name, message or "ok", got))
    for bad in ("<html>401</html>\n", "# only comments\n"):
        try:
            parse_scrape(bad)
            failures.append("scrape %r: expected an error" % bad)
        except ValueError:
            pass
    total = (len(SELF_TEST_NAMES) + len(SELF_TEST_ERRORS) + len(SELF_TEST_TEMPLATES)
             + len(SELF_TEST_PLAIN) + len(SELF_TEST_CHECKS) + len(SELF_TEST_STRICT_CHECKS) + 2)
    for failure in failures:
        print("FAIL " + failure)
    print("%d/%d self-test cases passed" % (total - len(failures), total))
    return 1 if failures else 0


# --- Main -------------------------------------------------------------------

def main(argv):
    parser = argparse.ArgumentParser(
        description="Check Grafana dashboards' PromQL against a /metrics scrape.")
    parser.add_argument("--dashboards", metavar="DIR",
                        help="folder of dashboard *.json files")
    parser.add_argument("--scrape", metavar="FILE",
                        help="a saved GET /metrics (Prometheus text format)")
    parser.add_argument("--require-samples", action="store_true",
                        help="with --scrape: a family declared without samples is not enough")
    parser.add_argument("--rules", metavar="FILE", action="append", default=[],
                        help="also check this Prometheus rule file's expressions "
                             "(and allow the names it records)")
    parser.add_argument("--promtool", metavar="PROMTOOL",
                        help="also have promtool parse every expression")
    parser.add_argument("--names-only", action="store_true",
                        help="print the metric names found, one a line, and exit")
    parser.add_argument("--self-test", action="store_true",
                        help="check the PromQL tokenizer and the scrape reader")
    args = parser.parse_args(argv)

    if args.self_test:
        return self_test()
    if not args.dashboards and not args.rules:
        parser.error("--dashboards DIR (or --rules FILE) is needed")

    problems = []
    queries = []
    allowed = set()
    if args.dashboards:
        try:
            files = sorted(f for f in os.listdir(args.dashboards) if f.endswith(".json"))
        except OSError as e:
            parser.error("--dashboards: %s" % e)
        if not files:
            problems.append("%s: no *.json dashboards" % args.dashboards)
        uids = {}
        titles = {}
        for f in files:
            dash, found = load_dashboard(os.path.join(args.dashboards, f), problems)
            queries += found
            if dash is None:
                continue
            for key, seen in (("uid", uids), ("title", titles)):
                value = dash.get(key)
                if isinstance(value, str) and value in seen:
                    problems.append("%s: %s %r already used by %s" % (f, key, value, seen[value]))
                elif isinstance(value, str):
                    seen[value] = f
    for path in args.rules:
        try:
            exprs, recorded = parse_rules(path)
        except (OSError, ValueError) as e:
            problems.append("rules: %s" % e)
            continue
        allowed |= recorded
        queries += [(where, "promql", expr) for where, expr in exprs]

    uses = {}
    for where, kind, query in queries:
        try:
            names = template_query_names(query) if kind == "template" else metric_names(query)
        except PromQLError as e:
            problems.append("%s: cannot read %r: %s" % (where, query, e))
            continue
        for name in names:
            uses.setdefault(name, []).append(where)

    if args.names_only:
        for name in sorted(uses):
            print(name)
        for problem in problems:
            print("problem: " + problem, file=sys.stderr)
        return 1 if problems else 0

    if args.scrape:
        try:
            with open(args.scrape, encoding="utf-8") as f:
                samples, types = parse_scrape(f.read())
        except (OSError, UnicodeDecodeError, ValueError) as e:
            problems.append("%s: %s" % (args.scrape, e))
            samples = None
        if samples is not None:
            for name in sorted(uses):
                why = check_name(name, samples, types, allowed, args.require_samples)
                if why:
                    problems.append("unknown metric: %s; used by %s"
                                    % (why, "; ".join(sorted(set(uses[name])))))

    if args.promtool:
        problems += promtool_check(args.promtool, queries)

    for problem in problems:
        print(problem)
    print("%d expressions, %d metric names%s%s: %s" % (
        len(queries), len(uses),
        ", checked against " + args.scrape if args.scrape else "",
        ", parsed by " + args.promtool if args.promtool else "",
        "%d problem(s)" % len(problems) if problems else "ok"))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
