import * as assert from "assert";
import * as fc from "fast-check";
import { encodeUserData } from "../components/vmTier";
import { INSTALL_SCRIPT } from "../lib/manifests";
import { EnvVar, SecretKeyRef } from "../lib/tracardiEnv";
import { renderServerUserData, secretKey, ServerUserDataArgs } from "../lib/vmUserData";
import { envOf, EnvSetting } from "../policy/lib/kubernetes";
import { Plain } from "../policy/lib/props";
import { AWS } from "../policy/lib/types";
import { containersOfScript, decodeUserData, parseEnvFile, serverContainers } from "../policy/lib/userData";
import { planOf, VM_STACK_FILES } from "./helpers/plans";

/**
 * The pack reads servers' environments from their user data without importing the program
 * (policy/lib/userData.ts): held here to the program's renderer (lib/vmUserData.ts) and encoder
 * (components/vmTier.ts), as test/leastPrivilege.test.ts holds policy/lib/descriptions.ts.
 */

const ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:tracardi-prod-AbCdEf";
const STACK = (key: string): SecretKeyRef => ({ name: "tracardi-secrets", key });
const CA: SecretKeyRef = { name: "tracardi-search-ca", key: "ca.crt" };
/** Plain values a shell, systemd or a careless parser would mangle. */
const AWKWARD = "it's \"quoted\" $HOME ${X} $(id) `id` \\ %s; & | * ? ~ {a,b} #not-a-comment \t tab = more=equals TRACARDI_EOF";

const DATA_ENV: EnvVar[] = [
    { name: "ELASTIC_HOST", value: "search.example.com:443" },
    { name: "ELASTIC_HTTP_AUTH_PASSWORD", secret: { name: "tracardi-search-user", key: "password" } },
    { name: "MYSQL_PASSWORD", secret: STACK("MYSQL_PASSWORD") },
    { name: "INSTALLATION_TOKEN", secret: STACK("INSTALLATION_TOKEN") },
    { name: "EMPTY", value: "" },
];

const ARGS: ServerUserDataArgs = {
    region: "eu-west-1",
    secretArn: ARN,
    logGroup: "/tracardi/prod/servers",
    containers: [
        {
            name: "internal-api", image: "tracardi/tracardi-api:1.0.0", hostPort: 80, memoryMiB: 768,
            env: [{ name: "EXPOSE_GUI_API", value: "yes" }, { name: "AWKWARD", value: AWKWARD }, ...DATA_ENV],
            files: [{ secret: CA, path: "/etc/tracardi/elastic-ca/ca.crt" }],
        },
        { name: "update-worker", image: "tracardi/update-worker:1.0.0", memoryMiB: 500, env: DATA_ENV },
        { name: "gui", image: "tracardi/tracardi-gui:1.0.0", hostPort: 8080, env: [] },
    ],
    oneShots: [{
        name: "install", script: INSTALL_SCRIPT, after: "tracardi-internal-api.service",
        env: [{ name: "TRACARDI_API_URL", value: "http://127.0.0.1:80" }],
        secretFiles: { ADMIN_PASSWORD: STACK("ADMIN_PASSWORD"), INSTALLATION_TOKEN: STACK("INSTALLATION_TOKEN") },
    }],
};

/** What the pack should read for each variable the program gives a container. */
function expected(env: EnvVar[]): Record<string, EnvSetting> {
    return Object.fromEntries(env.map((e) => [e.name, "value" in e ? { kind: "value", value: e.value } : { kind: "secret" }]));
}

function read(container: Plain): Record<string, EnvSetting> {
    return Object.fromEntries(((container.env as Plain[]) ?? []).map((e) => [String(e.name), envOf(container, String(e.name))]));
}

/** Asserts the pack reads exactly the program's containers, images, plain values and secret references. */
function assertReadsAsRendered(args: ServerUserDataArgs, containers: Plain[]): void {
    assert.deepStrictEqual(containers.map((c) => [c.name, c.image]), args.containers.map((c) => [c.name, c.image]));
    args.containers.forEach((c, i) => {
        assert.deepStrictEqual(read(containers[i]), expected(c.env), c.name);
        assert.deepStrictEqual(containers[i].envFrom, [], c.name);
        for (const e of c.env.filter((v): v is { name: string; secret: SecretKeyRef } => "secret" in v)) {
            const entry = (containers[i].env as Plain[]).find((v) => v.name === e.name)!;
            assert.deepStrictEqual(entry.valueFrom, { secretKeyRef: { name: args.secretArn, key: secretKey(e.secret) } });
        }
    });
}

