import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fc from "fast-check";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { INSTALL_SCRIPT } from "../lib/manifests";
import { EnvVar, SecretKeyRef } from "../lib/tracardiEnv";
import {
    CLOUDWATCH_AGENT_CONFIG, CLOUDWATCH_AGENT_CONFIG_PATH, FETCH_SECRETS, FETCH_SECRETS_SCRIPT, renderServerUserData, secretKeysOf,
    SecretSpec, ServerUserDataArgs, shellQuote, writeFileCommand,
} from "../lib/vmUserData";

const ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:tracardi-prod-AbCdEf";
const STACK = (key: string): SecretKeyRef => ({ name: "tracardi-secrets", key });
const CA: SecretKeyRef = { name: "tracardi-search-ca", key: "ca.crt" };
const SEARCH_PASSWORD: SecretKeyRef = { name: "tracardi-search-user", key: "password" };

/** Plain values a shell or systemd would mangle if quoted carelessly. */
const AWKWARD = "it's \"quoted\" $HOME ${X} $(id) `id` \\ %s %n; & | * ? ~ {a,b} #not-a-comment \t tab";

const DATA_ENV: EnvVar[] = [
    { name: "ELASTIC_HOST", value: "search.example.com:443" },
    { name: "ELASTIC_HTTP_AUTH_PASSWORD", secret: SEARCH_PASSWORD },
    { name: "ELASTIC_CA_FILE", value: "/etc/tracardi/elastic-ca/ca.crt" },
    { name: "MYSQL_PASSWORD", secret: STACK("MYSQL_PASSWORD") },
    { name: "INSTALLATION_TOKEN", secret: STACK("INSTALLATION_TOKEN") },
];

const ARGS: ServerUserDataArgs = {
    region: "eu-west-1",
    secretArn: ARN,
    logGroup: "/tracardi/prod/servers",
    containers: [
        {
            name: "internal-api", image: "tracardi/tracardi-api:1.0.0", hostPort: 30081, memoryMiB: 768,
            env: [{ name: "EXPOSE_GUI_API", value: "yes" }, { name: "AWKWARD", value: AWKWARD }, ...DATA_ENV],
            files: [{ secret: CA, path: "/etc/tracardi/elastic-ca/ca.crt" }],
        },
        {
            name: "update-worker", image: "tracardi/update-worker:1.0.0", memoryMiB: 500,
            env: [{ name: "LOGGING_LEVEL", value: "WARNING" }, ...DATA_ENV, { name: "AUTO_PROFILE_MERGING", secret: STACK("AUTO_PROFILE_MERGING") }],
            files: [{ secret: CA, path: "/etc/tracardi/elastic-ca/ca.crt" }],
        },
        { name: "gui", image: "tracardi/tracardi-gui:1.0.0", hostPort: 30082, env: [] },
    ],
    oneShots: [{
        name: "install", script: INSTALL_SCRIPT, after: "tracardi-internal-api.service",
        env: [{ name: "TRACARDI_API_URL", value: "http://127.0.0.1:30081" }, { name: "ADMIN_EMAIL", value: "admin@example.com" }],
        secretFiles: { ADMIN_PASSWORD: STACK("ADMIN_PASSWORD"), INSTALLATION_TOKEN: STACK("INSTALLATION_TOKEN") },
    }],
};

/** What the Secrets Manager secret would hold: a marker per key, and a CA of several lines. */
function secretStore(args: ServerUserDataArgs): Record<string, string> {
    return Object.fromEntries(secretKeysOf(args).map((key) => [key, key === "tracardi-search-ca/ca.crt"
        ? "-----BEGIN CERTIFICATE-----\nSECRET-MARKER-CA\n-----END CERTIFICATE-----\n"
        : `SECRET-MARKER-${key}-it's $x`]));
}

const tmpDirs: string[] = [];
function tmpDir(prefix: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    tmpDirs.push(dir);
    return dir;
}

function run(command: string, args: string[], options: { input?: string; env?: NodeJS.ProcessEnv } = {}) {
    const result = spawnSync(command, args, { input: options.input, env: options.env ?? process.env, encoding: "utf8" });
    if (result.error) {
        throw result.error;
    }
    return result;
}

