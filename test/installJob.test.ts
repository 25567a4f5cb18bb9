import * as assert from "assert";
import { spawn } from "child_process";
import * as fs from "fs";
import * as http from "http";
import { AddressInfo } from "net";
import * as os from "os";
import * as path from "path";
import { ofType } from "../offline/query";
import { INSTALL_SCRIPT } from "../lib/manifests";
import { planOf } from "./helpers/plans";

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A stand-in for Tracardi's /install endpoints, with the state they report. */
function fakeTracardi(state: { schema_ok: boolean; admin_ok: boolean }, opts: { refuse?: boolean; unavailableFor?: number } = {}) {
    const posts: Obj[] = [];
    let unavailable = opts.unavailableFor ?? 0;
    const server = http.createServer((req, res) => {
        let body = "";
        req.on("data", (chunk) => (body += chunk));
        req.on("end", () => {
            res.setHeader("content-type", "application/json");
            if (req.url !== "/install") {
                res.writeHead(404).end("{}");
            } else if (unavailable > 0) {
                unavailable--;
                res.writeHead(503).end("{}");
            } else if (req.method === "GET") {
                res.end(JSON.stringify({ ...state, form_ok: state.admin_ok, warning: null, config: {} }));
            } else if (opts.refuse) {
                res.writeHead(403).end(JSON.stringify({ detail: "Installation forbidden" }));
            } else {
                posts.push(JSON.parse(body));
                state.schema_ok = true;
                state.admin_ok = true;
                res.end(JSON.stringify([{ created: {}, admin: true, plugins: {} }, { created: {}, admin: true, plugins: {} }]));
            }
        });
    });
    return { server, posts };
}

async function runInstall(server: http.Server): Promise<{ code: number | null; output: string }> {
    await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
    const { port } = server.address() as AddressInfo;
    // The secrets as the Job mounts them: files holding exactly the values the API gets in its environment.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "install-secrets-"));
    fs.writeFileSync(path.join(dir, "ADMIN_PASSWORD"), "s3cret-Admin-pass");
    fs.writeFileSync(path.join(dir, "INSTALLATION_TOKEN"), "token-from-the-secret");
    try {
        return await new Promise((done) => {
            const child = spawn("python3", ["-c", INSTALL_SCRIPT], {
                env: {
                    PATH: process.env.PATH, TRACARDI_API_URL: `http://127.0.0.1:${port}/`, ADMIN_EMAIL: "admin@example.com",
                    ADMIN_PASSWORD_FILE: path.join(dir, "ADMIN_PASSWORD"), INSTALLATION_TOKEN_FILE: path.join(dir, "INSTALLATION_TOKEN"),
                    WAIT_SECONDS: "0.05",
                },
            });
            let output = "";
            child.stdout.on("data", (d) => (output += d));
            child.stderr.on("data", (d) => (output += d));
            child.on("close", (code) => done({ code, output }));
        });
    } finally {
        server.close();
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

describe("first installation without a browser", () => {
    it("installs a fresh Tracardi through POST /install with the token and the first admin", async () => {
        const { server, posts } = fakeTracardi({ schema_ok: false, admin_ok: false }, { unavailableFor: 2 });
        const { code, output } = await runInstall(server);
        assert.strictEqual(code, 0, output);
        assert.deepStrictEqual(posts, [{
            username: "admin@example.com", password: "s3cret-Admin-pass", token: "token-from-the-secret",
            needs_admin: true, update_mapping: false,
        }]);
    });

    it("changes nothing when Tracardi is already installed (a second run is a no-op)", async () => {
        const { server, posts } = fakeTracardi({ schema_ok: true, admin_ok: true });
        const { code, output } = await runInstall(server);
        assert.strictEqual(code, 0, output);
        assert.deepStrictEqual(posts, []);
        assert.match(output, /nothing to do/);
    });

    it("completes the schema without creating a second admin", async () => {
        const { server, posts } = fakeTracardi({ schema_ok: false, admin_ok: true });
        assert.strictEqual((await runInstall(server)).code, 0);
        assert.strictEqual(posts[0].needs_admin, false);
    });

    it("fails the job with a clear message when the token is refused", async () => {
        const { server } = fakeTracardi({ schema_ok: false, admin_ok: false }, { refuse: true });
        const { code, output } = await runInstall(server);
        assert.notStrictEqual(code, 0);
        assert.match(output, /refused \(403\): the installation token/);
    });

    it("the Job runs after the GUI-facing API is up, with its secrets as files, unprivileged", async () => {
        const plan = await planOf("Pulumi.prod.yaml");
        const job = ofType(plan.resources, "kubernetes:batch/v1:Job").find((j) => j.name.endsWith("-install"))!;
        const internalApi = ofType(plan.resources, "kubernetes:apps/v1:Deployment").find((d) => d.name.endsWith("-internal-api"))!;
        assert.ok(job.dependsOn.includes(internalApi.urn));
        const pod = (job.inputs.spec as Obj).template.spec;
        const env = Object.fromEntries((pod.containers[0].env as Obj[]).map((e) => [e.name, e]));
        assert.strictEqual(env.TRACARDI_API_URL.value, `http://internal-api.tracardi-prod.svc.cluster.local`);
        assert.strictEqual(env.ADMIN_EMAIL.value, plan.spec.adminEmail);
        assert.ok(!(pod.containers[0].env as Obj[]).some((e) => e.valueFrom), "a secret reaches the job through its environment");
        assert.strictEqual(env.ADMIN_PASSWORD_FILE.value, "/run/secrets/tracardi-secrets/ADMIN_PASSWORD");
        assert.strictEqual(env.INSTALLATION_TOKEN_FILE.value, "/run/secrets/tracardi-secrets/INSTALLATION_TOKEN");
        const [volume] = pod.volumes;
        assert.deepStrictEqual(volume.secret, {
            secretName: "tracardi-secrets", defaultMode: 0o440,
            items: [{ key: "ADMIN_PASSWORD", path: "ADMIN_PASSWORD" }, { key: "INSTALLATION_TOKEN", path: "INSTALLATION_TOKEN" }],
        });
        assert.deepStrictEqual(pod.containers[0].volumeMounts, [{ name: volume.name, mountPath: "/run/secrets/tracardi-secrets", readOnly: true }]);
        assert.strictEqual(pod.securityContext.fsGroup, pod.securityContext.runAsGroup, "the job's group cannot read its secret files");
        assert.strictEqual(pod.securityContext.runAsNonRoot, true);
        assert.strictEqual(pod.restartPolicy, "Never");
        assert.strictEqual(job.customTimeouts?.create, "40m", "Pulumi's 10-minute default is shorter than the job may take");
    });

    it("the minimal profile installs through its single API cluster", async () => {
        const plan = await planOf("Pulumi.small.yaml");
        const job = ofType(plan.resources, "kubernetes:batch/v1:Job").find((j) => j.name.endsWith("-install"))!;
        const env = (job.inputs.spec as Obj).template.spec.containers[0].env as Obj[];
        assert.strictEqual(env.find((e) => e.name === "TRACARDI_API_URL")!.value, "http://api.tracardi-small.svc.cluster.local");
    });
});
