import type { EnvVar, SecretKeyRef } from "./tracardiEnv";

/**
 * The user data of a Tracardi server without Kubernetes (Amazon Linux 2023): a bash script, run
 * once by cloud-init at first boot, that installs Docker and the CloudWatch agent and writes one
 * systemd unit per container and per one-shot script.
 *
 * Secrets are references only: every unit fetches the values it needs from one Secrets Manager
 * secret at EVERY start, into /run (tmpfs). No secret value is an input of this module, so none
 * can reach the user data, the launch template or the server's disk.
 *
 * Pure: the same arguments render the same text. Every name, path and image that lands in a unit
 * file or a command is checked first, and an error names the offending input.
 */

export interface VmContainer {
    /** Unit `tracardi-<name>.service`, container `<name>`. */
    name: string;
    image: string;
    env: EnvVar[];
    /** Publish the container's port 80 on this host port (API and GUI tiers); workers publish none. */
    hostPort?: number;
    /** docker --memory, MiB (workers: their limit). */
    memoryMiB?: number;
    /** Secret entries written as read-only files the container mounts, e.g. the search CA at the path ELASTIC_CA_FILE names. */
    files?: { secret: SecretKeyRef; path: string }[];
    /** Owner (uid) of those files on the host, for images that do not run as root (Elasticsearch: 1000). @default 0 */
    fileOwner?: number;
    /** The host's network instead of a bridge: the container binds the server's own addresses (and reaches IMDS at hop 1). */
    hostNetwork?: boolean;
    /** Host paths bind-mounted into the container (plain files or directories; never secrets). */
    mounts?: { source: string; target: string; readOnly: boolean }[];
    /** docker --ulimit values, e.g. "nofile=65535:65535". */
    ulimits?: string[];
    /** Commands run as root before each start, failures ignored (e.g. growing a data volume's filesystem after it was enlarged). */
    preStart?: string[];
}

export interface VmOneShot {
    /** Unit `tracardi-<name>.service`, run once per boot after the containers, on the host with python3 (AL2023 has it). */
    name: string;
    /** The python script (e.g. INSTALL_SCRIPT of lib/manifests.ts) */
    script: string;
    env: { name: string; value: string }[];
    /** Secret entries as files; `<NAME>_FILE` env points at each (as lib/manifests.ts pythonJob does). */
    secretFiles: Record<string, SecretKeyRef>;
    /** Unit it runs after (e.g. "tracardi-internal-api.service"). */
    after: string;
}

export interface ServerUserDataArgs {
    region: string;
    /** ARN of the Secrets Manager secret whose SecretString is a JSON object { "<ref.name>/<ref.key>": "<value>", ... } holding every secret the containers and one-shots name. */
    secretArn: string;
    /** CloudWatch Logs group the containers log to (docker awslogs driver). */
    logGroup: string;
    containers: VmContainer[];
    oneShots?: VmOneShot[];
    /**
     * Bash run once, after the preamble and before any unit is written (e.g. attaching and mounting
     * a data volume). Rendered by this program, never from user input; ends with a line feed.
     */
    setup?: string;
}

/** Plain files: unit specs, plain env files, scripts. Nothing secret. */
const ETC_DIR = "/etc/tracardi";
/** tmpfs: the only place secret values are written to. */
const RUN_DIR = "/run/tracardi";
const SCRIPTS_DIR = "/opt/tracardi";
export const FETCH_SECRETS = "/usr/local/bin/tracardi-fetch-secrets";
/** `INSTANCE_ID=i-...`, written at boot, read by the units for their log stream names. */
const INSTANCE_ENV_FILE = `${ETC_DIR}/instance.env`;
const CLOUDWATCH_AGENT_DIR = "/opt/aws/amazon-cloudwatch-agent";
export const CLOUDWATCH_AGENT_CONFIG_PATH = `${CLOUDWATCH_AGENT_DIR}/etc/tracardi.json`;

