import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { RELEASES } from "../lib/releases";
import { readStackFile, tracardiValues } from "../stacks/config";
import { ConfigError, ConfigProblem, formatProblem } from "../stacks/errors";
import { PROFILE_DEFAULTS } from "../stacks/profiles";
import { Profile, specSchema } from "../stacks/schema";
import { mergeDefaults, parseSpec } from "../stacks/spec";

type Plain = Record<string, unknown>;

/** The spec keys of a stack file in the repository: valid by construction (see stackFiles.test.ts). */
function stackValues(file: string): Plain {
    const keys = Object.keys(specSchema.shape);
    return Object.fromEntries(Object.entries(tracardiValues(readStackFile(file))).filter(([key]) => keys.includes(key)));
}
const production = (changes: Plain = {}) => mergeDefaults(stackValues("Pulumi.prod.yaml"), changes);
const minimal = (changes: Plain = {}) => mergeDefaults(stackValues("Pulumi.small.yaml"), changes);

/** A copy of `raw` without the key at a dotted path. */
function without(raw: Plain, path: string): Plain {
    const copy = structuredClone(raw);
    const keys = path.split(".");
    const parent = keys.slice(0, -1).reduce<Plain>((node, key) => node[key] as Plain, copy);
    delete parent[keys[keys.length - 1]];
    return copy;
}

function problemsIfAny(raw: Plain): ConfigProblem[] {
    try {
        parseSpec(raw);
        return [];
    } catch (err) {
        if (err instanceof ConfigError) {
            return err.problems;
        }
        throw err;
    }
}

function problemsOf(raw: Plain): ConfigProblem[] {
    const problems = problemsIfAny(raw);
    return problems.length > 0 ? problems : assert.fail(`the configuration was accepted: ${JSON.stringify(raw)}`);
}

interface Expected {
    key: string;
    given: unknown;
    reason: RegExp;
    allowed: RegExp;
    /** Keys of the other problems the same mistake causes; by default it causes no other. */
    alongside?: string[];
}

/** Asserts the printed problem names the key, the value given and what is allowed. */
function assertProblem(problems: ConfigProblem[], expected: Expected): void {
    const found = problems.find((p) => p.key === expected.key && expected.reason.test(p.reason));
    assert.ok(found, `no problem on ${expected.key} matching ${expected.reason}; got:\n${problems.map(formatProblem).join("\n")}`);
    const text = formatProblem(found);
    assert.ok(text.startsWith(`tracardi:${expected.key}: `), text);
    const given = expected.given === undefined ? "nothing" : JSON.stringify(expected.given);
    assert.ok(text.includes(`(given ${given}; allowed: `), text);
    assert.match(text.slice(text.indexOf("; allowed: ")), expected.allowed);
}

/** The configuration is refused with exactly the expected problems. */
function assertRefused(raw: Plain, expected: Expected): void {
    const problems = problemsOf(raw);
    assertProblem(problems, expected);
    assert.deepStrictEqual(problems.map((p) => p.key).sort(), [expected.key, ...(expected.alongside ?? [])].sort(),
        problems.map(formatProblem).join("\n"));
}

describe("stack configuration: the base stacks these tests vary", () => {
    it("Pulumi.prod.yaml is a valid production stack and Pulumi.small.yaml a valid minimal one", () => {
        assert.strictEqual(parseSpec(production()).profile, "production");
        assert.strictEqual(parseSpec(minimal()).profile, "minimal");
    });
});

