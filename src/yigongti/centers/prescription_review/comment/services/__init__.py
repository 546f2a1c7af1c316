"""Writes of 处方点评与监管 (every one atomic, audited in the same transaction)."""