/**
 * The CloudWatch agent's configuration: memory used % and root-disk used %, per instance and per
 * Auto Scaling group (namespace CWAgent, metrics `mem_used_percent` and `disk_used_percent`).
 * The `${aws:...}` placeholders are the agent's own, filled in on the server.
 */
export const CLOUDWATCH_AGENT_CONFIG = {
    agent: { metrics_collection_interval: 60 },
    metrics: {
        namespace: "CWAgent",
        append_dimensions: { AutoScalingGroupName: "${aws:AutoScalingGroupName}", InstanceId: "${aws:InstanceId}" },
        aggregation_dimensions: [["AutoScalingGroupName"]],
        metrics_collected: {
            mem: { measurement: ["mem_used_percent"] },
            // Device names differ between instance types (nvme0n1p1, xvda1): leave them out of the dimensions.
            disk: { measurement: ["used_percent"], resources: ["/"], drop_device: true },
        },
    },
};

export const unitName = (name: string): string => `tracardi-${name}.service`;

/** The key a reference has in the Secrets Manager secret's JSON object. */
export const secretKey = (ref: SecretKeyRef): string => `${ref.name}/${ref.key}`;

// ---------------------------------------------------------------------------------------------
// Checks. Whatever lands in a unit file or on a command line is restricted to characters that
// neither bash nor systemd treat specially ($, %, quotes, spaces), so no quoting can go wrong.

