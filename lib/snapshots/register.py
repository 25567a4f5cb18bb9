"""Sets up the search cluster for Tracardi as its superuser: Tracardi's role and user, the S3
snapshot repository and the snapshot lifecycle policy.

Each part runs when its variables are given (the stack runs them as two jobs, or two units on each
search server): ROLE, ROLE_BODY and TRACARDI_USERNAME for the role and user; REPOSITORY,
REPOSITORY_BODY, POLICY and POLICY_BODY for snapshots; on a search server of its own, NODE_NAME,
LIFECYCLE_HOOK, INSTANCE_ID, AWS_REGION and FIRST_MASTERS_FILE to wait until the node has joined
and the cluster is green, then let its Auto Scaling group count the server in service. Idempotent: every PUT replaces what is there with the bodies given (the user's password
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
import threading
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
# A search server's launch: heartbeats while shards recover, and how long at most before it completes anyway.
HEARTBEAT_SECONDS = float(os.environ.get("HEARTBEAT_SECONDS", "300"))
READY_HOURS = float(os.environ.get("READY_HOURS", "6"))
# Answers of a cluster that is still forming: no master yet, or not yellow within the timeout.
NOT_READY = {408, 429, 502, 503, 504}


def call(method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(URL + path, data=data, method=method, headers={
        "Authorization": AUTHORIZATION, "Content-Type": "application/json"})
    context = TLS if URL.startswith("https:") else None
    with urllib.request.urlopen(request, timeout=120, context=context) as response:
        return json.load(response)


def wait(what, check, attempts=None):
    """Calls check() until it returns no reason to wait; a forming cluster's answers and network errors are reasons too."""
    attempt = 0
    while attempts is None or attempt < attempts:
        attempt += 1
        try:
            reason = check()
            if reason is None:
                return
        except urllib.error.HTTPError as err:
            if err.code not in NOT_READY:
                raise
            reason = f"HTTP {err.code}"
        except OSError as err:  # connection refused, DNS not ready, timeouts
            reason = str(err)
        print(f"waiting for {what} ({attempt}{'' if attempts is None else f'/{attempts}'}): {reason}", flush=True)
        time.sleep(PAUSE)
    sys.exit(f"{what}: not ready after {attempts} attempts")


def wait_for_cluster():
    def yellow():
        status = call("GET", "/_cluster/health?wait_for_status=yellow&timeout=10s").get("status")
        return None if status in ("yellow", "green") else f"status {status}"
    wait(f"{URL} to reach yellow health", yellow, ATTEMPTS)


def put(kind, name, body, show=True):
    """PUT a body; the answer is printed unless it could echo a secret."""
    try:
        result = call("PUT", f"/{kind}/{urllib.parse.quote(name, safe='')}", body)
    except urllib.error.HTTPError as err:
        sys.exit(f"PUT /{kind}/{name} failed with HTTP {err.code}: {err.read().decode(errors='replace')}")
    print(f"PUT /{kind}/{name}: {json.dumps(result) if show else 'done'}", flush=True)


def autoscaling(region, *args):
    """An AWS CLI autoscaling call; its standard output, or None when it failed."""
    done = subprocess.run([os.environ.get("AWS_CLI", "aws"), "autoscaling", *args, "--region", region],
                          stdout=subprocess.PIPE, universal_newlines=True, check=False)
    return done.stdout if done.returncode == 0 else None


def pending_launch(instance_id, region):
    """This server's group while its launch waits on a lifecycle hook; None after a reboot (nothing to complete)."""
    found = autoscaling(region, "describe-auto-scaling-instances", "--instance-ids", instance_id,
                        "--query", "AutoScalingInstances[0].[AutoScalingGroupName,LifecycleState]", "--output", "text")
    if found is None:
        sys.exit(f"cannot tell whether {instance_id} is launching (aws failed): trying again")
    group, state = (found.split() + ["", ""])[:2]
    if state != "Pending:Wait":
        print(f"no launch to complete ({instance_id} is {state or 'unknown to Auto Scaling'})", flush=True)
        return None
    return group


class NodeLaunch:
    """
    A search server's launch, held by its group's lifecycle hook. Until the node has joined, nothing
    is sent: the hook's timeout gives a server that never joins up, and the group starts another.
    Once joined, the node stops naming the first masters (they bootstrap a cluster only once), and a
    thread records heartbeats while Tracardi's user is set up and shards recover; the launch
    completes when the cluster is green, or after READY_HOURS anyway (the node serves: replacing it
    would not help a cluster that cannot turn green).
    """

    def __init__(self, node, hook, instance_id, region, first_masters_file):
        self.node, self.hook, self.instance_id, self.region = node, hook, instance_id, region
        self.group = pending_launch(instance_id, region)
        wait(f"{node} to join the cluster",
             lambda: None if node in [n["name"] for n in call("GET", "/_cat/nodes?format=json&h=name")] else "not a member yet")
        if first_masters_file:
            forget_first_masters(first_masters_file)
        self.done = threading.Event()
        if self.group:
            threading.Thread(target=self.beat, daemon=True).start()

    def hook_call(self, action, *args):
        return autoscaling(self.region, action, "--auto-scaling-group-name", self.group, "--lifecycle-hook-name", self.hook,
                           "--instance-id", self.instance_id, *args)

    def beat(self):
        while not self.done.wait(HEARTBEAT_SECONDS):
            if self.hook_call("record-lifecycle-action-heartbeat") is None:
                print(f"recording a heartbeat of {self.hook} failed", flush=True)

    def finish(self):
        if not self.group:
            return
        deadline = time.monotonic() + READY_HOURS * 3600

        def green():
            status = call("GET", "/_cluster/health").get("status")
            return None if status == "green" or time.monotonic() > deadline else f"status {status}"
        wait("a green cluster", green)
        self.done.set()
        if self.hook_call("complete-lifecycle-action", "--lifecycle-action-result", "CONTINUE") is None:
            sys.exit(f"completing {self.hook} for {self.instance_id} failed: trying again")
        print(f"{self.instance_id}: {self.node} has joined; {self.group} counts it in service", flush=True)


def forget_first_masters(path):
    """Drops cluster.initial_master_nodes from the node's configuration (read at its next start), atomically."""
    with open(path, encoding="utf-8") as file:
        lines = file.readlines()
    kept = [line for line in lines if not line.startswith("cluster.initial_master_nodes:")]
    if kept != lines:
        with open(path + ".tmp", "w", encoding="utf-8") as file:
            file.writelines(kept)
        os.chmod(path + ".tmp", os.stat(path).st_mode)
        os.replace(path + ".tmp", path)
        print(f"the node has joined: cluster.initial_master_nodes removed from {path}", flush=True)


def main():
    # A search server's launch is held from the moment its node has joined: before Tracardi's user
    # is set up, which needs a cluster that has elected a master and recovered enough to answer.
    launch = NodeLaunch(os.environ["NODE_NAME"], os.environ["LIFECYCLE_HOOK"], os.environ["INSTANCE_ID"], os.environ["AWS_REGION"],
                        os.environ.get("FIRST_MASTERS_FILE")) if "NODE_NAME" in os.environ else None
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
    if launch:
        launch.finish()


if __name__ == "__main__":
    main()