describe("stack configuration: schema rules", () => {
    it("profile is production or minimal", () => {
        assertRefused(production({ profile: "large" }),
            { key: "profile", given: "large", reason: /not one of the allowed values/, allowed: /production, minimal/ });
    });

    it("compute is eks", () => {
        assertRefused(production({ compute: "ecs" }), { key: "compute", given: "ecs", reason: /allowed values/, allowed: /eks/ });
    });

    it("version is a pinned Tracardi release this program knows", () => {
        const releases = new RegExp(Object.keys(RELEASES).map((r) => r.replace(/\./g, "\\.")).join(", "));
        assertRefused(production({ version: "latest" }), { key: "version", given: "latest", reason: /allowed values/, allowed: releases });
    });

    it("trustedCidrs is required, a list, and never empty", () => {
        assertRefused(without(production(), "trustedCidrs"),
            { key: "trustedCidrs", given: undefined, reason: /is required/, allowed: /array/ });
        assertRefused(production({ trustedCidrs: "203.0.113.0/24" }),
            { key: "trustedCidrs", given: "203.0.113.0/24", reason: /is not an array/, allowed: /array/ });
        assertRefused(production({ trustedCidrs: [] }),
            { key: "trustedCidrs", given: [], reason: /must name at least one network/, allowed: /at least 1/ });
        assertRefused(production({ trustedCidrs: ["203.0.113.0/24", 5] }),
            { key: "trustedCidrs.1", given: 5, reason: /is not a string/, allowed: /string/ });
    });

    it("dns is required and its zone is a DNS name", () => {
        assertRefused(without(production(), "dns"), { key: "dns", given: undefined, reason: /is required/, allowed: /object/ });
        // The hosts are not also reported as outside a zone that is malformed.
        assertRefused(production({ dns: { zone: "CDP_example" } }),
            { key: "dns.zone", given: "CDP_example", reason: /not a DNS name/, allowed: /lower-case DNS name/ });
    });

    it("every host name is a DNS name", () => {
        for (const key of ["publicApiHost", "internalApiHost", "guiHost"]) {
            const given = `bad_${key}.cdp.example.com`;
            assertRefused(production({ dns: { zone: "cdp.example.com", [key]: given } }),
                { key: `dns.${key}`, given, reason: /not a DNS name/, allowed: /lower-case DNS name/ });
        }
    });

    it("dns.certificateArn is an ACM certificate ARN", () => {
        assertRefused(production({ dns: { certificateArn: "arn:aws:iam::123456789012:role/x" } }), {
            key: "dns.certificateArn", given: "arn:aws:iam::123456789012:role/x",
            reason: /not an ACM certificate ARN/, allowed: /arn:aws:acm:<region>:<account>:certificate\/<id>/,
        });
        assert.doesNotThrow(() => parseSpec(production({
            dns: { certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789" },
        })));
    });

    it("unknown keys are refused at the top level and inside objects, listing the known ones", () => {
        assertRefused(production({ bogus: 1 }),
            { key: "bogus", given: 1, reason: /not a known key/, allowed: /profile, compute, version, upgradeFrom, trustedCidrs, dns/ });
        assertRefused(production({ publicApi: { worker: 4 } }),
            { key: "publicApi.worker", given: 4, reason: /not a known key/, allowed: /^; allowed: instances, instanceType, workers\)$/ });
        assertRefused(production({ network: { zones: 3 } }),
            { key: "network.zones", given: 3, reason: /not a known key/, allowed: /cidr, availabilityZones, natGateways/ });
    });

    it("an object key holding something else is refused", () => {
        assertRefused(production({ publicApi: "big" }), { key: "publicApi", given: "big", reason: /is not an object/, allowed: /object/ });
    });

    const bounds: [string, number, number][] = [
        ["publicApi.instances", 1, 50], ["publicApi.workers", 1, 32],
        ["internalApi.instances", 1, 50], ["internalApi.workers", 1, 32],
        ["gui.instances", 1, 20],
        ["elasticsearch.nodes", 1, 15], ["elasticsearch.volumeGiB", 10, 16384],
        ["mysql.storageGiB", 20, 16384], ["mysql.backupRetentionDays", 1, 35],
        ["loadBalancers.perCluster", 1, 4], ["loadBalancers.wafRateLimit", 100, 2_000_000_000],
        ["kubernetes.systemNodes", 1, 10],
        ["network.availabilityZones", 2, 6],
    ];
    for (const [key, min, max] of bounds) {
        it(`${key} is an integer from ${min} to ${max}`, () => {
            const [object, field] = key.split(".");
            const allowed = new RegExp(`^; allowed: an integer from ${min} to ${max}\\)$`);
            // Other rules (production minimums, odd node counts) may add problems of their own.
            const cases: [unknown, RegExp][] = [[min - 1, /is too small/], [max + 1, /is too large/], [min + 0.5, /is not an integer/], [String(max), /is not a number/]];
            for (const [given, reason] of cases) {
                assertProblem(problemsOf(production({ [object]: { [field]: given } })), { key, given, reason, allowed });
            }
            const atMax = problemsIfAny(production({ [object]: { [field]: max } })).filter((p) => p.key === key && /is too|is not an/.test(p.reason));
            assert.deepStrictEqual(atMax, [], "the maximum itself is within bounds");
        });
    }

    it("tier instance types are ones the program can size, and x86 where Tracardi's images run", () => {
        for (const key of ["publicApi", "internalApi", "gui", "elasticsearch"]) {
            assertRefused(production({ [key]: { instanceType: "x1.huge" } }),
                { key: `${key}.instanceType`, given: "x1.huge", reason: /instance type/, allowed: /c6i\.large/ });
        }
        for (const key of ["publicApi", "internalApi", "gui"]) {
            assertRefused(production({ [key]: { instanceType: "m7g.large" } }),
                { key: `${key}.instanceType`, given: "m7g.large", reason: /arm64/, allowed: /x86/ });
        }
    });

    it("API workers fit in the memory of the tier's instance type, which is big enough for an API server", () => {
        assertRefused(production({ publicApi: { instanceType: "c6i.large", workers: 32 } }), {
            key: "publicApi.workers", given: 32, reason: /needs about \d+ MiB; a c6i\.large server leaves the API \d+ MiB/,
            allowed: /at most \d+, or a larger publicApi\.instanceType/,
        });
        assertRefused(production({ internalApi: { instanceType: "t3.small" } }), {
            key: "internalApi.instanceType", given: "t3.small", reason: /too small for a Tracardi API server/, allowed: /at least 2 vCPU and 4 GiB/,
        });
    });

    it("adminEmail is required and an e-mail address", () => {
        assertRefused(without(production(), "adminEmail"), { key: "adminEmail", given: undefined, reason: /is required/, allowed: /string/ });
        assertRefused(production({ adminEmail: "ops" }),
            { key: "adminEmail", given: "ops", reason: /not an e-mail address/, allowed: /an e-mail address such as/ });
    });

    it("kubernetes: an EKS minor version, IAM role ARNs for admins, a known system instance type", () => {
        assertRefused(production({ kubernetes: { version: "1.29" } }),
            { key: "kubernetes.version", given: "1.29", reason: /not an EKS Kubernetes version/, allowed: /1\.34/ });
        assertRefused(production({ kubernetes: { adminRoleArns: ["arn:aws:iam::123456789012:user/ops"] } }), {
            key: "kubernetes.adminRoleArns.0", given: "arn:aws:iam::123456789012:user/ops", reason: /not an IAM role ARN/,
            allowed: /arn:aws:iam::<account>:role\/<name>/,
        });
        assertRefused(production({ kubernetes: { systemInstanceType: "x1.huge" } }),
            { key: "kubernetes.systemInstanceType", given: "x1.huge", reason: /instance type/, allowed: /c6i\.large/ });
    });

    it("switches are booleans: mysql.multiAz and the load balancer options", () => {
        for (const key of ["mysql.multiAz", "loadBalancers.internal", "loadBalancers.widgetPaths", "loadBalancers.consentPaths"]) {
            const [object, field] = key.split(".");
            assertRefused(production({ [object]: { [field]: "yes" } }), { key, given: "yes", reason: /is not a boolean/, allowed: /boolean/ });
        }
    });

    it("elasticsearch.provider values meaning Amazon OpenSearch Service are refused with the reason", () => {
        for (const given of ["opensearch", "OpenSearch", "aws-opensearch", "amazon-elasticsearch", "aws", "open_search"]) {
            assertRefused(production({ elasticsearch: { provider: given } }),
                { key: "elasticsearch.provider", given, reason: /Amazon OpenSearch Service cannot host Tracardi.*`flattened`/, allowed: /eck, ec2, external/ });
        }
    });

    it("elasticsearch.provider is eck or external", () => {
        assertRefused(production({ elasticsearch: { provider: "elastic-cloud" } }),
            { key: "elasticsearch.provider", given: "elastic-cloud", reason: /allowed values/, allowed: /eck, ec2, external/ });
        const external = problemsIfAny(production({ elasticsearch: { provider: "external" } }));
        assert.deepStrictEqual(external.filter((p) => p.key === "elasticsearch.provider"), []);
    });

    it("elasticsearch.version is a pinned 7.x or 8.x version", () => {
        for (const given of ["8.11", "latest", "9.0.0", "6.8.23"]) {
            assertRefused(production({ elasticsearch: { version: given } }),
                { key: "elasticsearch.version", given, reason: /not a pinned Elasticsearch 7 or 8 version/, allowed: /8\.11\.3/ });
        }
    });

    it("redis.nodeType is an ElastiCache node type and mysql.instanceClass an RDS class", () => {
        assertRefused(production({ redis: { nodeType: "t4g.small" } }),
            { key: "redis.nodeType", given: "t4g.small", reason: /not an ElastiCache node type/, allowed: /cache\.t4g\.small/ });
        assertRefused(production({ mysql: { instanceClass: "t4g.medium" } }),
            { key: "mysql.instanceClass", given: "t4g.medium", reason: /not an RDS instance class/, allowed: /db\.t4g\.medium/ });
    });

    it("network.cidr is an IPv4 network from /16 to /19, written without host bits", () => {
        const allowed = /an IPv4 network from \/16 to \/19/;
        assertRefused(production({ network: { cidr: "10.0.0/16" } }),
            { key: "network.cidr", given: "10.0.0/16", reason: /not an IPv4 CIDR/, allowed });
        assertRefused(production({ network: { cidr: "fd00::/48" } }),
            { key: "network.cidr", given: "fd00::/48", reason: /not an IPv4 CIDR/, allowed });
        for (const given of ["10.0.0.0/15", "10.0.0.0/20"]) {
            assertRefused(production({ network: { cidr: given } }),
                { key: "network.cidr", given, reason: /no room for three subnet tiers/, allowed });
        }
        // AWS would refuse the misaligned subnets only at apply time.
        assertRefused(production({ network: { cidr: "10.20.1.0/16" } }),
            { key: "network.cidr", given: "10.20.1.0/16", reason: /host bits set; write it as 10\.20\.0\.0\/16$/, allowed });
    });

    it("network.natGateways is perZone or single", () => {
        assertRefused(production({ network: { natGateways: "none" } }),
            { key: "network.natGateways", given: "none", reason: /allowed values/, allowed: /perZone, single/ });
    });

    it("tags are string values", () => {
        assertRefused(production({ tags: { costCentre: 42 } }), { key: "tags.costCentre", given: 42, reason: /is not a string/, allowed: /string/ });
    });
});

