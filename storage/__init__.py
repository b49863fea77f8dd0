"""Tables, repositories and migrations: everything that touches the database."""
