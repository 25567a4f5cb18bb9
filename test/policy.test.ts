import * as assert from "assert";
import * as fs from "fs";
import { builtinModules } from "module";
import * as os from "os";
import * as path from "path";
import type { ResourceValidationArgs, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import * as sdkProxy from "@pulumi/policy/proxy";
import { parse as parseYaml } from "yaml";
import { mocks, RecordedResource } from "../offline/mocks";
import { mandatoryViolations, PackConfig, renderVerdicts, runPolicies, Verdict } from "../offline/policyRunner";
import { policies } from "../policy/policies";
import { AWS, K8S } from "../policy/lib/types";
import { planOf, STACK_FILES } from "./helpers/plans";
import { changed, changedUserData, compliantStack, idOf, resource, urnOf, without } from "./helpers/policyStacks";
import { runPolicy } from "../offline/commands";
import { decodeUserData } from "../offline/userData";
import type { Run } from "./helpers/runTs";

type Inputs = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- crafted test data

const production = compliantStack("production");
const minimal = compliantStack("minimal");
const vmProduction = compliantStack("production", "vm");
const vmMinimal = compliantStack("minimal", "vm");

function policy(name: string) {
    const found = policies.find((p) => p.name === name);
    assert.ok(found, `the pack has no policy ${name}`);
    return found;
}

function run(stack: RecordedResource[], name: string, config?: PackConfig): Promise<Verdict[]> {
    return runPolicies(stack, { policies: [policy(name)], config });
}

/** Asserts the policy reports a violation whose message matches every pattern; returns its verdicts. */
async function caught(stack: RecordedResource[], name: string, patterns: RegExp[], config?: PackConfig): Promise<Verdict[]> {
    const verdicts = await run(stack, name, config);
    const hit = verdicts.find((v) => patterns.every((p) => p.test(v.message)));
    assert.ok(hit, `${name} did not report ${patterns.join(" and ")}; it reported:\n${renderVerdicts(verdicts)}`);
    return verdicts;
}

async function passes(stack: RecordedResource[], name: string, config?: PackConfig): Promise<void> {
    const verdicts = await run(stack, name, config);
    assert.deepStrictEqual(verdicts, [], renderVerdicts(verdicts));
}

const container = (inputs: Inputs) => inputs.spec.template.spec.containers[0];
const env = (inputs: Inputs, name: string) => container(inputs).env.find((e: Inputs) => e.name === name);

describe("policy pack: every stack file", () => {
    for (const file of STACK_FILES) {
        it(`${file} has no mandatory violation`, async () => {
            const verdicts = await runPolicies((await planOf(file)).resources);
            assert.deepStrictEqual(mandatoryViolations(verdicts), [], renderVerdicts(verdicts));
        });
    }
});

describe("policy pack: as `pulumi preview --policy-pack policy` loads it", () => {
    const root = JSON.parse(fs.readFileSync("package.json", "utf8"));
    const pack = JSON.parse(fs.readFileSync("policy/package.json", "utf8"));

    it("has its own PulumiPolicy.yaml, package.json on the root's exact SDK versions, and builds the pack only in index.ts", () => {
        assert.strictEqual(parseYaml(fs.readFileSync("policy/PulumiPolicy.yaml", "utf8")).runtime, "nodejs");
        assert.strictEqual(pack.dependencies["@pulumi/pulumi"], root.dependencies["@pulumi/pulumi"]);
        assert.strictEqual(pack.dependencies["@pulumi/policy"], root.devDependencies["@pulumi/policy"]);
        assert.strictEqual(pack.dependencies["ipaddr.js"], root.dependencies["ipaddr.js"]);
        const constructing = ["policy/index.ts", ...fs.readdirSync("policy/policies").map((f) => `policy/policies/${f}`),
            ...fs.readdirSync("policy/lib").map((f) => `policy/lib/${f}`)].filter((f) => /new PolicyPack\(/.test(fs.readFileSync(f, "utf8")));
        assert.deepStrictEqual(constructing, ["policy/index.ts"]);
    });

    it("imports nothing from outside policy/ but its dependencies and Node's own modules, so it runs and publishes as a directory of its own", () => {
        const files = ["policy/index.ts", ...["policies", "lib"].flatMap((d) => fs.readdirSync(`policy/${d}`).map((f) => `policy/${d}/${f}`))];
        for (const file of files) {
            for (const [, spec] of fs.readFileSync(file, "utf8").matchAll(/from "([^"]+)"/g)) {
                const local = spec.startsWith(".");
                const packageName = spec.split("/").slice(0, spec.startsWith("@") ? 2 : 1).join("/");
                const builtin = builtinModules.includes(spec.replace(/^node:/, ""));
                assert.ok(local ? path.resolve(path.dirname(file), spec).startsWith(path.resolve("policy")) : builtin || packageName in pack.dependencies,
                    `${file} imports ${spec}`);
            }
        }
    });

    it("names, describes and levels every policy, and gives every threshold a default", () => {
        const names = policies.map((p) => p.name);
        assert.strictEqual(new Set(names).size, names.length, "policy names must be unique");
        for (const p of policies) {
            assert.match(p.name, /^tracardi-[a-z0-9-]+$/);
            assert.ok(p.description.length > 20, p.name);
            assert.ok(p.enforcementLevel === "mandatory" || p.enforcementLevel === "advisory", p.name);
            for (const [key, schema] of Object.entries(p.configSchema?.properties ?? {})) {
                assert.notStrictEqual(schema.default, undefined, `${p.name}.${key} has no default`);
            }
        }
    });
});

describe("policy pack: crafted compliant stacks", () => {
    it("a complete production stack passes every policy, advisory ones included", async () => {
        const verdicts = await runPolicies(production);
        assert.deepStrictEqual(verdicts, [], renderVerdicts(verdicts));
    });

    it("a minimal-profile stack passes every mandatory policy with the small thresholds, and is advised to add NAT gateways", async () => {
        const verdicts = await runPolicies(minimal);
        assert.deepStrictEqual(verdicts.map((v) => [v.policy, v.level]), [["tracardi-nat-per-zone", "advisory"]], renderVerdicts(verdicts));
        assert.match(verdicts[0].message, /set tracardi:network\.natGateways to perZone/);
    });

    it("the pack config sets levels and thresholds as --policy-pack-config does, and rejects unknown policies", async () => {
        const tighter = { "tracardi-public-api-cluster": { minPublicApiInstances: 4 } };
        await caught(production, "tracardi-public-api-cluster", [/set tracardi:publicApi\.instances to 4 or more/], tighter);
        const downgraded = await run(changed(production, "public-api", (i) => (i.spec.replicas = 1)), "tracardi-public-api-cluster",
            { "tracardi-public-api-cluster": "advisory" });
        assert.deepStrictEqual(downgraded.map((v) => v.level), ["advisory"]);
        assert.deepStrictEqual(await run(changed(production, "public-api", (i) => (i.spec.replicas = 1)), "tracardi-public-api-cluster",
            { "tracardi-public-api-cluster": "disabled" }), []);
        await assert.rejects(runPolicies(production, { config: { "tracardi-no-such-policy": "advisory" } }), /unknown policies: tracardi-no-such-policy/);
    });
});

/** The SDK's preview proxy (internal, untyped): reading a value marked unknown throws, as in `pulumi preview`. */
const preview = sdkProxy as unknown as { unknownCheckingProxy<T>(value: T): T; unknownStringValue: string };

/** Runs one resource policy on props as `pulumi preview` hands them over, with some values unknown. */
async function previewVerdicts(name: string, type: string, props: Record<string, unknown>): Promise<string[]> {
    const messages: string[] = [];
    const args = {
        type, name: "r", urn: urnOf(type, "r"), props: preview.unknownCheckingProxy(props),
        opts: { protect: false, ignoreChanges: [], aliases: [], customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 }, additionalSecretOutputs: [] },
        stackTags: new Map(), getConfig: () => ({}), notApplicable: () => { throw new Error("not applicable"); },
        isType: () => false, asType: () => undefined,
    } as unknown as ResourceValidationArgs;
    await (policy(name) as ResourceValidationPolicy & { validateResource: (a: ResourceValidationArgs, r: (m: string) => void) => void })
        .validateResource(args, (m) => messages.push(m));
    return messages;
}

