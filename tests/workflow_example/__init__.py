"""A test-only app proving the workflow mechanism on a small model (请假申请)."""
