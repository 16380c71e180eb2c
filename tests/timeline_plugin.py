import json
import os
import time


def pytest_runtest_logstart(nodeid, location):
    with open(f"/tmp/timeline-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}.jsonl", "a") as f:
        f.write(json.dumps(["start", nodeid, time.time()]) + "\n")


def pytest_runtest_logfinish(nodeid, location):
    with open(f"/tmp/timeline-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}.jsonl", "a") as f:
        f.write(json.dumps(["end", nodeid, time.time()]) + "\n")
