"""Audit rules (审核公式): named data in rules.yaml, evaluated against the derived tables."""

from yujuesuan.rules.engine import load_rules, run_rules

__all__ = ["load_rules", "run_rules"]