describe("stack configuration: trusted networks", () => {
    it("refuses the whole IPv4 and IPv6 Internet", () => {
        for (const given of ["0.0.0.0/0", "::/0"]) {
            assertRefused(production({ trustedCidrs: ["203.0.113.0/24", given] }),
                { key: "trustedCidrs.1", given, reason: /whole Internet/, allowed: /IPv4 or IPv6 networks smaller than the whole Internet/ });
        }
    });

    it("refuses host bits, naming the canonical network", () => {
        assertRefused(production({ trustedCidrs: ["203.0.113.9/24"] }),
            { key: "trustedCidrs.0", given: "203.0.113.9/24", reason: /host bits set; write it as 203\.0\.113\.0\/24$/, allowed: /IPv4 or IPv6/ });
        assertRefused(production({ trustedCidrs: ["2001:db8:1000::1/48"] }),
            { key: "trustedCidrs.0", given: "2001:db8:1000::1/48", reason: /write it as 2001:db8:1000::\/48$/, allowed: /IPv4 or IPv6/ });
    });

    it("refuses text that is not a CIDR", () => {
        assertRefused(production({ trustedCidrs: ["office"] }),
            { key: "trustedCidrs.0", given: "office", reason: /not an IPv4 or IPv6 CIDR/, allowed: /IPv4 or IPv6/ });
    });

    it("accepts IPv6 networks next to IPv4 ones", () => {
        const trustedCidrs = ["2001:db8::/32", "203.0.113.7/32", "2001:db8:ffff::1/128"];
        assert.deepStrictEqual(parseSpec(production({ trustedCidrs })).trustedCidrs, trustedCidrs);
    });
});

