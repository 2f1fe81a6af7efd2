#!/usr/bin/env python3
"""Prints the skipped tests of test-result files (.trx), grouped by the reason each gave.

Usage: skip-reasons.py FILE.trx...  A reason reads "WHAT: DETAIL" (e.g. "needs 32-bit x86 execution
(-m32): executing probe32: Exec format error"); tests are grouped by WHAT, and each group shows how
many tests, the first test's whole reason and its name.
"""
import collections
import re
import sys
import xml.etree.ElementTree as ElementTree

NAMESPACE = "{http://microsoft.com/schemas/VisualStudio/TeamTest/2010}"


def skipped(path):
    """(test name, reason) of every test the file records as not executed."""
    root = ElementTree.parse(path).getroot()
    for result in root.iter(NAMESPACE + "UnitTestResult"):
        if result.get("outcome") != "NotExecuted":
            continue
        message = result.find(f"{NAMESPACE}Output/{NAMESPACE}ErrorInfo/{NAMESPACE}Message")
        reason = (message.text or "").strip() if message is not None else "(no reason given)"
        yield result.get("testName", "?"), reason.splitlines()[0] if reason else "(no reason given)"


def main(paths):
    tests = collections.defaultdict(list)
    for path in paths:
        for name, reason in skipped(path):
            tests[reason.split(": ", 1)[0]].append((name, reason))
    for what, cases in sorted(tests.items(), key=lambda item: (-len(item[1]), item[0])):
        name, reason = cases[0]
        print(f"{len(cases):5} skipped: {what}")
        print(f"        e.g. {name}: {reason}")


if __name__ == "__main__":
    main(sys.argv[1:])
