import * as assert from "assert";
import * as zlib from "zlib";
import type { StackPlan } from "../offline/harness";
import type { RecordedResource } from "../offline/mocks";
import { capacity, capacityOf, CollectorTier, DERATING, REQUESTS_PER_VCPU } from "../offline/review/capacity";
import { criticalPath, typicalTime } from "../offline/review/deployTime";
import { reviewDocuments } from "../offline/review/document";
import { spreadOverZones } from "../offline/review/servers";
import { natEntry, searchEntry, tierEntry, zoneLoss } from "../offline/review/zoneLoss";
import { engineReport } from "../offline/report";
import { planTiers } from "../lib/tiers";
import { planOf, planVariant } from "./helpers/plans";

/** A recorded resource made by hand: the fields the review reads. */
function fake(type: string, name: string, inputs: Record<string, unknown> = {}, extra: Partial<RecordedResource> = {}): RecordedResource {
    return {
        urn: `urn:${name}`, id: `${name}-id`, type, name, custom: true, protect: false, retainOnDelete: false, dependsOn: [], aliases: [],
        replaceOnChanges: [], deleteBeforeReplace: false, propertyDependencies: {}, ignoreChanges: [], inputs, provider: "", secretInputs: [], ...extra,
    };
}

const TIER: CollectorTier = { tier: "public-api", units: 3, unitKind: "servers", vcpuPerUnit: 2, workers: 4, perZone: { a: 1, b: 1, c: 1 }, perServer: 1, instanceType: "c6i.large" };

