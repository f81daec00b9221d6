"""Storage: the database and its migrations, the write lock, the file store, crypto."""
