"""Target resolvers: which model and size an asset must match."""