describe("stack configuration: host names", () => {
    it("every host lies inside dns.zone", () => {
        for (const key of ["publicApiHost", "internalApiHost", "guiHost"]) {
            // A name that merely ends in the zone's text is still outside it.
            const given = "track.evilcdp.example.com";
            assertRefused(production({ dns: { zone: "cdp.example.com", [key]: given } }),
                { key: `dns.${key}`, given, reason: /lies outside the zone cdp\.example\.com/, allowed: /a name ending in \.cdp\.example\.com/ });
        }
    });

    it("each cluster has a host name of its own", () => {
        const dns = stackValues("Pulumi.prod.yaml").dns as Plain;
        assertRefused(production({ dns: { guiHost: dns.publicApiHost } }),
            { key: "dns.guiHost", given: dns.publicApiHost, reason: /already used by dns\.publicApiHost/, allowed: /a host name of its own/ });
    });
});

describe("stack configuration: Elasticsearch rules", () => {
    it("elasticsearch.nodes is odd", () => {
        assertRefused(production({ elasticsearch: { nodes: 4 } }),
            { key: "elasticsearch.nodes", given: 4, reason: /is even/, allowed: /an odd number/ });
        assert.strictEqual(parseSpec(production({ elasticsearch: { nodes: 5 } })).elasticsearch.nodes, 5);
    });

    it("elasticsearch.version is no newer than the Tracardi release supports", () => {
        const max = RELEASES[parseSpec(production()).version].maxElasticsearch;
        const [major, minor] = max.split(".").map(Number);
        const given = `${major}.${minor + 1}.0`;
        assertRefused(production({ elasticsearch: { version: given } }),
            { key: "elasticsearch.version", given, reason: /newer than Tracardi .* supports/, allowed: new RegExp(`up to ${max.replace(".", "\\.")}\\.x`) });
        assert.strictEqual(parseSpec(production({ elasticsearch: { version: `${max}.0` } })).elasticsearch.version, `${max}.0`);
    });
});

