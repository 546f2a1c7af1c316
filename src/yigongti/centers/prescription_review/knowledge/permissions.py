"""Menus and action codes of 合理用药知识库."""
