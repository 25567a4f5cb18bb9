"""First installation of Tracardi through its API, without a browser.

Idempotent: when GET /install reports the schema and an admin in place it changes nothing.
Reads TRACARDI_API_URL and ADMIN_EMAIL from the environment, and the admin's password and the
installation token from the files ADMIN_PASSWORD_FILE and INSTALLATION_TOKEN_FILE name.
"""
import json
import os
import sys
import time
import urllib.error
import urllib.request

API = os.environ["TRACARDI_API_URL"].rstrip("/")
ATTEMPTS = int(os.environ.get("WAIT_ATTEMPTS", "60"))
PAUSE = float(os.environ.get("WAIT_SECONDS", "10"))


def call(method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(API + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
    # Installation creates every index; it can take minutes on a fresh cluster.
    with urllib.request.urlopen(request, timeout=900) as response:
        return json.load(response)


def status():
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return call("GET", "/install")
        except urllib.error.HTTPError as err:
            if err.code < 500:
                raise
            print(f"waiting for {API} ({attempt}/{ATTEMPTS}): HTTP {err.code}", flush=True)
            time.sleep(PAUSE)
        except OSError as err:  # connection refused, DNS not ready, timeouts
            print(f"waiting for {API} ({attempt}/{ATTEMPTS}): {err}", flush=True)
            time.sleep(PAUSE)
    sys.exit(f"{API} did not answer GET /install")


def secret(name):
    """A secret from the file <name>_FILE names (mounted from a Kubernetes Secret)."""
    with open(os.environ[f"{name}_FILE"], encoding="utf-8") as file:
        return file.read()


def installed(state):
    return bool(state.get("schema_ok")) and bool(state.get("admin_ok"))


def main():
    before = status()
    if installed(before):
        print("Tracardi is installed and has an admin: nothing to do")
        return
    body = {
        "username": os.environ["ADMIN_EMAIL"],
        "password": secret("ADMIN_PASSWORD"),
        "token": secret("INSTALLATION_TOKEN"),
        "needs_admin": not before.get("admin_ok"),
        "update_mapping": False,
    }
    try:
        result = call("POST", "/install", body)
    except urllib.error.HTTPError as err:
        if err.code == 403:
            sys.exit("POST /install was refused (403): the installation token or the admin e-mail is wrong")
        raise
    print("installation result:", json.dumps(result), flush=True)
    after = status()
    if not installed(after):
        sys.exit("installation incomplete: " + json.dumps(after))
    print("Tracardi installed")


if __name__ == "__main__":
    main()
