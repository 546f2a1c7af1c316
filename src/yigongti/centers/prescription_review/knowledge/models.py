"""Models of 合理用药知识库."""