/** Runs one stack policy as `pulumi preview` hands resources over: their inputs and ids, values marked unknown throwing on a read. */
async function previewStackVerdicts(name: string, stack: RecordedResource[]): Promise<string[]> {
    const messages: string[] = [];
    const views = stack.map((r) => ({
        type: r.type, name: r.name, urn: r.urn, props: preview.unknownCheckingProxy({ ...r.inputs, id: r.id }), dependencies: [] as unknown[],
        opts: { protect: r.protect, ignoreChanges: [], aliases: [], customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 }, additionalSecretOutputs: [] },
        propertyDependencies: {}, isType: () => false, asType: () => undefined,
    }));
    views.forEach((v, i) => (v.dependencies = stack[i].dependsOn.map((urn) => views.find((w) => w.urn === urn)).filter((d) => d !== undefined)));
    const args = { resources: views, stackTags: new Map(), getConfig: () => ({}), notApplicable: () => { throw new Error("not applicable"); } };
    await (policy(name) as StackValidationPolicy).validateStack(args as never, (m) => messages.push(m));
    return messages;
}

describe("policy pack: during a preview", () => {
    it("checks what is known and reads no value that is not (a certificate, a generated token, a new group's id)", async () => {
        const unknown = preview.unknownStringValue;
        assert.deepStrictEqual((await previewVerdicts("tracardi-modern-tls", AWS.listener,
            { protocol: "HTTPS", sslPolicy: "ELBSecurityPolicy-2016-08", certificateArn: unknown })).length, 1);
        assert.deepStrictEqual(await previewVerdicts("tracardi-installation-token", K8S.secret,
            { stringData: { installationToken: unknown, mysqlPassword: unknown } }), []);
        assert.deepStrictEqual(await previewVerdicts("tracardi-trusted-ingress-only", AWS.ingressRule,
            { securityGroupId: unknown, referencedSecurityGroupId: unknown, ipProtocol: "tcp", fromPort: 6379, toPort: 6379 }), []);
        assert.deepStrictEqual(await previewVerdicts("tracardi-sg-rule-descriptions", AWS.ingressRule,
            { securityGroupId: unknown, referencedSecurityGroupId: unknown, ipProtocol: "tcp", fromPort: 3306, toPort: 3306, description: "MySQL from the API" }), []);
        assert.deepStrictEqual(await previewVerdicts("tracardi-no-ssh-from-internet", AWS.ingressRule,
            { securityGroupId: unknown, cidrIpv4: "0.0.0.0/0", ipProtocol: "-1" }), ["r opens SSH (port 22) to 0.0.0.0/0: remove the rule; reach servers through SSM Session Manager or from inside the VPC"]);
    });
});

describe("policy pack: topology", () => {
    it("tracardi-public-api-cluster: at least 3 public instances with EXPOSE_GUI_API=no", async () => {
        await caught(changed(production, "public-api", (i) => (i.spec.replicas = 2)), "tracardi-public-api-cluster",
            [/runs 2 instance/, /set tracardi:publicApi\.instances to 3 or more/]);
        await caught(changed(production, "public-api", (i) => (env(i, "EXPOSE_GUI_API").value = "yes")), "tracardi-public-api-cluster",
            [/sets EXPOSE_GUI_API=yes/, /set EXPOSE_GUI_API=no/]);
        await caught(changed(production, "public-api", (i) => (container(i).env = [])), "tracardi-public-api-cluster", [/unset \(Tracardi then defaults to yes\)/]);
        await caught(without(production, (r) => r.name === "public-api"), "tracardi-public-api-cluster", [/no public-api Deployment/]);
        await passes(minimal, "tracardi-public-api-cluster");
    });

    it("tracardi-gui-api-cluster: the GUI-facing API runs EXPOSE_GUI_API=yes (internal-api, or api in a minimal stack)", async () => {
        await caught(changed(production, "internal-api", (i) => (env(i, "EXPOSE_GUI_API").value = "no")), "tracardi-gui-api-cluster",
            [/internal-api/, /set EXPOSE_GUI_API=yes/]);
        await caught(changed(minimal, "api", (i) => (env(i, "EXPOSE_GUI_API").value = "no")), "tracardi-gui-api-cluster", [/\(api\)/, /set EXPOSE_GUI_API=yes/]);
        await caught(without(production, (r) => r.name === "internal-api"), "tracardi-gui-api-cluster", [/no internal-api Deployment/, /tracardi:internalApi/]);
    });

    it("tracardi-api-instances: 5 API instances in production, 2 in a minimal stack", async () => {
        await caught(changed(production, "internal-api", (i) => (i.spec.replicas = 1)), "tracardi-api-instances",
            [/4 instance\(s\) in all \(public-api 3, internal-api 1\)/, /tracardi:publicApi\.instances and tracardi:internalApi\.instances/, /5 or more/]);
        await caught(changed(minimal, "api", (i) => (i.spec.replicas = 1)), "tracardi-api-instances", [/set tracardi:publicApi\.instances to 2 or more/]);
    });

    it("tracardi-gui-instances: 2 GUI instances in production, 1 in a minimal stack", async () => {
        await caught(changed(production, "gui", (i) => (i.spec.replicas = 1)), "tracardi-gui-instances", [/set tracardi:gui\.instances to 2 or more/]);
        await caught(without(minimal, (r) => r.name === "gui" && r.type === K8S.deployment), "tracardi-gui-instances", [/no gui Deployment/]);
    });

    it("tracardi-search-cluster: 3 zone-aware nodes over 3 zones in production; 1 node over 2 zones in a minimal stack", async () => {
        await caught(changed(production, "search", (i) => (i.spec.nodeSets[0].count = 2)), "tracardi-search-cluster",
            [/set tracardi:elasticsearch\.nodes to 3 or more/]);
        await caught(without(production, (r) => r.type === AWS.subnet && r.name.endsWith("-2")), "tracardi-search-cluster",
            [/spans 2 availability zone/, /set tracardi:network\.availabilityZones to 3 or more/]);
        await caught(changed(production, "search", (i) => delete i.spec.nodeSets[0].zoneAwareness), "tracardi-search-cluster", [/not zone-aware/]);
        await passes(changed(production, "search", (i) => (i.spec.nodeSets[0] = {
            name: "default", count: 3,
            config: { "node.attr.zone": "${ZONE}", "cluster.routing.allocation.awareness.attributes": "k8s_node_name,zone" },
            podTemplate: { spec: { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "DoNotSchedule" }] } },
        })), "tracardi-search-cluster");
        const external = (hosts: string[], cloudId?: string) => ["public-api", "internal-api"].reduce((stack, tier) => changed(stack, tier, (i) =>
            container(i).env.push(cloudId ? { name: "ELASTIC_CLOUD_ID", value: cloudId } : { name: "ELASTIC_HOST", value: hosts.join(",") })),
        without(production, (r) => r.type === K8S.elasticsearch));
        await caught(external([]), "tracardi-search-cluster", [/runs no Elasticsearch resource/, /set tracardi:elasticsearch\.provider to eck/]);
        await caught(external(["es-1:9200", "es-2:9200"]), "tracardi-search-cluster",
            [/reaches 2 external search host/, /list 3 or more in tracardi:elasticsearch\.hosts/]);
        await passes(external(["es-1:9200", "es-2:9200", "es-3:9200"]), "tracardi-search-cluster");
        await passes(external([], "deployment:ZXUtd2VzdC0xLmF3cy5mb3VuZC5pbyQ"), "tracardi-search-cluster");
        await caught(without(minimal, (r) => r.type === AWS.subnet && r.name.endsWith("-1")), "tracardi-search-cluster",
            [/set tracardi:network\.availabilityZones to 2 or more/]);
    });

    it("tracardi-api-one-per-server: hostname anti-affinity, pinned to the tier's node group, a server per instance", async () => {
        await caught(changed(production, "public-api", (i) => delete i.spec.template.spec.affinity), "tracardi-api-one-per-server",
            [/two API instances on one server/, /podAntiAffinity/]);
        await caught(changed(production, "public-api", (i) => delete i.spec.template.spec.nodeSelector), "tracardi-api-one-per-server",
            [/set nodeSelector tracardi\.io\/tier: public-api/]);
        await caught(changed(production, "public-api-ng", (i) => (i.scalingConfig.desiredSize = 2)), "tracardi-api-one-per-server",
            [/run 2 server\(s\) for 3 instance/, /tracardi:publicApi\.instances/]);
        await caught(without(minimal, (r) => r.name === "api-ng"), "tracardi-api-one-per-server", [/api tier has no node group/]);
    });

    it("tracardi-clusters-behind-load-balancers: 2 load balancers per cluster in production, 1 in a minimal stack", async () => {
        await caught(without(production, (r) => r.name === "gui-lb-1"), "tracardi-clusters-behind-load-balancers",
            [/gui cluster sits behind 1 load balancer/, /set tracardi:loadBalancers\.perCluster to 2 or more/]);
        await caught(without(minimal, (r) => r.name === "api-lb-0"), "tracardi-clusters-behind-load-balancers",
            [/api cluster has no load balancer/, /tracardi:tier=api/]);
    });
});

