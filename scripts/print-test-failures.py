#!/usr/bin/env python3
"""Prints every failed test found in the .trx files under a folder, with its message and the top of its stack trace,
so the end of a long test log says what failed."""
import pathlib
import sys
import xml.etree.ElementTree as ET

NS = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}


def main(folder: str) -> int:
    failed = 0
    for trx in sorted(pathlib.Path(folder).rglob("*.trx")):
        for result in ET.parse(trx).getroot().iterfind(".//t:UnitTestResult", NS):
            if result.get("outcome") != "Failed":
                continue
            failed += 1
            message = result.findtext(".//t:ErrorInfo/t:Message", default="", namespaces=NS).strip()
            stack = result.findtext(".//t:ErrorInfo/t:StackTrace", default="", namespaces=NS).strip()
            print(f"FAILED {result.get('testName')} ({trx.name}, {result.get('duration')})")
            for line in message.splitlines()[:30]:
                print(f"    {line}")
            for line in stack.splitlines()[:8]:
                print(f"    {line}")
    print(f"{failed} failed test(s) in {folder}")
    return failed


if __name__ == "__main__":
    sys.exit(1 if main(sys.argv[1]) else 0)
