"""Every numbered rule of CONTRACT.md is proven by a test whose docstring starts with its
number, and no test claims a rule the contract does not have."""

from __future__ import annotations

import ast
import re
from pathlib import Path

CONTRACT = Path(__file__).resolve().parents[1] / "contract"
RULE = re.compile(r"^(\d+\.\d+) ", flags=re.MULTILINE)
CLAIM = re.compile(r"^((?:\d+\.\d+|and|,|\(|\)|\s)+)")


def rules() -> set[str]:
    return set(RULE.findall((CONTRACT / "CONTRACT.md").read_text(encoding="utf-8")))


def claims(source: str) -> set[str]:
    """The rule numbers the tests of one module name at the start of their docstrings."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
            doc = ast.get_docstring(node) or ""
            lead = CLAIM.match(doc)
            if lead:
                found |= set(re.findall(r"\d+\.\d+", lead.group(1)))
    return found


def claimed() -> set[str]:
    found: set[str] = set()
    for path in sorted(CONTRACT.glob("test_*.py")):
        found |= claims(path.read_text(encoding="utf-8"))
    return found


def test_every_rule_has_a_test() -> None:
    missing = sorted(rules() - claimed(), key=lambda n: [int(p) for p in n.split(".")])
    assert not missing, f"rules of CONTRACT.md with no test: {missing}"


def test_no_test_claims_a_rule_that_is_not_there() -> None:
    unknown = sorted(claimed() - rules())
    assert not unknown, f"tests name rules CONTRACT.md does not have: {unknown}"


def test_the_check_can_fail() -> None:
    source = 'def test_a():\n    """99.1 A rule nobody wrote."""\n\ndef test_b():\n' \
             '    """Not a rule: 1.1 later in the text."""\n'
    assert claims(source) == {"99.1"}
    assert "99.1" not in rules()