const WRITE = /^cat > (\S+) <<'(\w+)'\n([\s\S]*?)^\2\nchmod ([0-7]{4}) \1\n/gm;

/** The files the user data writes, by path, as its own text says (no bash involved). */
function writtenFiles(userData: string): Map<string, string> {
    return new Map([...userData.matchAll(WRITE)].map((m) => [m[1], m[3]]));
}

/**
 * Runs the user data's own file-writing commands through bash, with every path moved under
 * `root`: what the server's disk would hold. Returns `root`.
 */
function writeWithBash(userData: string, root: string): string {
    const blocks = [...userData.matchAll(WRITE)].map((m) => m[0].split(m[1]).join(shellQuote(root + m[1])));
    const dirs = [...userData.matchAll(WRITE)].map((m) => shellQuote(path.dirname(root + m[1])));
    const result = run("bash", ["-c", `set -euo pipefail\nmkdir -p ${dirs.join(" ")}\n${blocks.join("")}`]);
    assert.strictEqual(result.status, 0, result.stderr);
    return root;
}

/** The unit `tracardi-<name>.service` as written, and its ExecStart with line continuations joined. */
function unit(userData: string, name: string): { text: string; execStart: string } {
    const text = writtenFiles(userData).get(`/etc/systemd/system/tracardi-${name}.service`);
    assert.ok(text, `no unit for ${name}`);
    const execStart = /^ExecStart=((?:.*\\\n)*.*)$/m.exec(text)?.[1].replace(/ *\\\n */g, " ") ?? "";
    return { text, execStart };
}

function specOf(userData: string, name: string): SecretSpec | undefined {
    const text = writtenFiles(userData).get(`/etc/tracardi/${name}.secrets.json`);
    return text === undefined ? undefined : JSON.parse(text);
}

const onPath = (tool: string) => run("bash", ["-c", `command -v ${tool}`]).status === 0;

/**
 * Runs the fetch script on a unit's spec against a stand-in `aws` that prints `secretString`, with
 * the spec's paths moved under `root`. Returns the run and the arguments `aws` got.
 */
function fetchSecrets(userData: string, name: string, root: string, secretString: string) {
    const spec = specOf(userData, name);
    assert.ok(spec, `no secrets spec for ${name}`);
    const moved: SecretSpec = { ...spec, dir: root + spec.dir, files: spec.files.map((f) => ({ ...f, path: root + f.path })) };
    const bin = path.join(root, "fake-bin");
    fs.mkdirSync(bin, { recursive: true });
    fs.writeFileSync(path.join(root, "secret-string"), secretString);
    fs.writeFileSync(path.join(bin, "aws"), `#!/bin/bash\nprintf '%s\\n' "$@" > ${shellQuote(path.join(root, "aws-args"))}\ncat ${shellQuote(path.join(root, "secret-string"))}\necho\n`, { mode: 0o755 });
    const specFile = path.join(root, `${name}.spec.json`);
    fs.writeFileSync(specFile, JSON.stringify(moved));
    const script = writtenFiles(userData).get(FETCH_SECRETS);
    assert.ok(script);
    const fetcher = path.join(root, "fetch-secrets");
    fs.writeFileSync(fetcher, script, { mode: 0o755 });
    const result = run(fetcher, [specFile], { env: { ...process.env, PATH: `${bin}:${process.env.PATH}` } });
    const awsArgs = fs.existsSync(path.join(root, "aws-args")) ? fs.readFileSync(path.join(root, "aws-args"), "utf8").trimEnd().split("\n") : [];
    return { result, awsArgs, spec: moved };
}

/** Every file under `dir`, recursively. */
function filesUnder(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
        const full = path.join(dir, entry.name);
        return entry.isDirectory() ? filesUnder(full) : [full];
    });
}

const mode = (file: string) => (fs.statSync(file).mode & 0o777).toString(8);

