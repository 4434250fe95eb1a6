"""The floor for a Python query command: open the database with sqlite3, run SQL, print rows.

Usage: python bench/minimal_query.py DB SQL [PARAMS_JSON]
"""

import sqlite3
import sys

conn = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
params = {}
if len(sys.argv) > 3:
    import json

    params = json.loads(sys.argv[3])
for row in conn.execute(sys.argv[2], params):
    print("\t".join("" if v is None else str(v) for v in row))