describe("review figures, unit by unit", () => {
    it("capacity: Tracardi's 600 requests/s per vCPU, derated, per unit of the collector tier; one server and the busiest zone lost", () => {
        assert.strictEqual(REQUESTS_PER_VCPU, 600);
        const figures = capacityOf(TIER, { provider: "eck", nodes: 3, instanceType: "r6i.large" });
        assert.strictEqual(figures.collectorRequestsPerSecond, Math.round(6 * 600 * DERATING));
        assert.strictEqual(figures.afterOneServerLost, Math.round(4 * 600 * DERATING));
        assert.strictEqual(figures.afterOneZoneLost, Math.round(4 * 600 * DERATING));
        const lopsided = capacityOf({ ...TIER, units: 4, perZone: { a: 2, b: 2 } }, { provider: "external", nodes: 0 });
        assert.strictEqual(lopsided.afterOneZoneLost, Math.round(2 * 2 * 600 * DERATING));
        assert.ok(lopsided.assumptions.some((a) => /Elasticsearch ingest is the likely limit: the external Elasticsearch/.test(a)));
        assert.strictEqual(capacityOf({ ...TIER, units: 30 }, { provider: "external", nodes: 0 }).beyondTested, true);
    });

    it("servers spread evenly over their zones, the first zones taking the extra ones", () => {
        assert.deepStrictEqual(spreadOverZones(2, ["c", "a", "b"]), { a: 1, b: 1, c: 0 });
        assert.deepStrictEqual(spreadOverZones(5, ["b", "a"]), { a: 3, b: 2 });
    });

    it("zone loss: a tier in one zone, a search that loses its quorum, one NAT gateway are flagged", () => {
        assert.deepStrictEqual(tierEntry("gui", { a: 1, b: 0 }).flags, ["gui: all servers in one zone (a)"]);
        assert.deepStrictEqual(tierEntry("gui", { a: 1, b: 1 }), { name: "gui", kind: "tier", perZone: { a: 1, b: 1 }, worstZone: "a", left: "1 of 2 servers", serves: true, flags: [] });

        const twoZones = searchEntry({ provider: "ec2", perZone: { a: 2, b: 1 }, masterEligible: 3, mastersPerZone: { a: 2, b: 1 }, replicas: 1, zoneAware: true });
        assert.strictEqual(twoZones.serves, false);
        assert.match(twoZones.flags[0], /losing a leaves 1 of 3 master-eligible nodes, no quorum/);
        const threeZones = searchEntry({ provider: "ec2", perZone: { a: 1, b: 1, c: 1 }, masterEligible: 3, mastersPerZone: { a: 1, b: 1, c: 1 }, replicas: 1, zoneAware: true });
        assert.deepStrictEqual([threeZones.serves, threeZones.flags], [true, []]);
        const unaware = searchEntry({ provider: "ec2", perZone: { a: 1, b: 1, c: 1 }, masterEligible: 3, mastersPerZone: { a: 1, b: 1, c: 1 }, replicas: 1, zoneAware: false });
        assert.strictEqual(unaware.serves, false);

        assert.strictEqual(natEntry(["a"], ["a", "b"]).serves, false);
        assert.match(natEntry(["a"], ["a", "b"]).flags[0], /^NAT: one NAT gateway \(a\)/);
        assert.deepStrictEqual(natEntry(["a", "b"], ["a", "b"]).flags, []);
    });

    it("VM stacks: the collector servers' vCPUs, at most one per worker; the workers' servers are a tier of their own", () => {
        const userData = (text: string) => zlib.gzipSync(text).toString("base64");
        const resources = [
            ...["a", "b"].map((z) => fake("aws:ec2/subnet:Subnet", `app-${z}`, { availabilityZone: z })),
            fake("aws:ec2/launchTemplate:LaunchTemplate", "collector-lt", { instanceType: "c6i.xlarge", userData: userData("EXPOSE_GUI_API=no\nWEB_CONCURRENCY=3\n") }),
            fake("aws:ec2/launchTemplate:LaunchTemplate", "workers-lt", { instanceType: "m6i.large", userData: userData("\n") }),
            fake("aws:autoscaling/group:Group", "collector-asg", {
                desiredCapacity: 4, vpcZoneIdentifiers: ["app-a-id", "app-b-id"], launchTemplate: { id: "collector-lt-id" }, tags: [{ key: "tracardi:tier", value: "public-api" }],
            }),
            fake("aws:autoscaling/group:Group", "workers-asg", {
                desiredCapacity: 1, vpcZoneIdentifiers: ["app-a-id", "app-b-id"], launchTemplate: { id: "workers-lt-id" }, tags: [{ key: "tracardi:tier", value: "workers" }],
            }),
        ];
        const figures = capacity(resources)!;
        // c6i.xlarge has 4 vCPUs; 3 workers use 3 of them.
        assert.deepStrictEqual([figures.vcpu, figures.collectorRequestsPerSecond, figures.afterOneZoneLost],
            [12, Math.round(12 * 600 * DERATING), Math.round(6 * 600 * DERATING)]);
        const workers = zoneLoss(resources).entries.find((e) => e.name === "workers")!;
        assert.deepStrictEqual([workers.serves, workers.flags], [false, ["workers: all servers in one zone (a)"]]);
    });

    it("zone loss of EC2 search servers: one Auto Scaling group of one server per node, by tag and data subnet", () => {
        const userData = (text: string) => zlib.gzipSync(text).toString("base64");
        const stack = (searchZones: string[]) => [
            ...["a", "b", "c"].map((z) => fake("aws:ec2/subnet:Subnet", `data-${z}`, { availabilityZone: z })),
            fake("aws:ec2/launchTemplate:LaunchTemplate", "api-lt", { instanceType: "c6i.large", userData: userData("ELASTIC_INDEX_REPLICAS=1\n") }),
            fake("aws:autoscaling/group:Group", "api-asg", {
                desiredCapacity: 2, vpcZoneIdentifiers: ["data-a-id", "data-b-id"], launchTemplate: { id: "api-lt-id" }, tags: [{ key: "tracardi:tier", value: "api" }],
            }),
            fake("aws:ec2/launchTemplate:LaunchTemplate", "search-lt", {
                instanceType: "r6i.large", userData: userData("cluster.routing.allocation.awareness.attributes: zone\n"),
            }),
            ...searchZones.map((z, i) => fake("aws:autoscaling/group:Group", `search-${i}-asg`, {
                desiredCapacity: 1, vpcZoneIdentifiers: [`data-${z}-id`], launchTemplate: { id: "search-lt-id" }, tags: [{ key: "tracardi:tier", value: "search" }],
            })),
        ];
        const twoZones = zoneLoss(stack(["a", "b", "a"]));
        const search = twoZones.entries.find((e) => e.name === "search (EC2)")!;
        assert.deepStrictEqual([search.perZone, search.serves], [{ a: 2, b: 1 }, false]);
        assert.ok(twoZones.flags.some((f) => /^search: losing a leaves 1 of 3 master-eligible nodes, no quorum/.test(f)));
        const threeZones = zoneLoss(stack(["a", "b", "c"])).entries.find((e) => e.name === "search (EC2)")!;
        assert.deepStrictEqual([threeZones.serves, threeZones.flags], [true, []]);
        assert.deepStrictEqual(capacity(stack(["a", "b", "c"]))!.search, { provider: "ec2", nodes: 3, instanceType: "r6i.large" });
    });

    it("deploy time: the critical path through dependencies, parents' dependencies, providers and components' children", () => {
        const times: Record<string, number> = { vpc: 20, cluster: 600, provider: 0, nodes: 240, role: 10, app: 120, db: 300, comp: 0 };
        const resources = [
            fake("t:vpc", "vpc"),
            fake("t:role", "role"),
            fake("t:cluster", "cluster", {}, { propertyDependencies: { vpcId: ["urn:vpc"] }, dependsOn: ["urn:role"] }),
            fake("pulumi:providers:kubernetes", "provider", {}, { propertyDependencies: { kubeconfig: ["urn:cluster"] } }),
            fake("t:nodes", "nodes", {}, { dependsOn: ["urn:cluster"] }),
            // A component that waits for the nodes: its children start after them, whatever their own inputs need.
            fake("t:comp", "comp", {}, { custom: false, dependsOn: ["urn:nodes"] }),
            fake("t:app", "app", {}, { parent: "urn:comp", provider: "urn:provider::provider-id" }),
            fake("t:db", "db", {}, { parent: "urn:comp", propertyDependencies: { subnet: ["urn:vpc"] } }),
            // Depending on a component waits for its last child.
            fake("t:after", "after", {}, { dependsOn: ["urn:comp"] }),
        ];
        const result = criticalPath(resources, (r) => times[r.name] ?? 5);
        assert.deepStrictEqual(result, {
            criticalPathSeconds: 20 + 600 + 240 + 300 + 5,
            path: [
                { type: "t:vpc", name: "vpc", seconds: 20 }, { type: "t:cluster", name: "cluster", seconds: 600 }, { type: "t:nodes", name: "nodes", seconds: 240 },
                { type: "t:db", name: "db", seconds: 300 }, { type: "t:after", name: "after", seconds: 5 },
            ],
        });
        // Lengthen the app past the database: the path moves to it (its provider is ready before the nodes).
        assert.deepStrictEqual(criticalPath(resources, (r) => (r.name === "app" ? 500 : times[r.name] ?? 5)).path.map((s) => s.name),
            ["vpc", "cluster", "nodes", "app", "after"]);
        // Without the component's wait, its children no longer follow the nodes: the nodes end the path.
        const free = resources.map((r) => (r.name === "comp" ? { ...r, dependsOn: [] } : r));
        assert.deepStrictEqual(criticalPath(free, (r) => times[r.name] ?? 5), {
            criticalPathSeconds: 20 + 600 + 240,
            path: [{ type: "t:vpc", name: "vpc", seconds: 20 }, { type: "t:cluster", name: "cluster", seconds: 600 }, { type: "t:nodes", name: "nodes", seconds: 240 }],
        });
    });

    it("deploy time: every type has a typical time with its source; single-AZ databases and groups that do not wait are quicker", () => {
        const multiAz = typicalTime(fake("aws:rds/instance:Instance", "db", { multiAz: true }));
        assert.ok(multiAz.seconds > typicalTime(fake("aws:rds/instance:Instance", "db", { multiAz: false })).seconds);
        assert.ok(typicalTime(fake("aws:autoscaling/group:Group", "g", { waitForCapacityTimeout: "0" })).seconds < typicalTime(fake("aws:autoscaling/group:Group", "g")).seconds);
        assert.strictEqual(typicalTime(fake("aws:eks/cluster:Cluster", "c")).seconds, 600);
        assert.match(typicalTime(fake("aws:unknown/thing:Thing", "x")).source, /estimate/);
    });
});

