import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { OFFLINE_SECRET_PREFIX, RawConfig, readStackFile, tracardiValues } from "../stacks/config";
import { ConfigError } from "../stacks/errors";
import { planOf } from "./helpers/plans";
import { Run, runTs, STACK_FRAME } from "./helpers/runTs";

const ROOT = path.resolve(__dirname, "..");
const SECURE_FIXTURE = path.join(__dirname, "fixtures", "secure-values.yaml");

describe("readStackFile", () => {
    const config = readStackFile(SECURE_FIXTURE);

    it("passes every value as a string, objects and lists JSON-encoded, as the Pulumi CLI does", () => {
        assert.strictEqual(config.values["aws:region"], "eu-west-1");
        assert.strictEqual(config.values["tracardi:profile"], "minimal");
        assert.strictEqual(config.values["tracardi:publicApi"], JSON.stringify({ instances: 4 }));
        assert.strictEqual(config.values["tracardi:trustedCidrs"], JSON.stringify(["192.0.2.0/24"]));
        assert.ok(Object.values(config.values).every((v) => typeof v === "string"));
    });

    it("turns secure: values into secret placeholders, listed in secretKeys, without the ciphertext", () => {
        assert.deepStrictEqual(config.secretKeys.sort(), ["tracardi:installationToken", "tracardi:mysqlPassword"]);
        for (const key of config.secretKeys) {
            assert.strictEqual(config.values[key], `${OFFLINE_SECRET_PREFIX}${key}`);
        }
        assert.ok(!JSON.stringify(config.values).includes("AAABAJ1Qn3UJ"));
    });

    it("refuses a file that is not YAML with a ConfigError naming the file", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tracardi-config-"));
        try {
            const file = path.join(dir, "Pulumi.broken.yaml");
            fs.writeFileSync(file, "config:\n  tracardi:dns: {zone: [unclosed\n");
            assert.throws(() => readStackFile(file), (err: unknown) => {
                assert.ok(err instanceof ConfigError);
                assert.strictEqual(err.problems[0].key, "(file)");
                assert.match(err.message, /^Pulumi\.broken\.yaml has 1 problem:\n {2}- tracardi:\(file\): cannot be read as YAML/);
                return true;
            });
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});

describe("tracardiValues", () => {
    it("keeps the tracardi: keys without the namespace, objects and lists decoded, secrets as given", () => {
        const values = tracardiValues(readStackFile(SECURE_FIXTURE));
        assert.deepStrictEqual(values, {
            profile: "minimal",
            adminEmail: "ops@example.com",
            trustedCidrs: ["192.0.2.0/24"],
            publicApi: { instances: 4 },
            loadBalancers: { perCluster: 1 },
            installationToken: `${OFFLINE_SECRET_PREFIX}tracardi:installationToken`,
            mysqlPassword: `${OFFLINE_SECRET_PREFIX}tracardi:mysqlPassword`,
        });
    });

    it("decodes top-level numbers and booleans, and leaves other text as text", () => {
        const values = tracardiValues({
            values: { "tracardi:a": "3", "tracardi:b": "true", "tracardi:c": "1.0.0", "tracardi:d": "eks", "other:e": "1" },
            secretKeys: [],
        });
        assert.deepStrictEqual(values, { a: 3, b: true, c: "1.0.0", d: "eks" });
    });
});

describe("index.ts run as `pulumi up` runs it, under mocks, configured through PULUMI_CONFIG", function () {
    this.timeout(60000);
    const TOKEN = "installation-token-from-the-cli";
    const prod = readStackFile(path.join(ROOT, "Pulumi.prod.yaml"));
    // The Pulumi CLI decrypts secrets before it hands them over, and lists their keys separately.
    const good: RawConfig = { values: { ...prod.values, "tracardi:installationToken": TOKEN }, secretKeys: ["tracardi:installationToken"] };
    const bad: RawConfig = {
        values: { ...good.values, "tracardi:publicApi": JSON.stringify({ instances: 1 }) },
        secretKeys: [], // the token set without --secret
    };
    // Through ts-node, as the Pulumi CLI loads the program (Pulumi.yaml: typescript), not the plan's loader.
    const runIndex = (config: RawConfig) => runTs("test/fixtures/runIndex.ts", ["prod"], {
        env: { PULUMI_CONFIG: JSON.stringify(config.values), PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(config.secretKeys) },
        loader: "ts-node",
    });
    let goodRun: Run;
    let badRun: Run;
    before(async () => {
        [goodRun, badRun] = await Promise.all([runIndex(good), runIndex(bad)]);
    });

    it("builds the production stack as the offline plan does, using the secret given instead of generating one", async () => {
        assert.strictEqual(goodRun.code, 0, goodRun.stderr);
        const summary = JSON.parse(goodRun.stdout.trim().split("\n").pop()!);
        const generated = (r: { type: string; name: string }) => r.type === "random:index/randomPassword:RandomPassword" && r.name.endsWith("-installationToken");
        const plan = await planOf("Pulumi.prod.yaml");
        assert.strictEqual(plan.resources.filter(generated).length, 1);
        assert.deepStrictEqual(summary.resources, plan.resources.filter((r) => !generated(r)).map((r) => `${r.type} ${r.name}`).sort());
        assert.match(summary.vpcId, /^vpc-/);
        assert.ok(!goodRun.stdout.includes(TOKEN) && !goodRun.stderr.includes(TOKEN), "the secret was printed");
    });

    it("fails on a bad configuration with every problem, each naming its key, and no stack trace", () => {
        assert.strictEqual(badRun.code, 1);
        assert.strictEqual(badRun.stdout, "");
        // The fixture prints a stack for anything but a pulumi.RunError, as the language host does.
        assert.doesNotMatch(badRun.stderr, STACK_FRAME);
        const lines = badRun.stderr.trim().split("\n");
        assert.match(lines[0], /^stack prod has \d+ problems:$/);
        assert.ok(lines.some((l) => l.startsWith("  - tracardi:publicApi.instances: is below the production minimum") && l.includes("given 1;")),
            badRun.stderr);
        assert.ok(lines.some((l) => l.startsWith("  - tracardi:installationToken: is in plain text")), badRun.stderr);
        assert.ok(!badRun.stderr.includes(TOKEN), "the plain-text secret was printed");
    });
});