const UNIT_PART = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const SECRET_PART = /^[A-Za-z0-9._-]+$/;
const IMAGE = /^[A-Za-z0-9][A-Za-z0-9._/:@-]*$/;
const ABSOLUTE_PATH = /^(\/[A-Za-z0-9._-]+)+$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-[0-9]+$/;
const LOG_GROUP = /^[A-Za-z0-9._/#-]{1,512}$/;
const SYSTEMD_UNIT = /^[A-Za-z0-9:_.@-]+\.(service|target|socket|mount|timer|path)$/;
const ULIMIT = /^[a-z]+=-?\d+(:-?\d+)?$/;
const COMMAND = /^(\/[A-Za-z0-9._-]+)+( [A-Za-z0-9._/=:-]+)*$/;

function check(ok: boolean, what: string, reason: string): void {
    if (!ok) {
        throw new Error(`user data: ${what} ${reason}`);
    }
}

function checkSecretRef(ref: SecretKeyRef, what: string): void {
    for (const [part, value] of [["name", ref.name], ["key", ref.key]] as const) {
        check(SECRET_PART.test(value) && value !== "." && value !== "..", `${what}: secret ${part} ${JSON.stringify(value)}`,
            "must be letters, digits, '.', '_' or '-' (and not '.' or '..')");
    }
}

function checkPath(path: string, what: string): void {
    check(ABSOLUTE_PATH.test(path) && !path.split("/").some((part) => part === "." || part === ".."), `${what} ${JSON.stringify(path)}`,
        "must be an absolute path of letters, digits, '.', '_', '-' and '/', without '.' or '..' parts");
}

function checkEnvNames(names: string[], what: string): void {
    const seen = new Set<string>();
    for (const name of names) {
        check(ENV_NAME.test(name), `${what}: environment variable ${JSON.stringify(name)}`, "is not a valid name ([A-Za-z_][A-Za-z0-9_]*)");
        check(!seen.has(name), `${what}: environment variable ${name}`, "is set twice");
        seen.add(name);
    }
}

function checkContainer(c: VmContainer): void {
    const what = `container ${JSON.stringify(c.name)}`;
    check(IMAGE.test(c.image), `${what}: image ${JSON.stringify(c.image)}`, "is not an image reference");
    checkEnvNames(c.env.map((e) => e.name), what);
    for (const e of c.env) {
        if ("value" in e) {
            // A docker env file holds one line per variable, taken literally: no line breaks, no NUL.
            check(!/[\n\r\0]/.test(e.value), `${what}: ${e.name}`, "has a line break or NUL: a docker env file cannot hold it (mount it as a file)");
        } else {
            checkSecretRef(e.secret, `${what}: ${e.name}`);
        }
    }
    if (c.hostPort !== undefined) {
        check(Number.isInteger(c.hostPort) && c.hostPort >= 1 && c.hostPort <= 65535, `${what}: hostPort ${c.hostPort}`, "must be an integer from 1 to 65535");
    }
    if (c.memoryMiB !== undefined) {
        // Docker refuses less than 6 MiB.
        check(Number.isInteger(c.memoryMiB) && c.memoryMiB >= 6, `${what}: memoryMiB ${c.memoryMiB}`, "must be an integer of at least 6");
    }
    for (const file of c.files ?? []) {
        checkPath(file.path, `${what}: file path`);
        checkSecretRef(file.secret, `${what}: file ${file.path}`);
    }
    if (c.fileOwner !== undefined) {
        check(Number.isInteger(c.fileOwner) && c.fileOwner >= 0 && c.fileOwner <= 65534, `${what}: fileOwner ${c.fileOwner}`, "must be a uid from 0 to 65534");
    }
    check(!(c.hostNetwork && c.hostPort !== undefined), `${what}: hostPort`, "cannot be combined with hostNetwork: the container binds the host's ports itself");
    for (const mount of c.mounts ?? []) {
        checkPath(mount.source, `${what}: mount source`);
        checkPath(mount.target, `${what}: mount target`);
    }
    for (const ulimit of c.ulimits ?? []) {
        check(ULIMIT.test(ulimit), `${what}: ulimit ${JSON.stringify(ulimit)}`, "is not a docker ulimit (name=soft[:hard])");
    }
    for (const command of c.preStart ?? []) {
        check(COMMAND.test(command), `${what}: preStart ${JSON.stringify(command)}`, "must be an absolute program and plain words (letters, digits, ._/=:-)");
    }
}

function checkOneShot(o: VmOneShot): void {
    const what = `one-shot ${JSON.stringify(o.name)}`;
    check(SYSTEMD_UNIT.test(o.after), `${what}: after ${JSON.stringify(o.after)}`, "is not a systemd unit name (e.g. tracardi-internal-api.service)");
    checkEnvNames([...o.env.map((e) => e.name), ...Object.keys(o.secretFiles).map((name) => `${name}_FILE`)], what);
    for (const e of o.env) {
        const control = [...e.value].some((c) => (c < " " && c !== "\t" && c !== "\n") || c === "\x7f");
        check(!control, `${what}: ${e.name}`, "has a control character other than tab or line feed");
    }
    for (const [name, ref] of Object.entries(o.secretFiles)) {
        checkSecretRef(ref, `${what}: ${name}`);
    }
}

function checkArgs(args: ServerUserDataArgs): void {
    check(REGION.test(args.region), `region ${JSON.stringify(args.region)}`, "is not an AWS region (e.g. eu-west-1)");
    check(args.secretArn.startsWith("arn:") && !/\s/.test(args.secretArn), `secretArn ${JSON.stringify(args.secretArn)}`, "is not an ARN");
    check(LOG_GROUP.test(args.logGroup), `logGroup ${JSON.stringify(args.logGroup)}`, "must be 1 to 512 of letters, digits, '.', '_', '-', '/' and '#'");
    check(args.containers.length > 0, "containers", "must name at least one container");
    const names = new Set<string>();
    for (const name of [...args.containers.map((c) => c.name), ...(args.oneShots ?? []).map((o) => o.name)]) {
        check(UNIT_PART.test(name), `name ${JSON.stringify(name)}`, "must be lower-case letters, digits and inner '-'");
        check(!names.has(name), `name ${name}`, "is used twice (each container and one-shot is a unit tracardi-<name>.service)");
        names.add(name);
    }
    args.containers.forEach(checkContainer);
    (args.oneShots ?? []).forEach(checkOneShot);
    check(args.setup === undefined || args.setup.endsWith("\n"), "setup", "must end with a line feed");
}

// ---------------------------------------------------------------------------------------------
// Quoting.

/** One bash word that stands for `s` exactly. */
export function shellQuote(s: string): string {
    return /^[A-Za-z0-9_/.:,=@%+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * A bash command writing `content` to `path` byte for byte (a heredoc with a quoted delimiter
 * expands nothing), then setting its mode. `content` is empty or ends with a line feed.
 */
export function writeFileCommand(path: string, content: string, mode: string): string {
    if (content !== "" && !content.endsWith("\n")) {
        throw new Error(`user data: ${path}: content must end with a line feed`);
    }
    const lines = new Set(content.split("\n"));
    let delimiter = "TRACARDI_EOF";
    for (let i = 1; lines.has(delimiter); i++) {
        delimiter = `TRACARDI_EOF_${i}`;
    }
    return `cat > ${shellQuote(path)} <<'${delimiter}'\n${content}${delimiter}\nchmod ${mode} ${shellQuote(path)}\n`;
}

/** A systemd `Environment=` assignment that sets `name` to `value` exactly (no `$` expansion there; `%` is a specifier). */
function systemdEnvironment(name: string, value: string): string {
    const escaped = `${name}=${value}`.replace(/\\/g, "\\\\").replace(/"/g, "\\\"").replace(/%/g, "%%").replace(/\n/g, "\\n").replace(/\t/g, "\\t");
    return `Environment="${escaped}"`;
}

// ---------------------------------------------------------------------------------------------
// The secrets fetcher.

/** What one unit fetches; written to `<ETC_DIR>/<name>.secrets.json`. References and paths only. */
export interface SecretSpec {
    region: string;
    secretId: string;
    /** The unit's directory under RUN_DIR. */
    dir: string;
    /** Written to `<dir>/secret.env` as a docker env file. */
    env: { name: string; key: string }[];
    /** `uid`: the file's owner, when not root. */
    files: { key: string; path: string; uid?: number }[];
}

/**
 * Runs as `ExecStartPre=` of every unit with secrets. Python 3.9 (AL2023's) and the AWS CLI v2,
 * both on the AMI. It prints key names, never values.
 */
export const FETCH_SECRETS_SCRIPT = String.raw`#!/usr/bin/python3
"""Fetches one Tracardi unit's secrets from AWS Secrets Manager, at every start of the unit.

Usage: tracardi-fetch-secrets SPEC.json. The spec (references only) names the secret, the
variables to write to <dir>/secret.env (a docker env file) and the files to write. The secret's
SecretString is a JSON object {"<secret name>/<key>": "<value>", ...}. Everything written lands on
tmpfs under /run, directories 0700, files 0600.
"""
import json
import os
import subprocess
import sys


def write(path, text, uid=None):
    os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
    temporary = path + ".tmp"
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(text)
    if uid is not None:
        os.chown(temporary, uid, -1)
    os.replace(temporary, path)


def main(spec_path):
    os.umask(0o077)
    with open(spec_path, encoding="utf-8") as file:
        spec = json.load(file)
    command = ["aws", "secretsmanager", "get-secret-value", "--region", spec["region"],
               "--secret-id", spec["secretId"], "--query", "SecretString", "--output", "text"]
    result = subprocess.run(command, stdout=subprocess.PIPE, universal_newlines=True, check=False)
    if result.returncode != 0:
        sys.exit(f"tracardi-fetch-secrets: reading {spec['secretId']} failed (aws exited {result.returncode})")
    try:
        values = json.loads(result.stdout)
    except ValueError:
        sys.exit(f"tracardi-fetch-secrets: the SecretString of {spec['secretId']} is not JSON")
    if not isinstance(values, dict):
        sys.exit(f"tracardi-fetch-secrets: the SecretString of {spec['secretId']} is not a JSON object")
    wanted = [entry["key"] for entry in spec["env"] + spec["files"]]
    missing = sorted({key for key in wanted if not isinstance(values.get(key), str)})
    if missing:
        sys.exit(f"tracardi-fetch-secrets: {spec['secretId']} has no string for: {', '.join(missing)}")
    os.makedirs(spec["dir"], mode=0o700, exist_ok=True)
    os.chmod(os.path.dirname(spec["dir"]), 0o700)
    os.chmod(spec["dir"], 0o700)
    lines = []
    for entry in spec["env"]:
        value = values[entry["key"]]
        if any(c in value for c in "\n\r\0"):
            sys.exit(f"tracardi-fetch-secrets: {entry['key']} has a line break: an env file cannot hold it")
        lines.append(f"{entry['name']}={value}\n")
    write(os.path.join(spec["dir"], "secret.env"), "".join(lines))
    for entry in spec["files"]:
        write(entry["path"], values[entry["key"]], entry.get("uid"))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: tracardi-fetch-secrets SPEC.json")
    main(sys.argv[1])
`;

const specPath = (name: string): string => `${ETC_DIR}/${name}.secrets.json`;
const runDir = (name: string): string => `${RUN_DIR}/${name}`;
/** Where a container's secret file lands on the host, bind-mounted read-only into the container. */
const containerFile = (name: string, ref: SecretKeyRef): string => `${runDir(name)}/files/${ref.name}/${ref.key}`;
/** Where a one-shot reads a secret file, as pythonJob lays them out: `<dir>/<secret name>/<key>`. */
const oneShotFile = (name: string, ref: SecretKeyRef): string => `${runDir(name)}/${ref.name}/${ref.key}`;

type SecretEnv = { name: string; secret: SecretKeyRef };
const isSecret = (e: EnvVar): e is SecretEnv => "secret" in e;
const isPlain = (e: EnvVar): e is { name: string; value: string } => "value" in e;

function containerSpec(args: ServerUserDataArgs, c: VmContainer): SecretSpec {
    return {
        region: args.region,
        secretId: args.secretArn,
        dir: runDir(c.name),
        env: c.env.filter(isSecret).map((e) => ({ name: e.name, key: secretKey(e.secret) })),
        files: (c.files ?? []).map((f) => ({
            key: secretKey(f.secret), path: containerFile(c.name, f.secret), ...(c.fileOwner ? { uid: c.fileOwner } : {}),
        })),
    };
}

function oneShotSpec(args: ServerUserDataArgs, o: VmOneShot): SecretSpec {
    return {
        region: args.region,
        secretId: args.secretArn,
        dir: runDir(o.name),
        env: [],
        files: Object.values(o.secretFiles).map((ref) => ({ key: secretKey(ref), path: oneShotFile(o.name, ref) })),
    };
}

const hasSecrets = (spec: SecretSpec): boolean => spec.env.length + spec.files.length > 0;
const json = (value: unknown): string => `${JSON.stringify(value)}\n`;


// ---------------------------------------------------------------------------------------------
// Units.

/** The plain (not secret) variables of a container, as a docker env file: `NAME=value`, taken literally. */
function plainEnvFile(c: VmContainer): string {
    return c.env.filter(isPlain).map((e) => `${e.name}=${e.value}\n`).join("");
}

function containerUnit(args: ServerUserDataArgs, c: VmContainer, spec: SecretSpec): string {
    const secrets = hasSecrets(spec);
    const run = [
        `/usr/bin/docker run --rm --name ${c.name}`,
        `--env-file ${ETC_DIR}/${c.name}.env`,
        ...(secrets ? [`--env-file ${spec.dir}/secret.env`] : []),
        ...(c.hostNetwork ? ["--network host"] : []),
        ...(c.hostPort !== undefined ? [`-p ${c.hostPort}:80`] : []),
        ...(c.memoryMiB !== undefined ? [`--memory ${c.memoryMiB}m`] : []),
        ...(c.ulimits ?? []).map((u) => `--ulimit ${u}`),
        ...(c.mounts ?? []).map((m) => `-v ${m.source}:${m.target}${m.readOnly ? ":ro" : ""}`),
        ...(c.files ?? []).map((f) => `-v ${containerFile(c.name, f.secret)}:${f.path}:ro`),
        "--log-driver awslogs",
        // Non-blocking: a throttled CloudWatch Logs or a lost NAT must not stall the app's stdout.
        "--log-opt mode=non-blocking",
        "--log-opt max-buffer-size=4m",
        `--log-opt awslogs-region=${args.region}`,
        `--log-opt awslogs-group=${args.logGroup}`,
        // systemd puts the instance id (from INSTANCE_ENV_FILE) in place of ${INSTANCE_ID}.
        `--log-opt awslogs-stream=${c.name}-\${INSTANCE_ID}`,
        c.image,
    ];
    return [
        "[Unit]",
        `Description=Tracardi ${c.name} (${c.image})`,
        "After=docker.service network-online.target",
        "Requires=docker.service",
        "Wants=network-online.target",
        // A data volume mounted by the setup (and by fstab after a reboot) is there before the container.
        ...(c.mounts ?? []).filter((m) => !m.readOnly).map((m) => `RequiresMountsFor=${m.source}`),
        // Never give up restarting.
        "StartLimitIntervalSec=0",
        "",
        "[Service]",
        `EnvironmentFile=${INSTANCE_ENV_FILE}`,
        ...(secrets ? [`ExecStartPre=${FETCH_SECRETS} ${specPath(c.name)}`] : []),
        ...(c.preStart ?? []).map((command) => `ExecStartPre=-${command}`),
        `ExecStartPre=-/usr/bin/docker rm -f ${c.name}`,
        `ExecStart=${run.join(" \\\n    ")}`,
        `ExecStop=/usr/bin/docker stop -t 30 ${c.name}`,
        "Restart=always",
        "RestartSec=10",
        "",
        "[Install]",
        "WantedBy=multi-user.target",
        "",
    ].join("\n");
}

function oneShotUnit(o: VmOneShot, spec: SecretSpec): string {
    return [
        "[Unit]",
        `Description=Tracardi ${o.name} (runs once per boot)`,
        `After=${o.after}`,
        `Wants=${o.after}`,
        "StartLimitIntervalSec=0",
        "",
        "[Service]",
        // Not oneshot: a oneshot wanted by multi-user.target would hold a reboot up for as long as it
        // runs. It runs to the end once, and again only on failure.
        "Type=exec",
        `EnvironmentFile=${INSTANCE_ENV_FILE}`,
        ...o.env.map((e) => systemdEnvironment(e.name, e.value)),
        ...Object.entries(o.secretFiles).map(([name, ref]) => systemdEnvironment(`${name}_FILE`, oneShotFile(o.name, ref))),
        ...(hasSecrets(spec) ? [`ExecStartPre=${FETCH_SECRETS} ${specPath(o.name)}`] : []),
        `ExecStart=/usr/bin/python3 ${SCRIPTS_DIR}/${o.name}.py`,
        "Restart=on-failure",
        "RestartSec=30",
        "",
        "[Install]",
        "WantedBy=multi-user.target",
        "",
    ].join("\n");
}

// ---------------------------------------------------------------------------------------------
// The script.

const PREAMBLE = `#!/bin/bash
# Tracardi server set-up, rendered by lib/vmUserData.ts. It holds no secret value: the units fetch
# theirs from Secrets Manager at every start, into ${RUN_DIR} (tmpfs).
set -euo pipefail
umask 022

dnf install -y docker
dnf install -y amazon-cloudwatch-agent
systemctl enable --now docker

# The instance id names the containers' log streams (IMDSv2).
imds_token=$(curl -fsS --retry 5 -X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 300' http://169.254.169.254/latest/api/token)
instance_id=$(curl -fsS --retry 5 -H "X-aws-ec2-metadata-token: \${imds_token}" http://169.254.169.254/latest/meta-data/instance-id)
if [[ ! \${instance_id} =~ ^i-[0-9a-f]+$ ]]; then
    echo "unexpected instance id from IMDS: \${instance_id}" >&2
    exit 1
fi
install -d -m 0755 ${ETC_DIR} ${SCRIPTS_DIR}
printf 'INSTANCE_ID=%s\\n' "\${instance_id}" > ${INSTANCE_ENV_FILE}
`;

/** The rendered user data: a bash script for Amazon Linux 2023. See the module comment. */
export function renderServerUserData(args: ServerUserDataArgs): string {
    checkArgs(args);
    const oneShots = args.oneShots ?? [];
    const units = [...args.containers.map((c) => unitName(c.name)), ...oneShots.map((o) => unitName(o.name))];
    const parts: string[] = [PREAMBLE];
    if (args.setup) {
        parts.push("\n", args.setup);
    }

    parts.push("\n# CloudWatch agent: memory and root-disk used %.\n",
        writeFileCommand(CLOUDWATCH_AGENT_CONFIG_PATH, json(CLOUDWATCH_AGENT_CONFIG), "0644"),
        `${CLOUDWATCH_AGENT_DIR}/bin/amazon-cloudwatch-agent-ctl -a fetch-config -m ec2 -s -c file:${CLOUDWATCH_AGENT_CONFIG_PATH}\n`);

    parts.push("\n# Fetches a unit's secrets into /run at every start of the unit.\n", writeFileCommand(FETCH_SECRETS, FETCH_SECRETS_SCRIPT, "0755"));

    for (const c of args.containers) {
        const spec = containerSpec(args, c);
        parts.push(`\n# Container ${c.name}: ${c.image}\n`, writeFileCommand(`${ETC_DIR}/${c.name}.env`, plainEnvFile(c), "0600"));
        if (hasSecrets(spec)) {
            parts.push(writeFileCommand(specPath(c.name), json(spec), "0600"));
        }
        parts.push(writeFileCommand(`/etc/systemd/system/${unitName(c.name)}`, containerUnit(args, c, spec), "0644"));
    }
    for (const o of oneShots) {
        const spec = oneShotSpec(args, o);
        const script = o.script.endsWith("\n") ? o.script : `${o.script}\n`;
        parts.push(`\n# One-shot ${o.name}, after ${o.after}\n`, writeFileCommand(`${SCRIPTS_DIR}/${o.name}.py`, script, "0644"));
        if (hasSecrets(spec)) {
            parts.push(writeFileCommand(specPath(o.name), json(spec), "0600"));
        }
        parts.push(writeFileCommand(`/etc/systemd/system/${unitName(o.name)}`, oneShotUnit(o, spec), "0644"));
    }

    // --no-block: a failing fetch or a long one-shot must not fail or hold up cloud-init; the
    // units retry on their own.
    parts.push("\nsystemctl daemon-reload\n",
        `systemctl enable ${units.map(shellQuote).join(" ")}\n`,
        `systemctl start --no-block ${units.map(shellQuote).join(" ")}\n`);
    // EC2's 16 KB limit applies to what the launch template carries: the gzipped text (components/vmTier.ts).
    return parts.join("");
}

/** Every "<name>/<key>" the user data fetches: the keys the Secrets Manager secret must hold. */
export function secretKeysOf(args: ServerUserDataArgs): string[] {
    const refs = [
        ...args.containers.flatMap((c) => [...c.env.filter(isSecret).map((e) => e.secret), ...(c.files ?? []).map((f) => f.secret)]),
        ...(args.oneShots ?? []).flatMap((o) => Object.values(o.secretFiles)),
    ];
    return [...new Set(refs.map(secretKey))].sort();
}