describe("review figures of whole stacks", function () {
    this.timeout(60000);
    let prod: StackPlan;
    let small: StackPlan;
    /** small with its collectors doubled and three search nodes over its two zones (the minimal profile allows it). */
    let doubled: StackPlan;
    let largerType: StackPlan;
    before(async () => {
        // One at a time: the mocks record into one list.
        prod = await planOf("Pulumi.prod.yaml");
        small = await planOf("Pulumi.small.yaml");
        doubled = await planVariant("Pulumi.small.yaml", { publicApi: { instances: 4 }, elasticsearch: { nodes: 3 } });
        largerType = await planVariant("Pulumi.small.yaml", { publicApi: { instanceType: "m6i.xlarge" } });
    });

    it("capacity doubles when the collectors double, and moves with their instance type", () => {
        const base = capacity(small.resources)!;
        assert.strictEqual(base.tier, "api", "on a stack with one API tier, the collector tier is that tier");
        assert.strictEqual(capacity(doubled.resources)!.collectorRequestsPerSecond, 2 * base.collectorRequestsPerSecond);
        assert.ok(capacity(largerType.resources)!.collectorRequestsPerSecond > base.collectorRequestsPerSecond);
        const onProd = capacity(prod.resources)!;
        assert.strictEqual(onProd.tier, "public-api");
        assert.ok(onProd.afterOneServerLost < onProd.collectorRequestsPerSecond && onProd.afterOneZoneLost > 0);
    });

    it("zone loss lists every tier and data service; prod has no single point, small's one NAT gateway (natGateways single) is flagged", () => {
        for (const plan of [prod, small]) {
            const names = zoneLoss(plan.resources).entries.map((e) => e.name);
            for (const tier of planTiers(plan.spec)) {
                assert.ok(names.includes(tier.name), `${plan.stack}: no entry for ${tier.name}`);
            }
            for (const service of ["Redis (ElastiCache)", "MySQL (RDS)", "NAT gateways"]) {
                assert.ok(names.includes(service), `${plan.stack}: no entry for ${service}`);
            }
            assert.ok(names.some((n) => n.startsWith("search")), `${plan.stack}: no entry for search`);
        }
        assert.deepStrictEqual(zoneLoss(prod.resources).flags, []);
        assert.strictEqual(zoneLoss(prod.resources).survivesAnyZone, true);
        assert.strictEqual(small.spec.network.natGateways, "single");
        assert.ok(zoneLoss(small.resources).flags.some((f) => f.startsWith("NAT: one NAT gateway")));
        assert.ok(zoneLoss(small.resources).flags.some((f) => f.startsWith("MySQL: single-AZ")));
    });

    it("zone loss flags search that loses its quorum: three nodes over two zones", () => {
        const search = zoneLoss(doubled.resources).entries.find((e) => e.name === "search (ECK)")!;
        assert.deepStrictEqual(Object.values(search.perZone).sort(), [1, 2]);
        assert.strictEqual(search.serves, false);
        assert.ok(search.flags.some((f) => /no quorum/.test(f)));
    });

    it("deploy time: prod's critical path runs through the EKS control plane, small's is shorter", () => {
        const deploy = criticalPath(prod.resources);
        assert.ok(deploy.path.some((s) => s.type === "aws:eks/cluster:Cluster"));
        assert.strictEqual(deploy.criticalPathSeconds, deploy.path.reduce((t, s) => t + s.seconds, 0));
        assert.ok(criticalPath(small.resources).criticalPathSeconds < deploy.criticalPathSeconds);
    });

    it("report.json carries the figures tools read; report.md every section; a cost section and picture only when given", async () => {
        const engines = engineReport(prod);
        const { files } = reviewDocuments(prod, [], engines);
        assert.deepStrictEqual(Object.keys(files).sort(), ["report.json", "report.md", "resources.json"]);
        const report = JSON.parse(files["report.json"]);
        for (const key of ["collectorRequestsPerSecond", "afterOneServerLost", "afterOneZoneLost"]) {
            assert.strictEqual(typeof report.capacity[key], "number", key);
        }
        assert.ok(Array.isArray(report.zoneLoss) && report.zoneLoss.every((e: { left: string; serves: unknown }) => typeof e.left === "string" && "serves" in e));
        assert.strictEqual(typeof report.deploy.criticalPathSeconds, "number");
        assert.ok(report.deploy.path.every((s: { type: string; name: string; seconds: number }) => s.type && s.name && typeof s.seconds === "number"));
        assert.ok(!("cost" in report));
        for (const section of ["## Tiers", "## Exposure", "## Policies", "## Capacity", "## Zone loss", "## Deploy time"]) {
            assert.ok(files["report.md"].includes(`\n${section}\n`), section);
        }
        assert.doesNotMatch(files["report.md"], /cost|architecture\.svg/i);

        const extras = reviewDocuments(prod, [], engines, {
            cost: { markdown: "## Cost\n\nabout 1234 USD a month\n", figures: { monthlyUsd: 1234 }, summary: "about 1234 USD a month" }, architectureSvg: "<svg/>",
        });
        const withExtras = extras.files;
        assert.match(extras.summary, /cost +about 1234 USD a month/);
        assert.deepStrictEqual(JSON.parse(withExtras["report.json"]).cost, { monthlyUsd: 1234 });
        assert.match(withExtras["report.md"], /\n## Cost\n\nabout 1234 USD a month\n/);
        assert.match(withExtras["report.md"], /!\[architecture\]\(architecture\.svg\)/);
        assert.strictEqual(withExtras["architecture.svg"], "<svg/>");
    });
});