describe("policy pack: exposure", () => {
    it("tracardi-trusted-ingress-only: only the collector's load balancers admit the Internet, on 80/443, IPv4 and IPv6", async () => {
        await caught(changed(production, "gui-lb-sg", (i) => i.ingress.push({ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] })),
            "tracardi-trusted-ingress-only", [/gui-lb-sg admits tcp 443 from 0\.0\.0\.0\/0 \(the whole Internet\)/, /tracardi:trustedCidrs/]);
        const ipv6 = [...production, resource(AWS.ingressRule, "internal-open", {
            securityGroupId: "sg-1", cidrIpv6: "::/0", ipProtocol: "tcp", fromPort: 443, toPort: 443, tags: { "tracardi:tier": "internal-api" },
        })];
        await caught(ipv6, "tracardi-trusted-ingress-only", [/internal-open admits tcp 443 from ::\/0/]);
        const halves = [...production, resource(AWS.securityGroupRule, "sneaky", {
            type: "ingress", securityGroupId: "sg-1", protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/1", "128.0.0.0/1"],
        })];
        const verdicts = await caught(halves, "tracardi-trusted-ingress-only", [/0\.0\.0\.0\/1 \(wider than \/8/, /SecurityGroupRule cannot carry/]);
        assert.strictEqual(verdicts.length, 2);
        await caught(changed(production, "public-api-lb-sg", (i) => (i.ingress[0].toPort = 8080)), "tracardi-trusted-ingress-only",
            [/cluster public-api\) admits tcp 80-8080 from 0\.0\.0\.0\/0/, /tcp 80 and 443 only/]);
        await caught(production, "tracardi-trusted-ingress-only", [/203\.0\.113\.0\/24 \(outside the trusted networks 198\.51\.100\.0\/24\)/],
            { "tracardi-trusted-ingress-only": { trustedCidrs: ["198.51.100.0/24"] } });
        await passes(production, "tracardi-trusted-ingress-only", { "tracardi-trusted-ingress-only": { trustedCidrs: ["203.0.113.0/24", "2001:db8::/32"] } });
    });

    it("tracardi-public-lb-collector-paths-only: public listeners forward collector paths; other paths only to trusted networks", async () => {
        await caught(changed(production, "public-api-https-0", (i) => (i.defaultActions = [{ type: "forward", targetGroupArn: "arn" }])),
            "tracardi-public-lb-collector-paths-only", [/forwards every path by default/, /fixed-response 404/]);
        await caught(changed(production, "public-api-public-0", (i) => i.conditions[0].pathPattern.values.push("/install")),
            "tracardi-public-lb-collector-paths-only", [/forwards \/install from the Internet/, /sourceIp condition on tracardi:trustedCidrs/]);
        await caught(changed(production, "public-api-public-0", (i) => (i.conditions = [{ hostHeader: { values: ["track.example.com"] } }])),
            "tracardi-public-lb-collector-paths-only", [/forwards every path from the Internet/]);
        await caught(changed(minimal, "api-trusted-0", (i) => (i.conditions = [{ sourceIp: { values: ["0.0.0.0/0"] } }])),
            "tracardi-public-lb-collector-paths-only", [/api-trusted-0 \(cluster api\) forwards every path/]);
        await caught(changed(production, "gui-trusted-0", (i) => delete i.tags), "tracardi-public-lb-collector-paths-only", [/has no tracardi:tier tag/]);
        await passes(minimal, "tracardi-public-lb-collector-paths-only");
    });

    it("tracardi-no-track-debug: TRACK_DEBUG is never on, in env or a ConfigMap", async () => {
        await caught(changed(production, "internal-api", (i) => (env(i, "TRACK_DEBUG").value = "yes")), "tracardi-no-track-debug",
            [/container api sets TRACK_DEBUG=yes/, /set it to no/]);
        await caught([...production, resource(K8S.configMap, "api-env", { data: { TRACK_DEBUG: "On" } })], "tracardi-no-track-debug",
            [/ConfigMap api-env sets TRACK_DEBUG=On/]);
    });

    it("tracardi-no-search-superuser: Tracardi's containers never log in to search as elastic", async () => {
        await caught(changed(production, "public-api", (i) => (env(i, "ELASTIC_HTTP_AUTH_USERNAME").value = "elastic")), "tracardi-no-search-superuser",
            [/public-api container api logs in to Elasticsearch as elastic, the superuser/, /role limited to Tracardi's indices/]);
        await passes(production, "tracardi-no-search-superuser");
    });

    it("tracardi-installation-token: never the default, always from a Secret", async () => {
        const setToken = (value?: string) => changed(production, "public-api", (i) => {
            container(i).env = container(i).env.filter((e: Inputs) => e.name !== "INSTALLATION_TOKEN");
            if (value !== undefined) {
                container(i).env.push({ name: "INSTALLATION_TOKEN", value });
            }
        });
        await caught(setToken("tracardi"), "tracardi-installation-token", [/Tracardi's default/, /valueFrom\.secretKeyRef/]);
        await caught(setToken("s3cr3t-but-plain"), "tracardi-installation-token", [/plain value/, /from a Secret/]);
        await caught(setToken(), "tracardi-installation-token", [/leaves INSTALLATION_TOKEN unset/]);
        await caught(changed(production, "tracardi-secrets", (i) => (i.stringData.installationToken = "tracardi")), "tracardi-installation-token",
            [/Secret tracardi-secrets holds Tracardi's default installation token/]);
        await caught([...production, resource(K8S.secret, "legacy", { data: { INSTALLATION_TOKEN: Buffer.from("tracardi").toString("base64") } })],
            "tracardi-installation-token", [/Secret legacy holds Tracardi's default/]);
        await caught([...production, resource(K8S.configMap, "env", { data: { INSTALLATION_TOKEN: "x" } })], "tracardi-installation-token",
            [/move it to a Secret/]);
    });
});

describe("policy pack: transport", () => {
    it("tracardi-modern-tls: HTTPS listeners use a TLS 1.2+/1.3 policy and a certificate", async () => {
        await caught(changed(production, "gui-https-0", (i) => (i.sslPolicy = "ELBSecurityPolicy-2016-08")), "tracardi-modern-tls",
            [/uses ELBSecurityPolicy-2016-08/, /set sslPolicy to ELBSecurityPolicy-TLS13-1-2-2021-06/]);
        await caught(changed(production, "gui-https-0", (i) => delete i.sslPolicy), "tracardi-modern-tls", [/AWS applies ELBSecurityPolicy-2016-08/]);
        await caught(changed(production, "gui-https-0", (i) => delete i.certificateArn), "tracardi-modern-tls", [/no certificateArn/]);
    });

    it("tracardi-http-redirects-only: HTTP listeners only redirect to HTTPS", async () => {
        await caught(changed(production, "gui-http-0", (i) => (i.defaultActions = [{ type: "forward", targetGroupArn: "arn" }])),
            "tracardi-http-redirects-only", [/does more than redirect/, /redirect to HTTPS/]);
        await caught(changed(production, "gui-http-0", (i) => (i.protocol = "TCP")), "tracardi-http-redirects-only", [/serves TCP in clear text/]);
    });

    it("tracardi-no-sticky-sessions: no stickiness on target groups or forward actions", async () => {
        await caught(changed(production, "gui-tg-0", (i) => (i.stickiness = { type: "lb_cookie" })), "tracardi-no-sticky-sessions",
            [/target group gui-tg-0 has sticky sessions/]);
        await passes(changed(production, "gui-tg-0", (i) => (i.stickiness = { type: "lb_cookie", enabled: false })), "tracardi-no-sticky-sessions");
        await caught(changed(production, "gui-trusted-0", (i) => (i.actions = [{ type: "forward", forward: { targetGroups: [{ arn: "a" }], stickiness: { enabled: true, duration: 60 } } }])),
            "tracardi-no-sticky-sessions", [/forward\.stickiness\.enabled to false/]);
    });
});

describe("policy pack: data", () => {
    it("tracardi-encryption-at-rest: volumes, databases, caches and EBS storage classes are encrypted", async () => {
        const name = "tracardi-encryption-at-rest";
        await caught(changed(production, "gui-lt", (i) => (i.blockDeviceMappings[0].ebs.encrypted = "false")), name, [/volume \/dev\/xvda is not encrypted/]);
        await caught(changed(production, "gui-lt", (i) => delete i.blockDeviceMappings), name, [/account default/, /ebs\.encrypted "true"/]);
        await caught(changed(production, "mysql", (i) => (i.storageEncrypted = false)), name, [/set storageEncrypted: true/]);
        await caught(changed(production, "redis", (i) => delete i.atRestEncryptionEnabled), name, [/set atRestEncryptionEnabled: true/]);
        await caught(changed(production, "search-storage", (i) => delete i.parameters.encrypted), name, [/set parameters\.encrypted to "true"/]);
        await caught([...production, resource(AWS.ebsVolume, "scratch", { size: 10 }, { protect: true })], name, [/EBS volume scratch is not encrypted/]);
        await caught([...production, resource(AWS.instance, "bastion", { rootBlockDevice: { encrypted: false } })], name, [/instance bastion has unencrypted volumes/]);
    });

    it("tracardi-bucket-encryption: every bucket declares its default encryption", async () => {
        await caught(without(production, (r) => r.type === AWS.bucketEncryption), "tracardi-bucket-encryption",
            [/search-snapshots declares no default encryption/, /BucketServerSideEncryptionConfiguration/]);
        const inline = changed(without(production, (r) => r.type === AWS.bucketEncryption), "search-snapshots", (i) =>
            (i.serverSideEncryptionConfiguration = { rule: { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } } }));
        await passes(inline, "tracardi-bucket-encryption");
    });

    it("tracardi-stateful-protected: data stores carry protect, deletion protection and retained volumes", async () => {
        const name = "tracardi-stateful-protected";
        await caught(changed(production, "mysql", (_, r) => (r.protect = false)), name, [/mysql holds data/, /protect: true/]);
        await caught(changed(production, "search-snapshots", (_, r) => (r.protect = false)), name, [/search-snapshots holds data/]);
        await caught(changed(production, "mysql", (i) => (i.deletionProtection = false)), name, [/set deletionProtection: true/]);
        await caught(changed(production, "mysql", (i) => (i.skipFinalSnapshot = true)), name, [/skipFinalSnapshot: false/]);
        await caught(changed(production, "search-storage", (i) => (i.reclaimPolicy = "Delete")), name, [/set reclaimPolicy: Retain/]);
        await caught(changed(production, "search", (i) => (i.spec.volumeClaimDeletePolicy = "DeleteOnScaledownAndClusterDeletion")), name,
            [/volumeClaimDeletePolicy to DeleteOnScaledownOnly/]);
        await caught([...production, resource(K8S.pvc, "data", { spec: {} })], name, [/data holds data/]);
        // A bucket that only receives the load balancers' access logs is a record, not data.
        await passes([...production, resource(AWS.bucket, "lb-logs", { bucket: "access-logs" })], name);
        await caught([...production, resource(AWS.bucket, "exports", { bucket: "exports" })], name, [/exports holds data/]);
    });

    it("tracardi-data-stores-private: MySQL and Redis sit in data subnets and admit only the API tiers' servers", async () => {
        const name = "tracardi-data-stores-private";
        await caught(changed(production, "mysql", (i) => (i.publiclyAccessible = true)), name, [/publicly accessible/, /publiclyAccessible: false/]);
        const publicSubnet = production.find((r) => r.name === "public-0")!;
        await caught(changed(production, "redis-subnets", (i, r) => {
            i.subnetIds.push(idOf(publicSubnet));
            r.dependsOn.push(publicSubnet.urn);
        }), name, [/ReplicationGroup redis can be placed in subnet public-0 \(tier public\)/]);
        await caught(changed(production, "mysql", (i, r) => {
            delete i.dbSubnetGroupName;
            r.dependsOn = r.dependsOn.filter((u) => u !== urnOf(AWS.rdsSubnetGroup, "mysql-subnets"));
        }), name, [/Instance mysql has no subnet group/]);
        const mysqlSg = production.find((r) => r.name === "mysql-sg")!;
        const guiNodes = production.find((r) => r.name === "gui-nodes")!;
        await caught([...production, resource(AWS.ingressRule, "mysql-from-vpc", {
            securityGroupId: idOf(mysqlSg), cidrIpv4: "10.0.0.0/16", ipProtocol: "tcp", fromPort: 3306, toPort: 3306,
        })], name, [/mysql-from-vpc lets 10\.0\.0\.0\/16 reach Instance mysql/, /never networks/]);
        await caught([...production, resource(AWS.securityGroupRule, "mysql-from-gui", {
            type: "ingress", securityGroupId: idOf(mysqlSg), sourceSecurityGroupId: idOf(guiNodes), protocol: "tcp", fromPort: 3306, toPort: 3306,
        })], name, [new RegExp(`mysql-from-gui lets security group ${idOf(guiNodes)} reach Instance mysql`)]);
    });

    it("tracardi-search-private: no external service; a NetworkPolicy, enforced, admits only the API tiers", async () => {
        const name = "tracardi-search-private";
        await caught(without(production, (r) => r.type === K8S.networkPolicy), name, [/admits every pod of the cluster/, /add a NetworkPolicy/]);
        await caught(changed(production, "search-clients", (i) => i.spec.ingress[0].from.push({ podSelector: {} })), name, [/admits more than the API tiers/]);
        await caught(changed(production, "search-clients", (i) => i.spec.ingress[0].from.push({ ipBlock: { cidr: "10.0.0.0/8" } })), name,
            [/admits more than the API tiers/]);
        await caught(changed(production, "search-clients", (i) => i.spec.ingress[0].from[0].podSelector.matchExpressions[0].values.push("gui")), name,
            [/admits more than the API tiers/]);
        const broad = resource(K8S.networkPolicy, "allow-all", {
            metadata: { name: "allow-all", namespace: "tracardi" }, spec: { podSelector: {}, ingress: [{ from: [{ podSelector: {} }] }] },
        });
        await caught([...production, broad], name, [/NetworkPolicy allow-all admits more than the API tiers/]);
        const apiOnly = changed([broad], "allow-all", (i) => (i.spec.podSelector = { matchLabels: { "app.kubernetes.io/component": "public-api" } }));
        await passes([...production, ...apiOnly], name);
        await caught(changed(production, "search", (i) => (i.spec.http = { service: { spec: { type: "LoadBalancer" } } })), name, [/leave spec\.http\.service\.spec\.type as ClusterIP/]);
        await caught(changed(production, "vpc-cni", (i) => (i.configurationValues = "{}")), name, [/NetworkPolicies are not enforced/]);
    });
});

describe("policy pack: servers", () => {
    it("tracardi-imdsv2-required: launch templates require IMDSv2; node groups use one", async () => {
        await caught(changed(production, "public-api-lt", (i) => (i.metadataOptions.httpTokens = "optional")), "tracardi-imdsv2-required",
            [/public-api-lt allows IMDSv1/, /httpTokens to "required"/]);
        await caught(changed(production, "gui-ng", (i) => delete i.launchTemplate), "tracardi-imdsv2-required", [/EKS's default launch template/]);
    });

    it("tracardi-no-public-ips: subnets and launch templates hand out no public addresses", async () => {
        await caught(changed(production, "public-0", (i) => (i.mapPublicIpOnLaunch = true)), "tracardi-no-public-ips", [/set mapPublicIpOnLaunch: false/]);
        await caught(changed(production, "gui-lt", (i) => (i.networkInterfaces = [{ associatePublicIpAddress: "true" }])), "tracardi-no-public-ips",
            [/gui-lt asks for a public IP/]);
    });

    it("tracardi-no-ssh-from-internet: port 22 stays closed to public networks; node groups open no SSH", async () => {
        await caught(changed(production, "gui-nodes", (i) => (i.ingress = [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["203.0.113.0/24"] }])),
            "tracardi-no-ssh-from-internet", [/opens SSH \(port 22\) to 203\.0\.113\.0\/24/, /SSM Session Manager/]);
        await passes(changed(production, "gui-nodes", (i) => (i.ingress = [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["10.0.0.0/16"] }])),
            "tracardi-no-ssh-from-internet");
        await caught(changed(production, "gui-ng", (i) => (i.remoteAccess = { ec2SshKey: "ops" })), "tracardi-no-ssh-from-internet",
            [/remoteAccess without sourceSecurityGroupIds/]);
    });
});

describe("policy pack: audit", () => {
    it("tracardi-sg-rule-descriptions: every rule, inline or a resource, ingress or egress, has a description EC2 accepts", async () => {
        const name = "tracardi-sg-rule-descriptions";
        await caught(changed(production, "gui-lb-sg", (i) => delete i.ingress[1].description), name,
            [/security-group gui-lb-sg ingress rule 2 has no description/, /whom it admits and why/]);
        await caught(changed(production, "mysql-from-public-api-nodes", (i) => (i.description = "  ")), name,
            [/security-group mysql-from-public-api-nodes has no description/]);
        await caught(changed(production, "redis-from-internal-api-nodes", (i) => (i.description = "Redis from the API's servers")), name,
            [/characters EC2 refuses \("'"\)/]);
        await caught(changed(production, "gui-lb-sg", (i) => (i.ingress[0].description = `"${"x".repeat(254)}"`)), name,
            [/ingress rule 1 has a description of 256 characters; EC2 allows 255/]);
        await caught(changed(production, "gui-nodes", (i) => (i.egress = [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }])), name,
            [/gui-nodes egress rule 1 has no description/]);
        await caught([...production, resource("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", "lb-out", { ipProtocol: "tcp", fromPort: 30080, toPort: 30080 })],
            name, [/security-group lb-out has no description/]);
        await caught([...production, resource(AWS.securityGroupRule, "legacy", { type: "ingress", protocol: "tcp", fromPort: 443, toPort: 443, description: "a & b" })],
            name, [/legacy has a description with characters EC2 refuses \("&"\)/]);
        // The group's own description is not a rule's: AWS's default ("Managed by Pulumi") is no violation.
        await passes(changed(production, "gui-nodes", (i) => delete i.description), name);
    });

    it("tracardi-waf-logging: a web ACL in front of load balancers logs, redacting authorization and cookie", async () => {
        const name = "tracardi-waf-logging";
        await caught(without(production, (r) => r.type === AWS.webAclLogging), name,
            [/WebAcl waf guards load balancers but logs no requests/, /aws-waf-logs-/, /authorization and cookie/]);
        await caught(changed(production, "waf-logging", (i) => (i.redactedFields = [{ singleHeader: { name: "authorization" } }])), name,
            [/writes the cookie header\(s\) of every request/, /name: "cookie"/]);
        await caught(changed(production, "waf-logging", (i) => (i.redactedFields = [{ singleHeader: { name: "Authorization" } }, { singleHeader: { name: "Cookie" } }])),
            name, [/writes the authorization and cookie header/, /lower case/]);
        await caught(changed(production, "waf-logging", (i) => delete i.redactedFields), name, [/authorization and cookie/]);
        await caught(changed(production, "waf-logging", (i) => (i.logDestinationConfigs = [])), name, [/names no log destination/]);
        await caught(changed(minimal, "waf-logging", (_, r) => (r.dependsOn = [])), name, [/WebAcl waf guards load balancers but logs no requests/]);
        // Found by ARN as well as by dependency: the logging configuration names the web ACL's ARN.
        const acl = production.find((r) => r.type === AWS.webAcl)!;
        const { state } = mocks.newResource({ type: acl.type, name: acl.name, inputs: acl.inputs, custom: true, provider: "" }) as { state: Inputs };
        const byArn = changed(production, "waf-logging", (i, r) => {
            r.dependsOn = [];
            i.resourceArn = state.arn;
        });
        await passes(changed(byArn, "public-api-waf-0", (i) => (i.webAclArn = "x")), name);
        // A web ACL that guards nothing is not judged.
        await passes(without(without(production, (r) => r.type === AWS.webAclLogging), (r) => r.type === AWS.webAclAssociation), name);
        await caught(without(production, (r) => r.type === AWS.webAclLogging), name, [/logs no requests/], { [name]: { redactedHeaders: ["x-api-key"] } });
    });
});

describe("policy pack: advisory", () => {
    it("warns about access logs, invalid headers, flow logs and a public EKS endpoint, at advisory level", async () => {
        const cases: [RecordedResource[], string, RegExp][] = [
            [changed(production, "gui-lb-0", (i) => delete i.accessLogs), "tracardi-lb-access-logs", /keeps no access logs/],
            [changed(production, "gui-lb-0", (i) => delete i.dropInvalidHeaderFields), "tracardi-lb-drop-invalid-headers", /dropInvalidHeaderFields: true/],
            [without(production, (r) => r.type === AWS.flowLog), "tracardi-vpc-flow-logs", /VPC vpc records no flow logs/],
            [changed(production, "eks", (i) => delete i.vpcConfig.publicAccessCidrs), "tracardi-eks-endpoint-restricted", /publicAccessCidrs/],
        ];
        for (const [stack, name, pattern] of cases) {
            const verdicts = await caught(stack, name, [pattern]);
            assert.deepStrictEqual(verdicts.map((v) => v.level), ["advisory"], name);
        }
    });
});

describe("policy pack: servers without Kubernetes (tracardi:compute vm)", () => {
    /** Sets (or, with undefined, removes) one line NAME=value of a container's plain env file in the user data. */
    const setEnv = (stack: RecordedResource[], template: string, container: string, name: string, value?: string) =>
        changedUserData(stack, template, (script) => {
            const header = `cat > /etc/tracardi/${container}.env <<'TRACARDI_EOF'\n`;
            const start = script.indexOf(header) + header.length;
            const end = script.indexOf("TRACARDI_EOF\n", start);
            assert.ok(start >= header.length && end > start, `no env file of ${container} in ${template}`);
            const lines = script.slice(start, end).split("\n").filter((l) => l !== "" && !l.startsWith(`${name}=`));
            const body = [...(value === undefined ? [] : [`${name}=${value}`]), ...lines].map((l) => `${l}\n`).join("");
            return script.slice(0, start) + body + script.slice(end);
        });
    const resize = (stack: RecordedResource[], group: string, size: { desiredCapacity?: number; minSize?: number }) =>
        changed(stack, group, (i) => Object.assign(i, size));

    it("compliant VM stacks pass every policy: production with no verdict at all, minimal with the small thresholds", async () => {
        const verdicts = await runPolicies(vmProduction);
        assert.deepStrictEqual(verdicts, [], renderVerdicts(verdicts));
        const small = await runPolicies(vmMinimal);
        assert.deepStrictEqual(small.map((v) => v.policy), ["tracardi-nat-per-zone"], renderVerdicts(small));
    });

    it("tracardi-public-api-cluster: 3 public servers whose user data sets EXPOSE_GUI_API=no", async () => {
        const name = "tracardi-public-api-cluster";
        await caught(setEnv(vmProduction, "public-api-lt", "public-api", "EXPOSE_GUI_API", "yes"), name,
            [/Auto Scaling group public-api-asg \(launch template public-api-lt\) \(public-api\) container public-api sets EXPOSE_GUI_API=yes/,
                /set EXPOSE_GUI_API=no as a plain value in its env file \(\/etc\/tracardi\/public-api\.env/]);
        await caught(setEnv(vmProduction, "public-api-lt", "public-api", "EXPOSE_GUI_API"), name, [/public-api leaves EXPOSE_GUI_API unset/]);
        await caught(resize(vmProduction, "public-api-asg", { desiredCapacity: 2, minSize: 2 }), name,
            [/runs 2 instance\(s\); production needs at least 3/, /set tracardi:publicApi\.instances to 3 or more/]);
        // A group that may scale in to 1 keeps 1 server, whatever its desired capacity.
        await caught(resize(vmProduction, "public-api-asg", { minSize: 1 }), name, [/runs 1 instance/]);
        await caught(without(vmProduction, (r) => r.name === "public-api-asg"), name,
            [/no public-api Deployment \(label app\.kubernetes\.io\/component=public-api\) nor Auto Scaling group \(tag tracardi:tier=public-api\)/]);
        await caught(changed(vmProduction, "public-api-asg", (i) => (i.tags = i.tags.filter((t: Inputs) => t.key !== "tracardi:tier"))), name,
            [/no public-api Deployment/]);
        // The servers' containers are what runs: a gui image in the public tier is no API.
        await caught(changedUserData(vmProduction, "public-api-lt", (s) => s.replace(/tracardi\/tracardi-api:1\.0\.0/g, "tracardi/tracardi-gui:1.0.0")), name,
            [/public-api-asg .*runs no tracardi\/tracardi-api container/]);
        await passes(vmMinimal, name);
    });

    it("tracardi-gui-api-cluster: the GUI-facing tier's servers set EXPOSE_GUI_API=yes", async () => {
        const name = "tracardi-gui-api-cluster";
        await caught(setEnv(vmProduction, "internal-api-lt", "internal-api", "EXPOSE_GUI_API", "no"), name,
            [/internal-api-asg .*container internal-api sets EXPOSE_GUI_API=no/, /set EXPOSE_GUI_API=yes/]);
        await caught(setEnv(vmMinimal, "api-lt", "api", "EXPOSE_GUI_API", "off"), name, [/\(api\) container api sets EXPOSE_GUI_API=off/]);
        await caught(without(vmProduction, (r) => r.name === "internal-api-asg"), name, [/no internal-api Deployment .*nor Auto Scaling group/]);
        // A group whose launch template is not in the stack runs nothing the pack can see.
        await caught(without(vmProduction, (r) => r.name === "internal-api-lt"), name, [/Auto Scaling group internal-api-asg \(internal-api\) runs no tracardi\/tracardi-api/]);
    });

    it("tracardi-api-instances and tracardi-gui-instances: servers counted from the groups' desired capacity and minimum", async () => {
        await caught(resize(vmProduction, "internal-api-asg", { desiredCapacity: 1, minSize: 1 }), "tracardi-api-instances",
            [/4 instance\(s\) in all \(public-api 3, internal-api 1\)/, /5 or more/]);
        await caught(resize(vmMinimal, "api-asg", { desiredCapacity: 1, minSize: 1 }), "tracardi-api-instances", [/set tracardi:publicApi\.instances to 2 or more/]);
        await caught(resize(vmProduction, "gui-asg", { desiredCapacity: 1, minSize: 1 }), "tracardi-gui-instances", [/gui cluster runs 1 instance/]);
        await caught(without(vmMinimal, (r) => r.name === "gui-asg"), "tracardi-gui-instances", [/no gui Deployment .*nor Auto Scaling group \(tag tracardi:tier=gui\)/]);
    });

    it("tracardi-search-cluster: the servers' API names external search (Elastic Cloud, or enough hosts)", async () => {
        const name = "tracardi-search-cluster";
        const noCloudId = setEnv(setEnv(vmProduction, "public-api-lt", "public-api", "ELASTIC_CLOUD_ID"), "internal-api-lt", "internal-api", "ELASTIC_CLOUD_ID");
        await caught(noCloudId, name, [/reaches 1 external search host/, /list 3 or more/]);
        const noSearch = ["public-api", "internal-api"].reduce((stack, tier) => setEnv(stack, `${tier}-lt`, tier, "ELASTIC_HOST"), noCloudId);
        await caught(noSearch, name, [/runs no Elasticsearch resource/, /names no external search/]);
        // One tier without the cloud id is enough to fail.
        await caught(setEnv(vmProduction, "public-api-lt", "public-api", "ELASTIC_CLOUD_ID"), name, [/external search host/]);
    });

    it("tracardi-api-one-per-server: one API container per server", async () => {
        const name = "tracardi-api-one-per-server";
        await passes(vmProduction, name);
        const twice = changedUserData(vmProduction, "public-api-lt", (s) => {
            const unit = /cat > \/etc\/systemd\/system\/tracardi-public-api\.service <<'TRACARDI_EOF'\n[\s\S]*?\nTRACARDI_EOF\n/.exec(s)![0];
            return s + unit.replace(/tracardi-public-api\.service/, "tracardi-public-api-2.service").replace(/--name public-api/, "--name public-api-2").replace("-p 80:80", "-p 8080:80");
        });
        await caught(twice, name, [/public-api-asg .*runs 2 API containers on each server \(public-api, public-api-2\)/]);
    });

    it("tracardi-data-stores-private: only the API tiers' servers (by their groups' launch templates or their tags) reach MySQL and Redis", async () => {
        const name = "tracardi-data-stores-private";
        const mysqlSg = vmProduction.find((r) => r.name === "mysql-sg")!;
        const admit = (source: RecordedResource) => resource(AWS.ingressRule, `mysql-from-${source.name}`, {
            securityGroupId: idOf(mysqlSg), referencedSecurityGroupId: idOf(source), ipProtocol: "tcp", fromPort: 3306, toPort: 3306,
            description: "MySQL", tags: {},
        }, { dependsOn: [mysqlSg, source] });
        const gui = vmProduction.find((r) => r.name === "gui-nodes")!;
        await caught([...vmProduction, admit(gui)], name, [new RegExp(`mysql-from-gui-nodes lets security group ${idOf(gui)} reach Instance mysql`),
            /public-api\/internal-api\/api servers \(their node groups or Auto Scaling groups, tag tracardi:tier\)/]);
        const bastion = resource(AWS.securityGroup, "bastion", { description: "operators", tags: { Name: "tracardi-bastion" } });
        await caught([...vmProduction, bastion, admit(bastion)], name, [/mysql-from-bastion lets security group/]);
        // Found through the Auto Scaling groups' launch templates without the Name tags, and through the tags alone.
        await passes(vmProduction.map((r) => (r.name.endsWith("-nodes") ? changed([r], r.name, (i) => delete i.tags)[0] : r)), name);
        await passes(without(vmProduction, (r) => r.type === AWS.autoScalingGroup || r.type === AWS.launchTemplate), name);
        // A group not in a tier's servers is not admitted for its name alone if the name is another tier's.
        await caught(changed(vmProduction, "public-api-nodes", (i) => (i.tags = { Name: "tracardi-gui-nodes" })).filter((r) => r.type !== AWS.autoScalingGroup),
            name, [/mysql-from-public-api-nodes lets security group/]);
    });

    it("tracardi-no-track-debug, tracardi-no-search-superuser: read from every container's env file in the user data", async () => {
        await caught(setEnv(vmProduction, "workers-lt", "update-worker", "TRACK_DEBUG", "yes"), "tracardi-no-track-debug",
            [/launch template workers-lt container update-worker sets TRACK_DEBUG=yes/, /set it to no/]);
        await caught(setEnv(vmProduction, "public-api-lt", "public-api", "TRACK_DEBUG", "on"), "tracardi-no-track-debug",
            [/launch template public-api-lt container public-api sets TRACK_DEBUG=on/]);
        await caught(setEnv(vmProduction, "public-api-lt", "public-api", "ELASTIC_HTTP_AUTH_USERNAME", "elastic"), "tracardi-no-search-superuser",
            [/launch template public-api-lt container public-api logs in to Elasticsearch as elastic, the superuser/]);
        await passes(vmProduction, "tracardi-no-track-debug");
        await passes(vmProduction, "tracardi-no-search-superuser");
    });

    it("tracardi-installation-token: fetched from Secrets Manager at start, never in the user data", async () => {
        const name = "tracardi-installation-token";
        await passes(vmProduction, name);
        const unfetched = changedUserData(vmProduction, "public-api-lt", (s) => s.replace(/,?\{"name":"INSTALLATION_TOKEN","key":"[^"]*"\}/, ""));
        await caught(unfetched, name, [/container public-api leaves INSTALLATION_TOKEN unset/, /Secrets Manager/]);
        await caught(setEnv(unfetched, "public-api-lt", "public-api", "INSTALLATION_TOKEN", "tracardi"), name,
            [/launch template public-api-lt container public-api sets INSTALLATION_TOKEN to Tracardi's default/, /Secrets Manager/]);
        await caught(setEnv(unfetched, "public-api-lt", "public-api", "INSTALLATION_TOKEN", "s3cr3t"), name,
            [/sets INSTALLATION_TOKEN as a plain value anyone who can read the user data sees/]);
        // Overridden by the fetched secret (the later env file), but still written where anyone who may describe the template reads it.
        await caught(setEnv(vmProduction, "public-api-lt", "public-api", "INSTALLATION_TOKEN", "s3cr3t"), name,
            [/public-api-lt writes INSTALLATION_TOKEN into its user data/]);
        const inUnit = changedUserData(vmProduction, "workers-lt", (s) => s.replace("Type=exec\n", "Type=exec\nEnvironment=\"INSTALLATION_TOKEN=s3cr3t\"\n"));
        await caught(inUnit, name, [/workers-lt writes INSTALLATION_TOKEN into its user data/]);
    });

    it("judges the VM stack file as planned, broken in one place", async () => {
        const planned = (await planOf("Pulumi.vm.yaml")).resources;
        const template = planned.find((r) => r.type === AWS.launchTemplate && /public-api/.test(r.name))!;
        const group = planned.find((r) => r.type === AWS.autoScalingGroup && /public-api/.test(r.name))!;
        assert.match(decodeUserData(template.inputs.userData as string), /^EXPOSE_GUI_API=no$/m);
        await caught(changedUserData(planned, template.name, (s) => s.replace(/^EXPOSE_GUI_API=no$/m, "EXPOSE_GUI_API=yes")),
            "tracardi-public-api-cluster", [/container public-api sets EXPOSE_GUI_API=yes/]);
        await caught(resize(planned, group.name, { desiredCapacity: 2, minSize: 2 }), "tracardi-public-api-cluster", [/runs 2 instance/]);
        await caught(changedUserData(planned, template.name, (s) => s.replace(/^TRACK_DEBUG=no$/m, "TRACK_DEBUG=yes")), "tracardi-no-track-debug",
            [/sets TRACK_DEBUG=yes/]);
        const nodes = planned.find((r) => r.type === AWS.securityGroup && r.name.endsWith("gui-nodes"))!;
        const redisRule = planned.find((r) => r.type === AWS.ingressRule && /redis-from-0/.test(r.name))!;
        await caught(changed(planned, redisRule.name, (i) => (i.referencedSecurityGroupId = idOf(nodes))), "tracardi-data-stores-private",
            [new RegExp(`lets security group ${idOf(nodes)} reach ReplicationGroup`)]);
    });

    it("reads no user data that is still unknown in a preview, and judges launch configurations as launch templates", async () => {
        // A new stack's preview: the templates' user data waits for the data stores' endpoints.
        const unknownUserData = vmProduction.map((r) => (r.type === AWS.launchTemplate
            ? changed([r], r.name, (i) => (i.userData = preview.unknownStringValue))[0] : r));
        for (const name of ["tracardi-public-api-cluster", "tracardi-gui-api-cluster", "tracardi-search-cluster", "tracardi-api-one-per-server",
            "tracardi-data-stores-private", "tracardi-api-instances"]) {
            assert.deepStrictEqual(await previewStackVerdicts(name, unknownUserData), [], name);
        }
        assert.deepStrictEqual(await previewStackVerdicts("tracardi-public-api-cluster",
            changed(unknownUserData, "public-api-asg", (i) => (i.desiredCapacity = i.minSize = 1))), ["the public-api cluster runs 1 instance(s); " +
            "production needs at least 3: set tracardi:publicApi.instances to 3 or more"]);
        assert.deepStrictEqual(await previewVerdicts("tracardi-no-track-debug", AWS.launchTemplate, { userData: preview.unknownStringValue }), []);
        assert.deepStrictEqual(await previewVerdicts("tracardi-installation-token", AWS.launchTemplate, { userData: preview.unknownStringValue }), []);
        const config = resource(AWS.launchConfiguration, "legacy", {
            metadataOptions: { httpTokens: "optional" }, associatePublicIpAddress: true, rootBlockDevice: { encrypted: false },
            userData: "#!/bin/bash\ndocker run -d --name api -e TRACK_DEBUG=yes tracardi/tracardi-api:1.0.0\n",
        });
        await caught([...vmProduction, config], "tracardi-imdsv2-required", [/legacy allows IMDSv1/]);
        await caught([...vmProduction, config], "tracardi-no-public-ips", [/legacy asks for a public IP/]);
        await caught([...vmProduction, config], "tracardi-encryption-at-rest", [/launch configuration legacy has unencrypted volumes/]);
        await caught([...vmProduction, config], "tracardi-no-track-debug", [/launch configuration legacy container api sets TRACK_DEBUG=yes/]);
        await caught([...vmProduction, config], "tracardi-installation-token", [/launch configuration legacy container api leaves INSTALLATION_TOKEN unset/]);
    });
});

describe("the CI workflow users copy", () => {
    const workflow = parseYaml(fs.readFileSync(".github/workflows/ci.yml", "utf8"));

    it("runs the offline checks on every pull request and previews every stack file with the pack, with OIDC credentials", () => {
        assert.ok("pull_request" in workflow.on);
        assert.ok(workflow.jobs.offline.steps.some((s: Inputs) => s.run === "bash .ci/run"));
        const preview = workflow.jobs.preview;
        assert.strictEqual(preview.permissions["id-token"], "write");
        assert.deepStrictEqual([...preview.strategy.matrix.stack].sort(), STACK_FILES.map((f) => f.slice("Pulumi.".length, -".yaml".length)));
        const aws = preview.steps.find((s: Inputs) => String(s.uses).startsWith("aws-actions/configure-aws-credentials"));
        assert.strictEqual(aws.with["role-to-assume"], "${{ vars.AWS_ROLE_ARN }}");
        assert.ok(preview.steps.some((s: Inputs) => /pulumi preview/.test(s.run ?? "") && /--policy-pack policy/.test(s.run ?? "")));
        assert.ok(preview.steps.some((s: Inputs) => s.run === "npm ci --no-audit --no-fund --prefix policy"));
    });
});

describe("npm run policy", () => {
    it("prints the verdicts and exits 1 on a mandatory violation, 2 for an unknown stack", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "policy-cli-"));
        const strict = path.join(dir, "strict.json");
        fs.writeFileSync(strict, JSON.stringify({ "tracardi-gui-instances": { smallMinGuiInstances: 9 }, "tracardi-nat-per-zone": "disabled" }));
        const capture = async (argv: string[]): Promise<Run> => {
            const run: Run = { code: null, stdout: "", stderr: "" };
            run.code = await runPolicy(argv, {
                cwd: process.cwd(), out: (line) => (run.stdout += `${line}\n`), err: (line) => (run.stderr += `${line}\n`),
            });
            return run;
        };
        const failing = await capture(["--config", strict, "small"]);
        const unknown = await capture(["nope"]);
        assert.strictEqual(failing.code, 1, failing.stderr);
        assert.match(failing.stdout, /^Stack small\nPolicies: [1-9]\d* mandatory violation/);
        assert.match(failing.stdout, /\[mandatory\] tracardi-gui-instances: .*set tracardi:gui\.instances to 9 or more/);
        assert.doesNotMatch(failing.stdout, /tracardi-nat-per-zone/);
        assert.strictEqual(unknown.code, 2);
        assert.match(unknown.stderr, /has no file Pulumi\.nope\.yaml.*allowed: .*prod/);
    });
});
