"""县域医共体协同平台 (yigongti)."""

__version__ = "0.1.0"
