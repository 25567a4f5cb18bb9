"""Sets up the search cluster for Tracardi as its superuser: Tracardi's role and user, the S3
snapshot repository and the snapshot lifecycle policy.

Each part runs when its variables are given (the stack runs them as two jobs, or two units on each
search server): ROLE, ROLE_BODY and TRACARDI_USERNAME for the role and user; REPOSITORY,
REPOSITORY_BODY, POLICY and POLICY_BODY for snapshots; on a search server of its own, NODE_NAME,
LIFECYCLE_HOOK, INSTANCE_ID and AWS_REGION to wait until the node has joined and the cluster is
green, then let its Auto Scaling group count the server in service. Idempotent: every PUT replaces what is there with the bodies given (the user's password
included). Registering the repository makes every node write a test file to the bucket, so it fails
loudly when a node lacks access. Reads ES_URL, ES_USERNAME and ES_CA_FILE from the environment, and
the passwords from the files ES_PASSWORD_FILE and TRACARDI_PASSWORD_FILE name.
"""
import base64
import json
import os
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request


def secret(name):
    """A secret from the file <name>_FILE names (mounted from a Kubernetes Secret)."""
    with open(os.environ[f"{name}_FILE"], encoding="utf-8") as file:
        return file.read()


URL = os.environ["ES_URL"].rstrip("/")
CREDENTIALS = f"{os.environ['ES_USERNAME']}:{secret('ES_PASSWORD')}".encode()
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


def put(kind, name, body, show=True):
    """PUT a body; the answer is printed unless it could echo a secret."""
    try:
        result = call("PUT", f"/{kind}/{urllib.parse.quote(name, safe='')}", body)
    except urllib.error.HTTPError as err:
        sys.exit(f"PUT /{kind}/{name} failed with HTTP {err.code}: {err.read().decode(errors='replace')}")
    print(f"PUT /{kind}/{name}: {json.dumps(result) if show else 'done'}", flush=True)


def wait_until_joined_and_green(node):
    """Until this node is a member and every shard copy is allocated: what makes the next server safe to replace."""
    attempt = 0
    while True:
        attempt += 1
        try:
            names = [n["name"] for n in call("GET", "/_cat/nodes?format=json&h=name")]
            health = call("GET", "/_cluster/health?wait_for_status=green&timeout=30s")
            if node in names and health.get("status") == "green":
                return
            reason = f"member: {node in names}, status {health.get('status')}"
        except urllib.error.HTTPError as err:
            if err.code not in NOT_READY:
                raise
            reason = f"HTTP {err.code}"
        except OSError as err:
            reason = str(err)
        print(f"waiting for {node} to join a green cluster ({attempt}): {reason}", flush=True)
        time.sleep(PAUSE)


def complete_lifecycle_action(hook, instance_id, region):
    """CONTINUE the launch hook of this server's group; after a reboot there is none to complete."""
    def aws(*args):
        return subprocess.run(["aws", "autoscaling", *args, "--region", region], stdout=subprocess.PIPE,
                              universal_newlines=True, check=False)
    found = aws("describe-auto-scaling-instances", "--instance-ids", instance_id,
                "--query", "AutoScalingInstances[0].[AutoScalingGroupName,LifecycleState]", "--output", "text")
    group, state = (found.stdout.split() + ["", ""])[:2] if found.returncode == 0 else ("", "")
    if state != "Pending:Wait":
        print(f"no launch to complete ({instance_id} is {state or 'unknown to Auto Scaling'})", flush=True)
        return
    done = aws("complete-lifecycle-action", "--auto-scaling-group-name", group, "--lifecycle-hook-name", hook,
               "--instance-id", instance_id, "--lifecycle-action-result", "CONTINUE")
    if done.returncode != 0:
        sys.exit(f"completing {hook} for {instance_id} failed (aws exited {done.returncode})")
    print(f"{instance_id} joined a green cluster: {group} counts it in service", flush=True)


def main():
    wait_for_cluster()
    if "ROLE" in os.environ:
        role = os.environ["ROLE"]
        put("_security/role", role, json.loads(os.environ["ROLE_BODY"]))
        put("_security/user", os.environ["TRACARDI_USERNAME"], {"password": secret("TRACARDI_PASSWORD"), "roles": [role]}, show=False)
        print("Tracardi's role and user are in place")
    if "REPOSITORY" in os.environ:
        put("_snapshot", os.environ["REPOSITORY"], json.loads(os.environ["REPOSITORY_BODY"]))
        put("_slm/policy", os.environ["POLICY"], json.loads(os.environ["POLICY_BODY"]))
        print("the snapshot repository and policy are in place")
    if "NODE_NAME" in os.environ:
        wait_until_joined_and_green(os.environ["NODE_NAME"])
        complete_lifecycle_action(os.environ["LIFECYCLE_HOOK"], os.environ["INSTANCE_ID"], os.environ["AWS_REGION"])


if __name__ == "__main__":
    main()
