import * as assert from "assert";
import { planStack } from "../offline/harness";
import type { RecordedResource } from "../offline/mocks";
import { ofType } from "../offline/query";
import { OFFLINE_SECRET_PREFIX, RawConfig, readStackFile } from "../stacks/config";
import { ConfigError, formatProblem } from "../stacks/errors";
import { parseStackConfig } from "../stacks/spec";
import { deploy } from "../stacks/deploy";
import { planOf, STACK_FILES } from "./helpers/plans";

/** Paths of string values in an object that contain any of the needles. */
function findStrings(value: unknown, needles: string[], path = ""): string[] {
    if (typeof value === "string") {
        return needles.some((n) => value.includes(n)) ? [path] : [];
    }
    if (typeof value !== "object" || value === null) {
        return [];
    }
    return Object.entries(value).flatMap(([k, v]) => findStrings(v, needles, path ? `${path}.${k}` : k));
}

/** Every recorded input path holding a secret value must lie under a path that was marked secret. */
function plainSecrets(resources: RecordedResource[], needles: string[]): string[] {
    return resources.flatMap((r) => findStrings(r.inputs, needles)
        .filter((path) => !r.secretInputs.some((secret) => path === secret || path.startsWith(`${secret}.`)))
        .map((path) => `${r.name}.${path}`));
}

const GENERATED = "offline-random-";

describe("secrets", () => {
    for (const file of STACK_FILES) {
        it(`${file}: no secret value sits in a resource input that is not a Pulumi secret`, async () => {
            const plan = await planOf(file);
            assert.ok(plan.resources.some((r) => findStrings(r.inputs, [GENERATED]).length > 0), "no generated secret was used at all");
            assert.deepStrictEqual(plainSecrets(plan.resources, [GENERATED, OFFLINE_SECRET_PREFIX]), []);
        });
    }

    it("the detector finds a secret passed in plain text (the check can fail)", () => {
        const leaked: RecordedResource = {
            urn: "u", id: "i", type: "kubernetes:core/v1:ConfigMap", name: "leak", custom: true, protect: false, retainOnDelete: false,
            dependsOn: [], propertyDependencies: {}, replaceOnChanges: [], deleteBeforeReplace: false, aliases: [], ignoreChanges: [], provider: "", secretInputs: [], inputs: { data: { token: `${GENERATED}abc` } },
        };
        assert.deepStrictEqual(plainSecrets([leaked], [GENERATED]), ["leak.data.token"]);
    });

    it("the Tracardi secrets reach the pods through a Kubernetes Secret only", async () => {
        const plan = await planOf("Pulumi.prod.yaml");
        const [secret] = ofType(plan.resources, "kubernetes:core/v1:Secret").filter((s) => (s.inputs.metadata as { name: string }).name === "tracardi-secrets");
        assert.deepStrictEqual(Object.keys(secret.inputs.stringData as object).sort(),
            ["ADMIN_PASSWORD", "AUTO_PROFILE_MERGING", "INSTALLATION_TOKEN", "MYSQL_PASSWORD"]);
        assert.ok(secret.secretInputs.includes("stringData"));
        const [token] = Object.values(secret.inputs.stringData as Record<string, string>);
        assert.notStrictEqual(token, "tracardi", "the installation token is Tracardi's default");
    });

    it("secrets from secret config replace the generated ones", async () => {
        const config = readStackFile("Pulumi.prod.yaml");
        config.values["tracardi:installationToken"] = "a-token-chosen-by-the-operator";
        config.secretKeys.push("tracardi:installationToken");
        const plan = await planStack(config, "given-secret");
        const generated = ofType(plan.resources, "random:index/randomPassword:RandomPassword").map((r) => r.name);
        assert.ok(!generated.some((n) => n.endsWith("installationToken")));
        assert.ok(generated.some((n) => n.endsWith("adminPassword")));
        const [secret] = ofType(plan.resources, "kubernetes:core/v1:Secret").filter((s) => (s.inputs.metadata as { name: string }).name === "tracardi-secrets");
        assert.strictEqual((secret.inputs.stringData as Record<string, string>).INSTALLATION_TOKEN, "a-token-chosen-by-the-operator");
        assert.deepStrictEqual(plainSecrets(plan.resources, ["a-token-chosen-by-the-operator"]), []);
    });

    it("a secret key set in plain text is refused, naming the key and never echoing the value", () => {
        const config = readStackFile("Pulumi.prod.yaml");
        config.values["tracardi:adminPassword"] = "hunter2-but-longer";
        assert.throws(() => deploy(config, "plain-secret"), (err: unknown) => {
            assert.ok(err instanceof ConfigError);
            assert.match(err.message, /tracardi:adminPassword: is in plain text/);
            assert.match(err.message, /pulumi config set --secret tracardi:adminPassword/);
            assert.ok(!err.message.includes("hunter2"));
            return true;
        });
    });

    it("the admin password output is a secret, and no other output carries one", async () => {
        const plan = await planOf("Pulumi.prod.yaml");
        assert.ok(String(plan.outputs.adminPassword).startsWith(GENERATED));
        const others = Object.entries(plan.outputs).filter(([k]) => !["adminPassword", "kubeconfig"].includes(k));
        assert.deepStrictEqual(others.filter(([, v]) => findStrings(v, [GENERATED]).length > 0), []);
        assert.deepStrictEqual(plan.secretOutputs.sort(), ["adminPassword", "kubeconfig"]);
    });
});

describe("secret config values", () => {
    const withSecret = (key: string, value: string): RawConfig => {
        const config = readStackFile("Pulumi.prod.yaml");
        config.values[`tracardi:${key}`] = value;
        config.secretKeys.push(`tracardi:${key}`);
        return config;
    };
    const problemsOf = (config: RawConfig) => {
        try {
            parseStackConfig(config);
            return [];
        } catch (err) {
            assert.ok(err instanceof ConfigError);
            return err.problems.map(formatProblem);
        }
    };

    it("a MySQL password RDS and Tracardi's connection URL both accept passes", () => {
        assert.deepStrictEqual(problemsOf(withSecret("mysqlPassword", "Strong_password-2026")), []);
    });

    for (const [value, reason] of [
        ["Pw5aZ", /tracardi:mysqlPassword: is too short \(given "\(5 characters\)"; allowed: 16 to 41 characters\)/],
        ["x".repeat(42), /tracardi:mysqlPassword: is too long \(given "\(42 characters\)"/],
        ["has@an/at_and-a-slash", /tracardi:mysqlPassword: has characters that are not allowed \(given "\(hidden\)"; allowed: letters, digits, - and _/],
    ] as const) {
        it(`a MySQL password RDS would refuse is refused before deploying: ${reason.source.slice(24, 45)}`, () => {
            const problems = problemsOf(withSecret("mysqlPassword", value));
            assert.strictEqual(problems.length, 1, problems.join("\n"));
            assert.match(problems[0], reason);
            assert.ok(!problems[0].includes(value), "the secret is echoed");
        });
    }

    it("an installation token shorter than 16 characters is refused without being shown", () => {
        const problems = problemsOf(withSecret("installationToken", "tracardi"));
        assert.deepStrictEqual(problems, ['tracardi:installationToken: is too short (given "(8 characters)"; allowed: 16 or more characters)']);
    });
});
