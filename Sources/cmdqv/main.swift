print("cmdqv")
