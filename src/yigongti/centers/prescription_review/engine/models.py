"""Models of 审方规则引擎."""