describe("policy pack: servers' user data as lib/vmUserData.ts renders it", () => {
    it("decodes what encodeUserData writes (base64 of gzip), and base64 of plain text", () => {
        const script = renderServerUserData(ARGS);
        assert.strictEqual(decodeUserData(encodeUserData(script)), script);
        assert.strictEqual(decodeUserData(Buffer.from("#!/bin/bash\necho hi\n").toString("base64")), "#!/bin/bash\necho hi\n");
        assert.strictEqual(decodeUserData(Buffer.from([0x1f, 0x8b, 1, 2, 3]).toString("base64")), undefined);
    });

    it("reads every container with its image, plain values exactly and secrets as references, from the launch template", () => {
        const containers = serverContainers(AWS.launchTemplate, { userData: encodeUserData(renderServerUserData(ARGS)) })!;
        assertReadsAsRendered(ARGS, containers);
        assert.deepStrictEqual(envOf(containers[0], "AWKWARD"), { kind: "value", value: AWKWARD });
        assert.deepStrictEqual(envOf(containers[0], "INSTALLATION_TOKEN"), { kind: "secret" });
        assert.deepStrictEqual(envOf(containers[2], "EXPOSE_GUI_API"), { kind: "absent" });
    });

    it("reads any environment the renderer accepts", () => {
        const name = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,15}$/);
        const value = fc.string({ maxLength: 40 }).filter((v) => !/[\n\r\0]/.test(v));
        const ref = fc.record({ name: fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/), key: fc.stringMatching(/^[A-Za-z0-9_.-]{1,10}$/) })
            .filter((r) => r.key !== "." && r.key !== "..");
        const envVar = fc.tuple(name, fc.oneof(value.map((v) => ({ value: v })), ref.map((r) => ({ secret: r }))))
            .map(([n, setting]) => ({ name: n, ...setting }) as EnvVar);
        const env = fc.uniqueArray(envVar, { selector: (e) => e.name.toUpperCase(), maxLength: 8 });
        // One-shot scripts may hold lines equal to the heredoc delimiter: the renderer picks another.
        const script = fc.array(fc.constantFrom("print(1)", "TRACARDI_EOF", "TRACARDI_EOF_1", "x = '$HOME'"), { maxLength: 5 });
        fc.assert(fc.property(env, env, script, (apiEnv, workerEnv, lines) => {
            const args: ServerUserDataArgs = {
                ...ARGS,
                containers: [
                    { name: "public-api", image: "tracardi/tracardi-api:1.0.0", hostPort: 80, env: apiEnv },
                    { name: "worker", image: "tracardi/update-worker:1.0.0", env: workerEnv },
                ],
                oneShots: [{ ...ARGS.oneShots![0], script: `${lines.join("\n")}\n` }],
            };
            assertReadsAsRendered(args, containersOfScript(renderServerUserData(args)));
        }), { numRuns: 150 });
    });

    it("reads docker env files as docker does, and marks what it cannot read", () => {
        assert.deepStrictEqual(parseEnvFile("# comment\n\n  A=1\nB==x \nC\n"), [
            { name: "A", value: "1" }, { name: "B", value: "=x " }, { name: "C", valueFrom: { unreadable: "the host's environment" } },
        ]);
        const unquoted = containersOfScript([
            "cat > /etc/tracardi/api.env <<EOF", "TRACK_DEBUG=$DEBUG", "EXPOSE_GUI_API=no", "EOF",
            "docker run -d --name api --env-file /etc/tracardi/api.env --env-file /etc/other.env -e TRACK_DEBUG=yes tracardi/tracardi-api:1.0.0",
        ].join("\n"));
        assert.deepStrictEqual(unquoted, [{
            name: "api", image: "tracardi/tracardi-api:1.0.0", envFrom: [{ fileRef: "/etc/other.env" }],
            env: [{ name: "TRACK_DEBUG", value: "yes" }, { name: "EXPOSE_GUI_API", value: "no" }],
        }]);
        const expanded = containersOfScript("cat > /e.env <<EOF\nTRACK_DEBUG=$DEBUG\nEOF\ndocker run --env-file /e.env img\n");
        assert.deepStrictEqual(envOf(expanded[0], "TRACK_DEBUG"), { kind: "other-reference" });
    });

    for (const file of VM_STACK_FILES) {
        it(`${file}: each tier's group runs the tier's container, the workers' group the workers; API secrets are fetched`, async () => {
            const plan = await planOf(file);
            const resources = plan.resources;
            const groups = resources.filter((r) => r.type === AWS.autoScalingGroup);
            assert.ok(groups.length >= 3, file);
            for (const group of groups) {
                const tier = (group.inputs.tags as Plain[]).find((t) => t.key === "tracardi:tier")?.value;
                const template = resources.find((r) => r.type === AWS.launchTemplate && group.dependsOn.includes(r.urn))!;
                const containers = serverContainers(template.type, template.inputs)!;
                if (tier === "search") {
                    assert.deepStrictEqual(containers.map((c) => [c.name, c.image]), [["search", `docker.elastic.co/elasticsearch/elasticsearch:${plan.spec.elasticsearch.version}`]]);
                    continue;
                }
                if (["public-api", "internal-api", "api", "gui"].includes(String(tier))) {
                    assert.deepStrictEqual(containers.map((c) => c.name), [tier], group.name);
                } else {
                    assert.ok(containers.length > 1, `${group.name} (${String(tier)}) runs the workers`);
                }
                for (const container of containers) {
                    assert.match(String(container.image), /^tracardi\//);
                    if (/tracardi-api/.test(String(container.image))) {
                        assert.strictEqual(envOf(container, "EXPOSE_GUI_API").kind, "value", template.name);
                        assert.deepStrictEqual(envOf(container, "INSTALLATION_TOKEN"), { kind: "secret" }, template.name);
                    }
                }
            }
        });
    }
});
