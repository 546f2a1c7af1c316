"""Menus and action codes of 双向转诊中心."""
