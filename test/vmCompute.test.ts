import * as assert from "assert";
import { spawnSync } from "child_process";
import type { StackPlan } from "../offline/harness";
import { ofType } from "../offline/query";
import { vmUserData } from "../offline/userData";
import { readStackFile, tracardiValues } from "../stacks/config";
import { ConfigError } from "../stacks/errors";
import { parseSpec } from "../stacks/spec";
import { planOf, planVariant, VM_ELASTIC_CLOUD, VM_ELASTIC_CLOUD_SECRETS } from "./helpers/plans";

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The plain variables a unit's env file holds: the heredoc the user data writes to /etc/tracardi/<name>.env. */
function plainEnv(userData: string, container: string): Record<string, string> {
    const match = new RegExp(`/etc/tracardi/${container}\\.env'? <<'([A-Z_0-9]+)'\\n([\\s\\S]*?)\\n\\1\\n`).exec(userData);
    assert.ok(match, `no env file for ${container}`);
    return Object.fromEntries(match[2].split("\n").filter(Boolean).map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]));
}

/** The fetch specs a user data writes (/etc/tracardi/<unit>.secrets.json), by unit: what each fetches at start. */
function fetchSpecs(userData: string): Record<string, { secretId: string; env: { name: string; key: string }[]; files: { key: string }[] }> {
    return Object.fromEntries([...userData.matchAll(/\/etc\/tracardi\/([a-z0-9-]+)\.secrets\.json'? <<'([A-Z_0-9]+)'\n([\s\S]*?)\n\2\n/g)]
        .map((m) => [m[1], JSON.parse(m[3])]));
}

/** The secret variables a unit fetches: variable -> "<name>/<key>". */
function secretEnv(userData: string, container: string): Record<string, string> {
    return Object.fromEntries((fetchSpecs(userData)[container]?.env ?? []).map((e) => [e.name, e.key]));
}

const tierOf = (plan: StackPlan, tier: string) => ofType(plan.resources, "aws:autoscaling/group:Group")
    .find((g) => (g.inputs.tags as Obj[]).some((t) => t.key === "tracardi:tier" && t.value === tier))!;

describe("Tracardi on EC2 servers (compute vm)", () => {
    let vm: StackPlan;
    let vmCloud: StackPlan;
    let eks: StackPlan;
    before(async () => {
        vm = await planOf("Pulumi.vm.yaml");
        // With the same search on both computes (Elastic Cloud), the EKS stack's environment is what the VM servers' must equal.
        vmCloud = await planVariant("Pulumi.vm.yaml", VM_ELASTIC_CLOUD, "vm", VM_ELASTIC_CLOUD_SECRETS);
        eks = await planVariant("Pulumi.vm.yaml", { compute: "eks", ...VM_ELASTIC_CLOUD }, "vm", VM_ELASTIC_CLOUD_SECRETS);
    });

    it("runs each tier as an Auto Scaling group over every zone, sized to its instances, and nothing of Kubernetes", () => {
        assert.strictEqual(vm.resources.filter((r) => r.type.startsWith("kubernetes:") || r.type.startsWith("aws:eks/")).length, 0);
        const appSubnets = vm.resources.filter((r) => r.type === "aws:ec2/subnet:Subnet" && /-app-\d$/.test(r.name)).map((s) => s.id).sort();
        for (const [tier, size] of [["public-api", 3], ["internal-api", 2], ["gui", 2]] as const) {
            const group = tierOf(vm, tier).inputs as Obj;
            assert.deepStrictEqual([group.minSize, group.desiredCapacity, group.maxSize], [size, size, { 3: 5, 2: 3 }[size]], tier);
            assert.deepStrictEqual([...group.vpcZoneIdentifiers].sort(), appSubnets);
            assert.strictEqual(group.healthCheckType, "ELB");
            // A new server before an old one stops: 3 servers may be 4 (134 %), 2 may be 3 (150 %).
            assert.deepStrictEqual([group.instanceRefresh.preferences.minHealthyPercentage, group.instanceRefresh.preferences.maxHealthyPercentage],
                [100, { 3: 134, 2: 150 }[size]], `${tier}: a refresh must keep every server in service`);
            assert.ok(Math.ceil((size * group.instanceRefresh.preferences.maxHealthyPercentage) / 100) <= group.maxSize, `${tier}: the spare does not fit`);
        }
    });

    it("gives every server exactly the environment the EKS tiers get: one rendering, two resolvers", () => {
        const scripts = vmUserData(vmCloud.resources);
        for (const [group, containers] of [["public-api", ["public-api"]], ["internal-api", ["internal-api"]], ["workers", ["internal-api", "update-worker", "apm"]]] as const) {
            const userData = scripts[`tracardi-vm-${group}-lt`];
            for (const container of containers) {
                const deployment = ofType(eks.resources, "kubernetes:apps/v1:Deployment").find((d) => (d.inputs.metadata as Obj).name === container)!;
                const k8sEnv = (deployment.inputs.spec as Obj).template.spec.containers[0].env as Obj[];
                assert.deepStrictEqual(plainEnv(userData, container), Object.fromEntries(k8sEnv.filter((e) => "value" in e).map((e) => [e.name, e.value])), container);
                assert.deepStrictEqual(secretEnv(userData, container),
                    Object.fromEntries(k8sEnv.filter((e) => e.valueFrom).map((e) => [e.name, `${e.valueFrom.secretKeyRef.name}/${e.valueFrom.secretKeyRef.key}`])),
                    `${container}: secrets`);
            }
        }
        assert.match(scripts["tracardi-vm-public-api-lt"], /tracardi\/tracardi-api:1\.0\.0/);
        assert.match(scripts["tracardi-vm-gui-lt"], /tracardi\/tracardi-gui:1\.0\.0/);
        assert.match(scripts["tracardi-vm-workers-lt"], /\[Unit\][\s\S]*After=tracardi-internal-api\.service[\s\S]*\/opt\/tracardi\/install\.py/);
        for (const tier of ["public-api", "internal-api", "gui"]) {
            assert.doesNotMatch(scripts[`tracardi-vm-${tier}-lt`], /apm|update-worker|install\.py/, `the ${tier} servers run workers or the install`);
        }
    });

    it("runs the workers and the install on one server of their own, never two at once, admitted as the GUI-facing tier", () => {
        const workers = tierOf(vm, "workers").inputs as Obj;
        assert.deepStrictEqual([workers.minSize, workers.desiredCapacity, workers.maxSize], [1, 1, 2]);
        assert.deepStrictEqual([workers.instanceRefresh.preferences.minHealthyPercentage, workers.instanceRefresh.preferences.maxHealthyPercentage], [0, 100],
            "a refresh would run two copies of each worker");
        const template = (group: string) => ofType(vm.resources, "aws:ec2/launchTemplate:LaunchTemplate").find((t) => t.name === `tracardi-vm-${group}-lt`)!;
        assert.deepStrictEqual((template("workers").inputs as Obj).networkInterfaces[0].securityGroups,
            (template("internal-api").inputs as Obj).networkInterfaces[0].securityGroups);
        const attached = ofType(vm.resources, "aws:autoscaling/attachment:Attachment").map((a) => String(a.inputs.autoscalingGroupName));
        assert.ok(!attached.some((name) => name.startsWith("tracardi-vm-workers-asg")), "the workers' server joins a load balancer");
    });

    it("keeps every secret in a Secrets Manager secret the servers read at start; no value reaches the user data", () => {
        // One for Tracardi's servers, one for the search servers: each group reads its own.
        const versions = ofType(vm.resources, "aws:secretsmanager/secretVersion:SecretVersion");
        assert.strictEqual(versions.length, 2);
        const stored: Record<string, Record<string, string>> = {};
        for (const version of versions) {
            assert.ok(version.secretInputs.includes("secretString"), "the secret's contents are not a Pulumi secret");
            const secret = vm.resources.find((r) => r.id === version.inputs.secretId)!;
            stored[String(secret.name)] = JSON.parse(String(version.inputs.secretString));
        }
        const scripts = Object.values(vmUserData(vm.resources));
        const specs = scripts.flatMap((text) => Object.values(fetchSpecs(text)));
        assert.ok(specs.length >= 8, `${specs.length} units fetch secrets`);
        for (const spec of specs) {
            const holder = Object.entries(stored).find(([name]) => spec.secretId.includes(`:secret:${name}-`));
            assert.ok(holder, `a unit reads ${spec.secretId}, which the stack does not make`);
            for (const key of [...spec.env.map((e) => e.key), ...spec.files.map((f) => f.key)]) {
                assert.ok(key in holder[1], `a unit fetches ${key}, which ${holder[0]} does not hold`);
            }
        }
        for (const value of Object.values(stored).flatMap((s) => Object.values(s))) {
            assert.ok(scripts.every((text) => !text.includes(value)), "a secret value is in the user data");
            for (const template of ofType(vm.resources, "aws:ec2/launchTemplate:LaunchTemplate")) {
                assert.ok(!JSON.stringify(template.inputs).includes(value), "a secret value is in a launch template");
            }
        }
    });

    it("every server's user data is a bash script that parses", () => {
        for (const [name, text] of Object.entries(vmUserData(vm.resources))) {
            const parsed = spawnSync("bash", ["-n"], { input: text, encoding: "utf8" });
            assert.strictEqual(parsed.status, 0, `${name}: ${parsed.stderr}`);
        }
    });

    it("the load balancers check each server itself: /healthcheck on the API port, / on the GUI, on the tier's group", () => {
        // The tiers' (the edge's); search's has its own test (test/ec2Search.test.ts).
        const groups = ofType(vm.resources, "aws:lb/targetGroup:TargetGroup").filter((g) => g.name.startsWith("tracardi-edge-"));
        assert.strictEqual(groups.length, 3 * vm.spec.loadBalancers.perCluster);
        const paths = groups.map((g) => [g.name.replace(/tg\d$/, ""), (g.inputs.healthCheck as Obj).path, (g.inputs.healthCheck as Obj).port, g.inputs.port]);
        for (const [, path, port, target] of paths) {
            assert.ok(["/healthcheck", "/"].includes(path) && port === "80" && target === 80, JSON.stringify(paths));
        }
        for (const group of groups) {
            const check = group.inputs.healthCheck as Obj;
            assert.deepStrictEqual([check.interval, check.timeout, check.unhealthyThreshold], [10, 5, 3], "the app's own check is asked as often as kube-proxy's");
        }
        assert.deepStrictEqual([...new Set(paths.filter(([n]) => n.endsWith("-gui-")).map(([, p]) => p))], ["/"]);
        // Each target group (two load balancers per tier) is attached to its tier's group (named <resource>-<suffix>).
        const attachments = ofType(vm.resources, "aws:autoscaling/attachment:Attachment").map((a) => String(a.inputs.autoscalingGroupName));
        for (const tier of ["public-api", "internal-api", "gui"]) {
            assert.strictEqual(attachments.filter((name) => name.startsWith(`${tierOf(vm, tier).name}-`)).length, vm.spec.loadBalancers.perCluster, tier);
        }
        // One rule per port: the health check uses the serving port, and AWS refuses a duplicate rule.
        const toServers = ofType(vm.resources, "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule").filter((r) => r.name.includes("-lb-to-servers"));
        assert.strictEqual(toServers.length, 3);
    });

    it("refuses ECK search on servers without Kubernetes, naming the key and what works", () => {
        const raw = tracardiValues(readStackFile("Pulumi.vm.yaml"));
        const withEck = { ...raw, elasticsearch: { provider: "eck", nodes: 3, instanceType: "r6i.large", volumeGiB: 100, version: "8.11.3" } };
        assert.throws(() => parseSpec(withEck), (err: unknown) => err instanceof ConfigError &&
            err.problems.some((p) => p.key === "elasticsearch.provider" && /compute vm has no Kubernetes/.test(p.reason) && /ec2.*external/.test(p.allowed ?? "")));
        assert.doesNotThrow(() => parseSpec(raw));
    });
});
