"""Models of 双向转诊中心."""
