"""Models of 县域审方中心."""
