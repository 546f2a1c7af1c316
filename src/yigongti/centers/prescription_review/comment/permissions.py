"""Menus and action codes of 处方点评与监管."""