describe("stack configuration: production profile minimums", () => {
    it("at least 3 public API instances, and 5 API instances in all", () => {
        assertRefused(production({ publicApi: { instances: 2 }, internalApi: { instances: 3 } }),
            { key: "publicApi.instances", given: 2, reason: /below the production minimum/, allowed: />= 3 in the production profile/ });
    });

    it("at least 2 internal API instances", () => {
        assertRefused(production({ publicApi: { instances: 4 }, internalApi: { instances: 1 } }),
            { key: "internalApi.instances", given: 1, reason: /below the production minimum/, allowed: />= 2 in the production profile/ });
    });

    it("at least 5 API instances in all", () => {
        // The per-cluster minimums (3 + 2) already add up to five, so the total can only fail with one of them.
        assertRefused(production({ publicApi: { instances: 2 }, internalApi: { instances: 2 } }), {
            key: "internalApi.instances", given: 2, reason: /makes 4 API instances in all/,
            allowed: /publicApi\.instances \+ internalApi\.instances >= 5/, alongside: ["publicApi.instances"],
        });
    });

    it("a separate internal API cluster", () => {
        assertRefused(production({ internalApi: undefined }),
            { key: "internalApi", given: undefined, reason: /is required/, allowed: /instances, instanceType, workers/ });
    });

    it("a host name for the internal API", () => {
        assertRefused(without(production(), "dns.internalApiHost"),
            { key: "dns.internalApiHost", given: undefined, reason: /is required/, allowed: /a name ending in \./ });
    });

    it("at least 2 GUI instances", () => {
        assertRefused(production({ gui: { instances: 1 } }),
            { key: "gui.instances", given: 1, reason: /below the production minimum/, allowed: />= 2/ });
    });

    it("at least 3 Elasticsearch nodes", () => {
        assertRefused(production({ elasticsearch: { nodes: 1 } }),
            { key: "elasticsearch.nodes", given: 1, reason: /below the production minimum/, allowed: />= 3/ });
    });

    it("at least 2 load balancers per cluster", () => {
        assertRefused(production({ loadBalancers: { perCluster: 1 } }),
            { key: "loadBalancers.perCluster", given: 1, reason: /below the production minimum/, allowed: />= 2/ });
    });

    it("at least 3 availability zones", () => {
        assertRefused(production({ network: { availabilityZones: 2 } }),
            { key: "network.availabilityZones", given: 2, reason: /below the production minimum/, allowed: />= 3/ });
    });

    it("a NAT gateway per zone", () => {
        assertRefused(production({ network: { natGateways: "single" } }),
            { key: "network.natGateways", given: "single", reason: /not allowed in production/, allowed: /perZone/ });
    });
});

