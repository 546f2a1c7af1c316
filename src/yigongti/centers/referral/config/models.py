"""Models of 双向转诊配置."""
