"""Drives a server running under callgrind: a user and a post, a warm-up, then for each path
N keep-alive `{"id": …}` requests between a zeroing and a dump of the counters, so each dump holds
exactly those N requests. Usage: requests.py PORT N PID PATH...  (run by count.sh)."""
import http.client
import json
import subprocess
import sys

port, n, pid, paths = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4:]
connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)


def post(path, body, token=None):
    headers = {"content-type": "application/json"}
    if token:
        headers["authorization"] = "Bearer " + token
    connection.request("POST", path, body=json.dumps(body), headers=headers)
    response = connection.getresponse()
    return response.status, response.read()


status, data = post("/api/auth/sign-up/email", {"name": "Owner", "email": "owner@bench.example",
                                                 "password": "correct horse battery staple"})
assert status == 200, (status, data)
token = json.loads(data)["token"]
status, data = post("/_actions/post.create", {"title": "Post", "body": "Lorem ipsum dolor sit amet. " * 8}, token)
assert status == 200, (status, data)
post_id = json.loads(data)["id"]
for path in paths:
    for _ in range(50):
        post(path, {"id": post_id})
    subprocess.run(["callgrind_control", "-z", pid], check=True, capture_output=True)
    for _ in range(n):
        status, data = post(path, {"id": post_id})
        assert status == 200, (path, status, data)
    hint = path.strip("/").replace("/", "_")
    subprocess.run(["callgrind_control", f"--dump={hint}", pid], check=True, capture_output=True)