describe("stack configuration: minimal profile", () => {
    it("at least 2 API instances", () => {
        assertRefused(minimal({ publicApi: { instances: 1 } }),
            { key: "publicApi.instances", given: 1, reason: /below the minimal profile's two instances/, allowed: />= 2/ });
    });

    it("refuses internalApi: one API cluster serves collection and the GUI", () => {
        const internalApi = { instances: 2, instanceType: "m6i.large", workers: 2 };
        assertRefused(minimal({ internalApi }),
            { key: "internalApi", given: internalApi, reason: /is not used/, allowed: /remove the key, or use the production profile/ });
    });

    it("refuses dns.internalApiHost", () => {
        const zone = (stackValues("Pulumi.small.yaml").dns as Plain).zone;
        assertRefused(minimal({ dns: { internalApiHost: `internal.${zone}` } }),
            { key: "dns.internalApiHost", given: `internal.${zone}`, reason: /is not used/, allowed: /remove the key/ });
    });

    it("allows one NAT gateway, two zones, one search node, one GUI and one load balancer", () => {
        const spec = parseSpec(minimal({
            network: { natGateways: "single", availabilityZones: 2 }, elasticsearch: { nodes: 1 }, gui: { instances: 1 },
            loadBalancers: { perCluster: 1 },
        }));
        assert.deepStrictEqual([spec.network.natGateways, spec.network.availabilityZones, spec.elasticsearch.nodes, spec.gui.instances],
            ["single", 2, 1, 1]);
    });
});

describe("stack configuration: reporting", () => {
    it("reports every problem at once, schema and cross-field alike", () => {
        const raw = production({
            bogus: true,
            trustedCidrs: ["0.0.0.0/0"],
            publicApi: { instances: 2, workers: 0 },
            elasticsearch: { provider: "opensearch", nodes: 4 },
            network: { cidr: "10.0.0.0/8", natGateways: "single" },
        });
        const problems = problemsOf(raw);
        assert.deepStrictEqual(problems.map((p) => p.key).sort(), [
            "bogus", "elasticsearch.nodes", "elasticsearch.provider", "internalApi.instances", "network.cidr",
            "network.natGateways", "publicApi.instances", "publicApi.workers", "trustedCidrs.0",
        ]);
    });

    it("says what is allowed for every problem, whatever the mistake", () => {
        const everything = Object.fromEntries(Object.entries(production()).map(([key, value]) =>
            [key, typeof value === "object" && value !== null && !Array.isArray(value)
                ? Object.fromEntries(Object.keys(value).map((k) => [k, { wrong: true }])) : { wrong: true }]));
        const problems = [...problemsOf(everything), ...problemsOf(production({ adminEmail: "ops", trustedCidrs: ["::/0"] }))];
        assert.ok(problems.length > 10);
        for (const problem of problems) {
            assert.ok(problem.allowed, `${formatProblem(problem)} does not say what is allowed`);
        }
    });

    it("is a Pulumi RunError whose message lists each problem on its own line", () => {
        let error: unknown;
        try {
            parseSpec(production({ gui: { instances: 1 }, tags: { team: 7 } }), "stack acme");
        } catch (err) {
            error = err;
        }
        // `pulumi up` prints a RunError's message without a stack trace.
        assert.ok(pulumi.RunError.isInstance(error));
        const lines = (error as Error).message.split("\n");
        assert.strictEqual(lines[0], "stack acme has 2 problems:");
        assert.deepStrictEqual(lines.slice(1).sort(), [
            "  - tracardi:gui.instances: is below the production minimum: the GUI cluster needs two (given 1; allowed: >= 2 in the production profile)",
            "  - tracardi:tags.team: is not a string (given 7; allowed: string)",
        ]);
    });
});

describe("stack configuration: profile defaults", () => {
    /** Only what has no default: what every customer must name. */
    function required(raw: Plain, profile: Profile): Plain {
        return Object.fromEntries(Object.entries(raw).filter(([key]) => !(key in PROFILE_DEFAULTS[profile]) || key === "profile"));
    }

    for (const [profile, file] of [["production", "Pulumi.prod.yaml"], ["minimal", "Pulumi.small.yaml"]] as const) {
        it(`the ${profile} profile fills in every key a stack leaves out`, () => {
            const spec = parseSpec(required(stackValues(file), profile)) as unknown as Plain;
            assert.strictEqual(spec.profile, profile);
            for (const [key, value] of Object.entries(PROFILE_DEFAULTS[profile])) {
                assert.deepStrictEqual(spec[key], value, key);
            }
        });
    }

    it("production is the default profile, with the guide's topology", () => {
        const spec = parseSpec(required(without(production(), "profile"), "production"));
        assert.strictEqual(spec.profile, "production");
        assert.strictEqual(spec.publicApi.instances, 3);
        assert.strictEqual(spec.internalApi?.instances, 2);
        assert.strictEqual(spec.gui.instances, 2);
        assert.strictEqual(spec.elasticsearch.nodes, 3);
        assert.strictEqual(spec.loadBalancers.perCluster, 2);
        assert.deepStrictEqual([spec.network.availabilityZones, spec.network.natGateways], [3, "perZone"]);
    });

    it("minimal runs one API cluster of two, one NAT gateway, two zones", () => {
        const spec = parseSpec(required(minimal(), "minimal"));
        assert.strictEqual(spec.internalApi, undefined);
        assert.strictEqual(spec.publicApi.instances, 2);
        assert.deepStrictEqual([spec.network.availabilityZones, spec.network.natGateways], [2, "single"]);
    });

    it("objects merge key by key: naming one field keeps the profile's others", () => {
        const spec = parseSpec(production({ publicApi: { instances: 6 }, network: { cidr: "10.30.0.0/16" } }));
        const defaults = PROFILE_DEFAULTS.production as { publicApi: Plain };
        assert.deepStrictEqual(spec.publicApi, { ...defaults.publicApi, ...(stackValues("Pulumi.prod.yaml").publicApi as Plain), instances: 6 });
        assert.strictEqual(spec.network.cidr, "10.30.0.0/16");
        assert.strictEqual(spec.network.natGateways, "perZone");
    });

    it("arrays replace the default rather than add to it", () => {
        assert.deepStrictEqual(mergeDefaults({ list: ["a", "b"], nested: { list: [1], keep: 1 } }, { list: ["c"], nested: { list: [] } }),
            { list: ["c"], nested: { list: [], keep: 1 } });
    });
});
