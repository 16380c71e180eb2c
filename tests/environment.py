"""Where a test run keeps its files and databases: its own, never the developer's.

Loaded as a plugin (`-p tests.environment` in pyproject.toml) before Django reads its settings,
so `CUMBRE_VAR_DIR` points every process of the run (each pytest-xdist worker has its own) at a
temporary folder: the SQLite test database, the file cache, the embedded broker's folder and the
rendered reports. On Redis the broker's queue is the process's own. `var/` of a running
`make run` is never touched, and two runs in two checkouts can run at once. On PostgreSQL the
test databases carry the run's name (`RUN`, see tests/conftest.py), so two runs against one
server do not take each other's databases either.
"""

import atexit
import os
import shutil
import tempfile
import uuid
from pathlib import Path

RUN = "CUMBRE_TEST_RUN"

# The controller names the run; its pytest-xdist workers inherit the name from the environment.
run = os.environ.setdefault(RUN, uuid.uuid4().hex[:8])
worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
RUN_DIR = Path(tempfile.gettempdir()) / f"cumbre-test-{run}"
var_dir = RUN_DIR / worker
var_dir.mkdir(parents=True, exist_ok=True)
os.environ["CUMBRE_VAR_DIR"] = str(var_dir)
# A queue of its own on a shared broker: a worker started by one test takes only its tasks.
os.environ["CUMBRE_QUEUE"] = f"cumbre-test-{run}-{worker}"
# Tests sign in and join many times a minute from one address; the limits' own tests set theirs.
os.environ.setdefault("CUMBRE_JOIN_RATE", "10000/m")
# Every process of the run, servers and workers included, signs with a key of the run's own.
os.environ.setdefault("SECRET_KEY", f"test-run-{run}-{uuid.uuid4().hex}")
atexit.register(shutil.rmtree, var_dir, ignore_errors=True)
if worker == "main":
    atexit.register(shutil.rmtree, RUN_DIR, ignore_errors=True)
