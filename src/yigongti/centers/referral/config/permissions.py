"""Menus and action codes of 双向转诊配置."""
