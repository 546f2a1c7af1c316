"""Menus and action codes of 审方规则引擎."""
