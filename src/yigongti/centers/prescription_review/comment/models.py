"""Models of 处方点评与监管."""