describe("VM user data", () => {
    const userData = renderServerUserData(ARGS);
    after(() => tmpDirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

    it("is a bash script that parses (bash -n) and, where shellcheck is installed, passes it", () => {
        assert.ok(userData.startsWith("#!/bin/bash\n"));
        assert.match(userData, /^set -euo pipefail$/m);
        const parsed = run("bash", ["-n"], { input: userData });
        assert.strictEqual(parsed.status, 0, parsed.stderr);
        // CI runs shellcheck on the rendered examples; `npm test` must not need it.
        if (onPath("shellcheck")) {
            const checked = run("shellcheck", ["-s", "bash", "-"], { input: userData });
            assert.strictEqual(checked.status, 0, checked.stdout);
        }
    });

    it("installs Docker and the CloudWatch agent, reporting memory and root-disk use", () => {
        assert.match(userData, /^dnf install -y docker$/m);
        assert.match(userData, /^dnf install -y amazon-cloudwatch-agent$/m);
        assert.match(userData, /^systemctl enable --now docker$/m);
        const config = JSON.parse(writtenFiles(userData).get(CLOUDWATCH_AGENT_CONFIG_PATH) ?? "{}");
        assert.deepStrictEqual(config, CLOUDWATCH_AGENT_CONFIG);
        assert.deepStrictEqual(config.metrics.metrics_collected.mem.measurement, ["mem_used_percent"]);
        assert.deepStrictEqual(config.metrics.metrics_collected.disk, { measurement: ["used_percent"], resources: ["/"], drop_device: true });
        assert.ok(userData.includes(`amazon-cloudwatch-agent-ctl -a fetch-config -m ec2 -s -c file:${CLOUDWATCH_AGENT_CONFIG_PATH}\n`));
    });

    it("reads the instance id through IMDSv2 for the log stream names", () => {
        assert.match(userData, /curl -fsS --retry 5 -X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 300' http:\/\/169\.254\.169\.254\/latest\/api\/token/);
        assert.match(userData, /-H "X-aws-ec2-metadata-token: \$\{imds_token\}" http:\/\/169\.254\.169\.254\/latest\/meta-data\/instance-id/);
        for (const name of ["internal-api", "update-worker", "gui"]) {
            assert.match(unit(userData, name).text, /^EnvironmentFile=\/etc\/tracardi\/instance\.env$/m);
        }
    });

    it("runs each container's image with exactly its plain environment, written byte for byte by bash", () => {
        const root = writeWithBash(userData, tmpDir("vm-user-data-"));
        for (const container of ARGS.containers) {
            const plain = container.env.flatMap((e) => ("value" in e ? [`${e.name}=${e.value}\n`] : [])).join("");
            assert.strictEqual(fs.readFileSync(path.join(root, `etc/tracardi/${container.name}.env`), "utf8"), plain, container.name);
            assert.strictEqual(mode(path.join(root, `etc/tracardi/${container.name}.env`)), "600");
            const { execStart } = unit(userData, container.name);
            assert.ok(execStart.startsWith(`/usr/bin/docker run --rm --name ${container.name} --env-file /etc/tracardi/${container.name}.env `), execStart);
            assert.ok(execStart.endsWith(` ${container.image}`), execStart);
        }
        assert.ok(fs.readFileSync(path.join(root, "etc/tracardi/internal-api.env"), "utf8").includes(`AWKWARD=${AWKWARD}\n`));
    });

    it("writes any single-line plain value through bash unchanged", () => {
        const values = fc.sample(fc.string({ unit: "binary", maxLength: 40 }).filter((s) => !/[\n\r\0]/.test(s)), { numRuns: 200, seed: 11 });
        const env = values.map((value, i) => ({ name: `V${i}`, value }));
        const rendered = renderServerUserData({ ...ARGS, containers: [{ name: "api", image: "tracardi/tracardi-api:1.0.0", env }], oneShots: [] });
        const root = writeWithBash(rendered, tmpDir("vm-user-data-fc-"));
        assert.strictEqual(fs.readFileSync(path.join(root, "etc/tracardi/api.env"), "utf8"), env.map((e) => `${e.name}=${e.value}\n`).join(""));
    });

    it("keeps a file whose text holds the heredoc's delimiter intact", () => {
        const script = "print('a')\nTRACARDI_EOF\nTRACARDI_EOF_1\nprint('b')\n";
        const rendered = renderServerUserData({ ...ARGS, oneShots: [{ ...ARGS.oneShots![0], script }] });
        const root = writeWithBash(rendered, tmpDir("vm-user-data-eof-"));
        assert.strictEqual(fs.readFileSync(path.join(root, "opt/tracardi/install.py"), "utf8"), script);
        assert.strictEqual(run("bash", ["-n"], { input: rendered }).status, 0);
    });

    it("publishes port 80 on the host port where one is given, and workers publish none", () => {
        assert.match(unit(userData, "internal-api").execStart, / -p 30081:80 /);
        assert.match(unit(userData, "gui").execStart, / -p 30082:80 /);
        assert.doesNotMatch(unit(userData, "update-worker").execStart, / -p /);
        assert.match(unit(userData, "update-worker").execStart, / --memory 500m /);
        assert.match(unit(userData, "internal-api").execStart, / --memory 768m /);
        assert.doesNotMatch(unit(userData, "gui").execStart, / --memory /);
    });

    it("restarts the containers always, fetches their secrets at every start and logs to CloudWatch Logs", () => {
        const { text, execStart } = unit(userData, "internal-api");
        for (const line of [
            "After=docker.service network-online.target", "Requires=docker.service", "StartLimitIntervalSec=0",
            `ExecStartPre=${FETCH_SECRETS} /etc/tracardi/internal-api.secrets.json`, "ExecStartPre=-/usr/bin/docker rm -f internal-api",
            "Restart=always", "RestartSec=10", "WantedBy=multi-user.target",
        ]) {
            assert.ok(text.split("\n").includes(line), `missing ${line}`);
        }
        assert.ok(execStart.includes(" --env-file /run/tracardi/internal-api/secret.env "));
        assert.ok(execStart.includes(" -v /run/tracardi/internal-api/files/tracardi-search-ca/ca.crt:/etc/tracardi/elastic-ca/ca.crt:ro "));
        assert.ok(execStart.includes(" --log-driver awslogs --log-opt mode=non-blocking --log-opt max-buffer-size=4m"
            + " --log-opt awslogs-region=eu-west-1 --log-opt awslogs-group=/tracardi/prod/servers"
            + " --log-opt awslogs-stream=internal-api-${INSTANCE_ID} "), execStart);
        // A container without secrets fetches nothing.
        assert.doesNotMatch(unit(userData, "gui").text, /tracardi-fetch-secrets|\/run\/tracardi/);
        assert.strictEqual(specOf(userData, "gui"), undefined);
        assert.match(userData, /^systemctl enable tracardi-internal-api\.service tracardi-update-worker\.service tracardi-gui\.service tracardi-install\.service$/m);
        assert.match(userData, /^systemctl start --no-block tracardi-internal-api\.service tracardi-update-worker\.service tracardi-gui\.service tracardi-install\.service$/m);
    });

    it("fetches every secret it names, and secretKeysOf lists exactly those", () => {
        const fetched = ["internal-api", "update-worker", "install"].flatMap((name) => {
            const spec = specOf(userData, name);
            assert.ok(spec, name);
            assert.strictEqual(spec.region, "eu-west-1");
            assert.strictEqual(spec.secretId, ARN);
            return [...spec.env, ...spec.files].map((entry) => entry.key);
        });
        const keys = ["tracardi-search-ca/ca.crt", "tracardi-search-user/password", "tracardi-secrets/ADMIN_PASSWORD",
            "tracardi-secrets/AUTO_PROFILE_MERGING", "tracardi-secrets/INSTALLATION_TOKEN", "tracardi-secrets/MYSQL_PASSWORD"];
        assert.deepStrictEqual([...new Set(fetched)].sort(), keys);
        assert.deepStrictEqual(secretKeysOf(ARGS), keys);
        assert.deepStrictEqual(specOf(userData, "update-worker")?.env, [
            { name: "ELASTIC_HTTP_AUTH_PASSWORD", key: "tracardi-search-user/password" },
            { name: "MYSQL_PASSWORD", key: "tracardi-secrets/MYSQL_PASSWORD" },
            { name: "INSTALLATION_TOKEN", key: "tracardi-secrets/INSTALLATION_TOKEN" },
            { name: "AUTO_PROFILE_MERGING", key: "tracardi-secrets/AUTO_PROFILE_MERGING" },
        ]);
    });

    it("fetches the secret with the AWS CLI into /run: env files and mounted files, 0600 in 0700 directories", () => {
        const root = tmpDir("vm-fetch-");
        const store = secretStore(ARGS);
        const { result, awsArgs, spec } = fetchSecrets(userData, "internal-api", root, JSON.stringify(store));
        assert.strictEqual(result.status, 0, result.stderr);
        assert.deepStrictEqual(awsArgs, ["secretsmanager", "get-secret-value", "--region", "eu-west-1", "--secret-id", ARN, "--query", "SecretString", "--output", "text"]);
        assert.strictEqual(fs.readFileSync(path.join(spec.dir, "secret.env"), "utf8"), [
            `ELASTIC_HTTP_AUTH_PASSWORD=${store["tracardi-search-user/password"]}\n`,
            `MYSQL_PASSWORD=${store["tracardi-secrets/MYSQL_PASSWORD"]}\n`,
            `INSTALLATION_TOKEN=${store["tracardi-secrets/INSTALLATION_TOKEN"]}\n`,
        ].join(""));
        assert.strictEqual(fs.readFileSync(path.join(spec.dir, "files/tracardi-search-ca/ca.crt"), "utf8"), store["tracardi-search-ca/ca.crt"]);
        assert.strictEqual(mode(path.dirname(spec.dir)), "700");
        assert.strictEqual(mode(spec.dir), "700");
        assert.strictEqual(mode(path.join(spec.dir, "files/tracardi-search-ca")), "700");
        assert.strictEqual(mode(path.join(spec.dir, "secret.env")), "600");
        assert.strictEqual(mode(path.join(spec.dir, "files/tracardi-search-ca/ca.crt")), "600");
        assert.strictEqual(result.stdout + result.stderr, "");
    });

    it("never holds a secret value: only the fetched files under /run do", () => {
        const store = secretStore(ARGS);
        for (const value of Object.values(store)) {
            assert.ok(!userData.includes(value));
        }
        assert.ok(!userData.includes("SECRET-MARKER"));
        // Everything the user data writes, then everything the units fetch: markers under /run only.
        const root = writeWithBash(userData, tmpDir("vm-disk-"));
        for (const name of ["internal-api", "update-worker", "install"]) {
            assert.strictEqual(fetchSecrets(userData, name, root, JSON.stringify(store)).result.status, 0);
        }
        const holding = filesUnder(root).filter((file) => fs.readFileSync(file, "utf8").includes("SECRET-MARKER"));
        assert.ok(holding.length > 0);
        assert.deepStrictEqual(holding.filter((file) => !file.startsWith(path.join(root, "run/tracardi/")) && !file.endsWith("secret-string")), []);
        // No secret variable is among the plain ones.
        for (const container of ARGS.containers) {
            const plainFile = fs.readFileSync(path.join(root, `etc/tracardi/${container.name}.env`), "utf8");
            for (const e of container.env.filter((v) => "secret" in v)) {
                assert.doesNotMatch(plainFile, new RegExp(`^${e.name}=`, "m"));
            }
        }
    });

    it("refuses to fetch when a key is missing or a variable's value has a line break, naming the key, never the value", () => {
        const store = secretStore(ARGS);
        const missing = Object.fromEntries(Object.entries(store).filter(([key]) => key !== "tracardi-secrets/MYSQL_PASSWORD"));
        const absent = fetchSecrets(userData, "internal-api", tmpDir("vm-fetch-missing-"), JSON.stringify(missing)).result;
        assert.notStrictEqual(absent.status, 0);
        assert.match(absent.stderr, /has no string for: tracardi-secrets\/MYSQL_PASSWORD/);
        const multiLine = { ...store, "tracardi-secrets/MYSQL_PASSWORD": "SECRET-MARKER-line\nbreak" };
        const broken = fetchSecrets(userData, "internal-api", tmpDir("vm-fetch-multiline-"), JSON.stringify(multiLine)).result;
        assert.notStrictEqual(broken.status, 0);
        assert.match(broken.stderr, /tracardi-secrets\/MYSQL_PASSWORD has a line break/);
        const notJson = fetchSecrets(userData, "internal-api", tmpDir("vm-fetch-notjson-"), "SECRET-MARKER-plain").result;
        assert.notStrictEqual(notJson.status, 0);
        for (const run of [absent, broken, notJson]) {
            assert.doesNotMatch(run.stdout + run.stderr, /SECRET-MARKER/);
        }
    });

    it("runs the one-shot with python3 after its unit, its secrets as <NAME>_FILE files, again on failure", () => {
        const { text } = unit(userData, "install");
        for (const line of [
            "After=tracardi-internal-api.service", "Type=exec",
            "Environment=\"TRACARDI_API_URL=http://127.0.0.1:30081\"", "Environment=\"ADMIN_EMAIL=admin@example.com\"",
            "Environment=\"ADMIN_PASSWORD_FILE=/run/tracardi/install/tracardi-secrets/ADMIN_PASSWORD\"",
            "Environment=\"INSTALLATION_TOKEN_FILE=/run/tracardi/install/tracardi-secrets/INSTALLATION_TOKEN\"",
            `ExecStartPre=${FETCH_SECRETS} /etc/tracardi/install.secrets.json`,
            "ExecStart=/usr/bin/python3 /opt/tracardi/install.py", "Restart=on-failure",
        ]) {
            assert.ok(text.split("\n").includes(line), `missing ${line}`);
        }
        assert.strictEqual(writtenFiles(userData).get("/opt/tracardi/install.py"), INSTALL_SCRIPT);
        assert.deepStrictEqual(specOf(userData, "install"), {
            region: "eu-west-1", secretId: ARN, dir: "/run/tracardi/install", env: [],
            files: [
                { key: "tracardi-secrets/ADMIN_PASSWORD", path: "/run/tracardi/install/tracardi-secrets/ADMIN_PASSWORD" },
                { key: "tracardi-secrets/INSTALLATION_TOKEN", path: "/run/tracardi/install/tracardi-secrets/INSTALLATION_TOKEN" },
            ],
        });
        const root = tmpDir("vm-fetch-install-");
        const store = secretStore(ARGS);
        const { result, spec } = fetchSecrets(userData, "install", root, JSON.stringify(store));
        assert.strictEqual(result.status, 0, result.stderr);
        assert.strictEqual(fs.readFileSync(spec.files[0].path, "utf8"), store["tracardi-secrets/ADMIN_PASSWORD"]);
    });

    it("gives the one-shot its plain values exactly as systemd reads them", () => {
        const env = [{ name: "AWKWARD", value: AWKWARD }, { name: "PERCENT", value: "100%% %i" }];
        const rendered = renderServerUserData({ ...ARGS, oneShots: [{ ...ARGS.oneShots![0], env }] });
        const { text } = unit(rendered, "install");
        assert.ok(text.includes("Environment=\"AWKWARD=it's \\\"quoted\\\" $HOME ${X} $(id) `id` \\\\ %%s %%n; & | * ? ~ {a,b} #not-a-comment \\t tab\""), text);
        assert.ok(text.includes(`Environment="PERCENT=100%%%% %%i"`));
        // Where systemd is installed, ask it how it reads the unit (its debug dump of the loaded unit).
        if (onPath("systemd-analyze")) {
            const dir = tmpDir("vm-units-");
            fs.writeFileSync(path.join(dir, "tracardi-install.service"), text);
            const dump = run("systemd-analyze", ["verify", "--man=no", path.join(dir, "tracardi-install.service")], { env: { ...process.env, SYSTEMD_LOG_LEVEL: "debug" } });
            const read = [...(dump.stdout + dump.stderr).matchAll(/^\t\tEnvironment: (.*)$/gm)].map((m) => m[1]);
            if (read.length > 0) {
                assert.deepStrictEqual(read.filter((line) => !/^[A-Z_]+_FILE=/.test(line)),
                    env.map((e) => `${e.name}=${e.value}`));
            }
        }
    });

    it("renders a server without secrets or one-shots whole", () => {
        const gui = renderServerUserData({ ...ARGS, containers: [ARGS.containers[2]], oneShots: undefined });
        const start = gui.indexOf("\n# Container gui");
        assert.ok(start > 0);
        assert.ok(gui.slice(0, start).endsWith(writeFileCommand(FETCH_SECRETS, FETCH_SECRETS_SCRIPT, "0755")));
        assert.strictEqual(gui.slice(start), `
# Container gui: tracardi/tracardi-gui:1.0.0
cat > /etc/tracardi/gui.env <<'TRACARDI_EOF'
TRACARDI_EOF
chmod 0600 /etc/tracardi/gui.env
cat > /etc/systemd/system/tracardi-gui.service <<'TRACARDI_EOF'
[Unit]
Description=Tracardi gui (tracardi/tracardi-gui:1.0.0)
After=docker.service network-online.target
Requires=docker.service
Wants=network-online.target
StartLimitIntervalSec=0

[Service]
EnvironmentFile=/etc/tracardi/instance.env
ExecStartPre=-/usr/bin/docker rm -f gui
ExecStart=/usr/bin/docker run --rm --name gui \\
    --env-file /etc/tracardi/gui.env \\
    -p 30082:80 \\
    --log-driver awslogs \\
    --log-opt mode=non-blocking \\
    --log-opt max-buffer-size=4m \\
    --log-opt awslogs-region=eu-west-1 \\
    --log-opt awslogs-group=/tracardi/prod/servers \\
    --log-opt awslogs-stream=gui-\${INSTANCE_ID} \\
    tracardi/tracardi-gui:1.0.0
ExecStop=/usr/bin/docker stop -t 30 gui
Restart=always
RestartSec=10

[Install]
WantedBy=multi-user.target
TRACARDI_EOF
chmod 0644 /etc/systemd/system/tracardi-gui.service

systemctl daemon-reload
systemctl enable tracardi-gui.service
systemctl start --no-block tracardi-gui.service
`);
        assert.deepStrictEqual(secretKeysOf({ ...ARGS, containers: [ARGS.containers[2]], oneShots: undefined }), []);
    });

    it("refuses inputs that would break the script or a unit, naming them", () => {
        const api = ARGS.containers[0];
        const cases: [Partial<ServerUserDataArgs>, RegExp][] = [
            [{ containers: [{ ...api, name: "Internal API" }] }, /name "Internal API" must be lower-case letters/],
            [{ containers: [api, { ...ARGS.containers[2], name: "internal-api" }] }, /name internal-api is used twice/],
            [{ containers: [api], oneShots: [{ ...ARGS.oneShots![0], name: "internal-api" }] }, /name internal-api is used twice/],
            [{ containers: [{ ...api, env: [{ name: "A", value: "two\nlines" }] }] }, /container "internal-api": A has a line break/],
            [{ containers: [{ ...api, env: [{ name: "A", value: "x" }, { name: "A", secret: STACK("K") }] }] }, /environment variable A is set twice/],
            [{ containers: [{ ...api, env: [{ name: "A-B", value: "x" }] }] }, /environment variable "A-B" is not a valid name/],
            [{ containers: [{ ...api, image: "tracardi/api:1.0 --privileged" }] }, /image "tracardi\/api:1.0 --privileged" is not an image reference/],
            [{ containers: [{ ...api, hostPort: 70000 }] }, /hostPort 70000 must be an integer from 1 to 65535/],
            [{ containers: [{ ...api, memoryMiB: 0.5 }] }, /memoryMiB 0.5 must be an integer of at least 6/],
            [{ containers: [{ ...api, files: [{ secret: CA, path: "/etc/../ca.crt" }] }] }, /file path "\/etc\/..\/ca.crt" must be an absolute path/],
            [{ containers: [{ ...api, files: [{ secret: CA, path: "/ca:rw" }] }] }, /file path "\/ca:rw" must be an absolute path/],
            [{ containers: [{ ...api, env: [{ name: "A", secret: { name: "s", key: "../k" } }] }] }, /A: secret key "..\/k" must be letters/],
            [{ oneShots: [{ ...ARGS.oneShots![0], after: "api; rm -rf /" }] }, /after "api; rm -rf \/" is not a systemd unit name/],
            [{ oneShots: [{ ...ARGS.oneShots![0], env: [{ name: "A", value: "bell\x07" }] }] }, /one-shot "install": A has a control character/],
            [{ region: "eu-west-1; id" }, /region "eu-west-1; id" is not an AWS region/],
            [{ logGroup: "/tracardi/$HOME" }, /logGroup "\/tracardi\/\$HOME" must be/],
            [{ secretArn: "" }, /secretArn "" is not an ARN/],
            [{ containers: [] }, /containers must name at least one container/],
        ];
        for (const [change, message] of cases) {
            assert.throws(() => renderServerUserData({ ...ARGS, ...change }), message, JSON.stringify(change));
        }
    });
});
