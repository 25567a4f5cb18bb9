"""Registers the S3 snapshot repository and the snapshot lifecycle policy with Elasticsearch.

Idempotent: both PUTs replace what is there with the bodies given. Registering the repository
makes every node write a test file to the bucket, so it fails loudly when a node lacks access.
Reads ES_URL, ES_USERNAME, ES_PASSWORD, ES_CA_FILE, REPOSITORY, REPOSITORY_BODY, POLICY and
POLICY_BODY from the environment.
"""
import base64
import json
import os
import ssl
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

URL = os.environ["ES_URL"].rstrip("/")
CREDENTIALS = f"{os.environ['ES_USERNAME']}:{os.environ['ES_PASSWORD']}".encode()
AUTHORIZATION = "Basic " + base64.b64encode(CREDENTIALS).decode()
# Verified against the cluster's own CA; without ES_CA_FILE, against the system's roots.
TLS = ssl.create_default_context(cafile=os.environ.get("ES_CA_FILE") or None)
ATTEMPTS = int(os.environ.get("WAIT_ATTEMPTS", "120"))
PAUSE = float(os.environ.get("WAIT_SECONDS", "10"))
# Answers of a cluster that is still forming: no master yet, or not yellow within the timeout.
NOT_READY = {408, 429, 502, 503, 504}


def call(method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(URL + path, data=data, method=method, headers={
        "Authorization": AUTHORIZATION, "Content-Type": "application/json"})
    context = TLS if URL.startswith("https:") else None
    with urllib.request.urlopen(request, timeout=120, context=context) as response:
        return json.load(response)


def wait_for_cluster():
    for attempt in range(1, ATTEMPTS + 1):
        try:
            health = call("GET", "/_cluster/health?wait_for_status=yellow&timeout=10s")
            if health.get("status") in ("yellow", "green"):
                return
            reason = f"status {health.get('status')}"
        except urllib.error.HTTPError as err:
            if err.code not in NOT_READY:
                raise
            reason = f"HTTP {err.code}"
        except OSError as err:  # connection refused, DNS not ready, timeouts
            reason = str(err)
        print(f"waiting for {URL} ({attempt}/{ATTEMPTS}): {reason}", flush=True)
        time.sleep(PAUSE)
    sys.exit(f"{URL} did not reach yellow health")


def put(kind, name, body):
    try:
        result = call("PUT", f"/{kind}/{urllib.parse.quote(name, safe='')}", body)
    except urllib.error.HTTPError as err:
        sys.exit(f"PUT /{kind}/{name} failed with HTTP {err.code}: {err.read().decode(errors='replace')}")
    print(f"PUT /{kind}/{name}: {json.dumps(result)}", flush=True)


def main():
    wait_for_cluster()
    put("_snapshot", os.environ["REPOSITORY"], json.loads(os.environ["REPOSITORY_BODY"]))
    put("_slm/policy", os.environ["POLICY"], json.loads(os.environ["POLICY_BODY"]))
    print("snapshot repository and policy registered")


if __name__ == "__main__":
    main()
