"""Compares conformance driver output with the corpus cases it ran.

    python3 tests/dist/compare.py CASES.jsonl RESULTS.jsonl

A case whose expected result is an error is matched by any error; every other result must
equal the expected one (as parsed JSON). Every case needs exactly one result. Exits 1 and
prints the first mismatches otherwise.
"""

import json
import sys
from typing import Any, Dict, List


def compare(cases_text: str, results_text: str) -> int:
    """Raises AssertionError on any mismatch; returns the number of cases."""
    cases = [json.loads(line) for line in cases_text.splitlines() if line.strip()]
    results: Dict[str, Any] = {}
    for line in results_text.splitlines():
        if line.strip():
            row = json.loads(line)
            assert row["id"] not in results, f"two results for {row['id']}"
            results[row["id"]] = row["result"]
    assert cases, "no cases"
    failures: List[str] = []
    for case in cases:
        expected = case["expected"]
        if case["id"] not in results:
            failures.append(f"{case['id']}: no result")
            continue
        got = results[case["id"]]
        if isinstance(expected, dict) and "error" in expected:
            good = isinstance(got, dict) and "error" in got
        else:
            good = got == expected
        if not good:
            failures.append(f"{case['id']}\n  expected {json.dumps(expected)}\n  got      {json.dumps(got)}")
    assert not failures, f"{len(failures)}/{len(cases)} mismatches:\n" + "\n".join(failures[:5])
    assert len(results) == len(cases), f"{len(results)} results for {len(cases)} cases"
    return len(cases)


if __name__ == "__main__":
    with open(sys.argv[1], encoding="utf-8") as c, open(sys.argv[2], encoding="utf-8") as r:
        try:
            n = compare(c.read(), r.read())
        except AssertionError as e:
            print(f"conformance sample: {e}", file=sys.stderr)
            sys.exit(1)
    print(n)
