#!/usr/bin/env bash
# Prints the per-kind and per-class mismatch counts of one profile on the shared
# corpus (progress tracking while a profile is being built; the tests and CI are what
# gate). Classes are guessed from the difference between the expected and the actual
# result (see classify() below); a case gets the first class whose normalisation makes
# both equal, else `other`.
#
#   scripts/conformance-diff.sh [--profile node|php] [--results FILE] [--show CLASS] [KIND...]
#
# Without --results the CLI computes the results (cargo build -p cldkit-cli first); with
# it, FILE is a binding evaluator's output. --show CLASS prints the first cases of that
# class. Runs from anywhere; CLDKIT_SHARED and CARGO_TARGET_DIR are honoured.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CORPUS="${CLDKIT_SHARED:-$ROOT/../shared}/conformance"
BIN="${CLDKIT_BIN:-${CARGO_TARGET_DIR:-$ROOT/target}/debug/cldkit}"
PROFILE=node
RESULTS=""
SHOW=""
KINDS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --profile) PROFILE="$2"; shift 2 ;;
    --results) RESULTS="$2"; shift 2 ;;
    --show) SHOW="$2"; shift 2 ;;
    -*) echo "unknown option $1" >&2; exit 2 ;;
    *) KINDS+=("$1"); shift ;;
  esac
done
FILES=()
if [ ${#KINDS[@]} -eq 0 ]; then
  FILES=("$CORPUS"/*.jsonl)
else
  for k in "${KINDS[@]}"; do FILES+=("$CORPUS/$k.jsonl"); done
fi
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
cat "${FILES[@]}" > "$TMP/cases.jsonl"
if [ -z "$RESULTS" ]; then
  "$BIN" conformance --profile "$PROFILE" < "$TMP/cases.jsonl" > "$TMP/results.jsonl"
  RESULTS="$TMP/results.jsonl"
fi

python3 - "$TMP/cases.jsonl" "$RESULTS" "$PROFILE" "$SHOW" <<'PY'
import collections, json, re, sys

cases_path, results_path, profile, show = sys.argv[1:5]
results = {}
for line in open(results_path, encoding="utf-8"):
    if line.strip():
        row = json.loads(line)
        results[json.dumps(row.get("id"))] = row.get("result")

def expected_of(case):
    if profile in ("node", "php") and ("expected_" + profile) in case:
        return case["expected_" + profile]
    return case["expected"]

def matches(exp, got):
    if isinstance(exp, dict) and "error" in exp:
        return isinstance(got, dict) and "error" in got
    return exp == got

def text(v):
    return json.dumps(v, sort_keys=True, ensure_ascii=False)

# (class, normalisation applied to both texts)
NORMALISERS = [
    ("secure_default", lambda s: s.replace("http://", "https://")),
    ("analytics_a", lambda s: re.sub(r"[?&]_a=[A-Za-z0-9+/]+", "", s)),
    ("html_quotes", lambda s: s.replace("'", '"').replace("&#39;", "'").replace("&#34;", '"').replace(" />", "/>")),
    ("float_integral", lambda s: re.sub(r"(\d)\.0\b", r"\1", s)),
    ("query_space", lambda s: s.replace("%20", "+")),
    ("signature", lambda s: re.sub(r"(signature=|s--)[A-Za-z0-9_\-]+", r"\1X", s)),
    ("timestamp", lambda s: re.sub(r"timestamp=\d+", "timestamp=T", s)),
    ("authorization", lambda s: re.sub(r'"authorization": "[^"]*",? ?', "", s)),
    ("query_order", lambda s: "&".join(sorted(re.split(r"[?&]", s)))),
]

def classify(exp, got):
    if isinstance(got, dict) and ("error" in got) != ("error" in exp):
        return "error_mismatch" if "error" in got else "missing_error"
    a, b = text(exp), text(got)
    applied = []
    for name, f in NORMALISERS:
        a2, b2 = f(a), f(b)
        if (a2, b2) != (a, b):
            applied.append(name)
            a, b = a2, b2
            if a == b:
                return "+".join(applied)
    if isinstance(exp, dict) and isinstance(got, dict) and exp.keys() == got.keys():
        keys = [k for k in exp if exp[k] != got[k]]
        return "other:" + ",".join(keys)
    return "other"

per_kind = collections.Counter()
per_class = collections.defaultdict(collections.Counter)
examples = collections.defaultdict(list)
total = 0
for line in open(cases_path, encoding="utf-8"):
    if not line.strip():
        continue
    case = json.loads(line)
    total += 1
    exp = expected_of(case)
    got = results.get(json.dumps(case.get("id")), {"missing": True})
    if matches(exp, got):
        continue
    kind = case["kind"]
    cls = classify(exp, got)
    per_kind[kind] += 1
    per_class[kind][cls] += 1
    examples[cls].append((case, exp, got))

print(f"{profile} profile: {sum(per_kind.values())} of {total} cases mismatch")
for kind, n in sorted(per_kind.items(), key=lambda kv: -kv[1]):
    print(f"  {kind:<26} {n:>5}")
    for cls, m in per_class[kind].most_common():
        print(f"      {cls:<40} {m:>5}")
if show:
    for case, exp, got in examples.get(show, [])[:8]:
        print(f"\n{case['id']}\n  config:   {text(case.get('config'))}\n  input:    {text(case['input'])}\n  expected: {text(exp)}\n  got:      {text(got)}")
PY
