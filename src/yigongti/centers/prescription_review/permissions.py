"""Menus and action codes of 县域审方中心."""
