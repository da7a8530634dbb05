print("regmapgen: not yet")
