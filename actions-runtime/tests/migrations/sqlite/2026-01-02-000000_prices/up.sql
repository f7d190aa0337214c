-- TEXT, not NUMERIC: SQLite's NUMERIC affinity would round decimals through a float.
CREATE TABLE prices (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    amount TEXT NOT NULL,
    discount TEXT
);
