import * as assert from "assert";
import { INSTANCE_TYPES } from "../lib/instanceTypes";
import type { StackPlan } from "../offline/harness";
import type { RecordedResource } from "../offline/mocks";
import { costEstimate, CostEstimate, CostLine, costSummary, gibOf, HOURS_PER_MONTH, NEW_CONNECTIONS_PER_REQUEST, PER_REQUEST_KB, renderCost, USAGE } from "../offline/review/cost";
import { PRICES } from "../offline/review/prices";
import { readStackFile } from "../stacks/config";
import { PROFILE_DEFAULTS } from "../stacks/profiles";
import { planOf, planOfProdVariant, planVariant, PROD_VARIANT, STACK_FILES } from "./helpers/plans";

const regionOf = (file: string) => readStackFile(file).values["aws:region"];
const estimateOf = (plan: StackPlan, region: string) => costEstimate(plan.resources, plan.spec, region);
const linesOf = (estimate: CostEstimate, component: string) => estimate.lines.filter((l) => l.component === component);
const sum = (lines: CostLine[]) => lines.reduce((total, l) => total + l.monthlyUsd, 0);
const ec2 = (region: string, type: string) => PRICES.regions[region].ec2Hourly.find((g) => g.usd[type] !== undefined)?.usd[type];
const unit = (region: string, item: keyof (typeof PRICES.regions)[string]["units"]) => {
    const price = PRICES.regions[region].units[item];
    assert.ok(price, `${item} priced in ${region}`);
    return price.usd;
};
/** The table with eu-west-1's ElastiCache prices taken out: something for the estimate to leave unpriced. */
const LACKING = { ...PRICES, regions: { ...PRICES.regions, "eu-west-1": { ...PRICES.regions["eu-west-1"], elasticacheHourly: [] } } };
const cents = (a: number, b: number, message?: string) => assert.ok(Math.abs(a - b) < 0.015, `${message ?? ""} ${a} != ${b}`);

/** The server and root-volume lines of one tier. */
const tierLines = (estimate: CostEstimate, tier: string) =>
    estimate.lines.filter((l) => l.what.startsWith(`${tier}: `) || l.what.startsWith(`root volumes of ${tier}: `));

describe("the price table", () => {
    it("is dated, names a source for every figure and covers the stack files' regions, us-east-1, eu-west-1 and eu-central-1", () => {
        assert.match(PRICES.compiled, /^\d{4}-\d{2}-\d{2}$/);
        assert.strictEqual(PRICES.hoursPerMonth, 730);
        const required = new Set(["us-east-1", "eu-west-1", "eu-central-1", ...STACK_FILES.map(regionOf)]);
        for (const region of required) {
            const prices = PRICES.regions[region];
            assert.ok(prices, `${region} in the table`);
            const groups = [...prices.ec2Hourly, ...prices.elasticacheHourly, ...prices.rdsMysqlHourly];
            for (const source of [...groups.map((g) => g.source), ...Object.values(prices.units).map((u) => u.source)]) {
                assert.ok(PRICES.sources[source]?.url.startsWith("https://"), `${region}: source ${source} has an address`);
            }
            for (const item of ["ebsGp3GbMonth", "eksClusterHour", "natHour", "natGb", "publicIpv4Hour", "s3StandardGbMonth", "logsIngestGb",
                "logsStoreGbMonth", "kmsKeyMonth", "secretMonth", "wafAclMonth", "wafRuleMonth", "wafMillionRequests", "internetOutGb", "interAzGb"] as const) {
                assert.ok(unit(region, item) > 0, `${region} ${item}`);
            }
        }
    });

    it("prices every instance type of the stack files, of the profile defaults and of the whole type table in every region", () => {
        const types = new Set<string>();
        for (const defaults of Object.values(PROFILE_DEFAULTS)) {
            const d = defaults as Record<string, Record<string, unknown>>;
            for (const value of [d.publicApi?.instanceType, d.internalApi?.instanceType, d.gui?.instanceType, d.elasticsearch?.instanceType, d.kubernetes?.systemInstanceType]) {
                if (typeof value === "string") {
                    types.add(value);
                }
            }
        }
        for (const file of STACK_FILES) {
            for (const match of JSON.stringify(readStackFile(file).values).matchAll(/instanceType\\":\\"([a-z0-9.]+)/g)) {
                types.add(match[1]);
            }
        }
        for (const region of Object.keys(PRICES.regions)) {
            for (const type of types) {
                assert.ok(ec2(region, type), `${type} in ${region}`);
            }
        }
        for (const region of Object.keys(PRICES.regions)) {
            for (const type of INSTANCE_TYPES.keys()) {
                assert.ok(ec2(region, type), `${type} in ${region}`);
            }
        }
    });
});

describe("the cost estimate of the stack files", () => {
    const plans = new Map<string, StackPlan>();
    before(async () => {
        // One at a time: the mocks record into one list.
        for (const file of STACK_FILES) {
            plans.set(file, await planOf(file));
        }
    });

    it("prices every resource type of every stack file, or lists it as unpriced or free with why", () => {
        for (const [file, plan] of plans) {
            const estimate = estimateOf(plan, regionOf(file));
            assert.ok(estimate.lines.length > 0, file);
            const covered = new Set([...estimate.lines.map((l) => l.resourceType), ...estimate.unpriced.map((u) => u.type), ...estimate.free.map((f) => f.type)]);
            const missing = [...new Set(plan.resources.map((r) => r.type))].filter((type) => !covered.has(type));
            assert.deepStrictEqual(missing, [], `${file}: types neither priced, unpriced nor free`);
            for (const note of [...estimate.unpriced, ...estimate.free]) {
                assert.ok(note.why.length > 0 && note.count > 0, `${file}: ${note.type}`);
            }
            const total = estimate.monthlyUsd!;
            cents(total, sum(estimate.lines), file);
            assert.ok(estimate.range!.low < total && total < estimate.range!.high, `${file}: low < expected < high`);
        }
    });

    it("prices a node group's servers as desired size x the type's hourly price x 730, with their root volumes", () => {
        const plan = plans.get("Pulumi.prod.yaml")!;
        const estimate = estimateOf(plan, "eu-west-1");
        const { instances, instanceType } = plan.spec.publicApi;
        const [servers, roots] = tierLines(estimate, "public-api");
        assert.strictEqual(servers.quantity, instances * HOURS_PER_MONTH);
        assert.strictEqual(servers.unitUsd, ec2("eu-west-1", instanceType));
        assert.strictEqual(roots.unitUsd, unit("eu-west-1", "ebsGp3GbMonth"));
        assert.match(servers.what, new RegExp(`^public-api: ${instances} x ${instanceType.replace(".", "\\.")}`));
    });

    it("the VM stack: Auto Scaling groups priced through their launch templates", () => {
        const plan = plans.get("Pulumi.vm.yaml")!;
        const estimate = estimateOf(plan, regionOf("Pulumi.vm.yaml"));
        const [servers] = tierLines(estimate, "public-api");
        assert.strictEqual(servers.resourceType, "aws:autoscaling/group:Group");
        assert.strictEqual(servers.quantity, plan.spec.publicApi.instances * HOURS_PER_MONTH);
        assert.strictEqual(servers.unitUsd, ec2("eu-west-1", plan.spec.publicApi.instanceType));
    });

    it("ECK's search volumes come from the Elasticsearch resource: nodes x claimed size", () => {
        const plan = plans.get("Pulumi.prod.yaml")!;
        const [search] = estimateOf(plan, "eu-west-1").lines.filter((l) => l.resourceType === "kubernetes:elasticsearch.k8s.elastic.co/v1:Elasticsearch");
        assert.strictEqual(search.quantity, plan.spec.elasticsearch.nodes * plan.spec.elasticsearch.volumeGiB);
    });

    it("a region missing from the table is said, not guessed: no lines, every costly type unpriced for that reason", () => {
        const plan = plans.get("Pulumi.prod.yaml")!;
        const estimate = estimateOf(plan, "ap-south-1");
        assert.deepStrictEqual(estimate.lines, []);
        assert.deepStrictEqual([estimate.monthlyUsd, estimate.range], [null, null], "a total of 0 for a region without prices");
        assert.match(costSummary(estimate), /^not priced: no prices for ap-south-1/);
        assert.match(renderCost(estimate), /^## Cost: not priced: ap-south-1 is not in the price table/);
        assert.ok(estimate.unpriced.length > 0);
        for (const note of estimate.unpriced) {
            assert.match(note.why, /region ap-south-1 is not in the price table/);
        }
        const types = estimate.unpriced.map((u) => u.type);
        for (const type of ["aws:eks/nodeGroup:NodeGroup", "aws:lb/loadBalancer:LoadBalancer", "aws:rds/instance:Instance", "aws:ec2/natGateway:NatGateway"]) {
            assert.ok(types.includes(type), type);
        }
        assert.match(renderCost(estimate), /ap-south-1 is not in the price table/);
    });

    it("what the table lacks for a region is unpriced, never zero: ElastiCache taken out of eu-west-1", () => {
        const plan = plans.get("Pulumi.prod.yaml")!;
        const estimate = costEstimate(plan.resources, plan.spec, "eu-west-1", LACKING);
        assert.deepStrictEqual(linesOf(estimate, "redis"), []);
        assert.ok(estimate.unpriced.some((u) => u.type === "aws:elasticache/replicationGroup:ReplicationGroup" && /cache\.t4g\.small.*eu-west-1/.test(u.why)));
        const priced = estimateOf(plan, "us-east-1");
        assert.strictEqual(linesOf(priced, "redis")[0].quantity, 2 * HOURS_PER_MONTH);
    });

    it("renders a markdown section: totals per component, lines, range, assumptions and the unpriced, the same bytes every time", () => {
        // Against the table lacking eu-west-1's ElastiCache prices, so that the unpriced list is rendered too.
        const plan = plans.get("Pulumi.prod.yaml")!;
        const estimate = costEstimate(plan.resources, plan.spec, "eu-west-1", LACKING);
        const text = renderCost(estimate);
        assert.strictEqual(text, renderCost(costEstimate(plan.resources, plan.spec, "eu-west-1", LACKING)));
        assert.match(text, /^## Cost: \$[\d,]+\.\d\d a month \(on demand, eu-west-1\)/);
        assert.match(text, /\| \*\*total\*\* \| \*\*\$[\d,.]+\*\* \|/);
        assert.match(text, /a month is 730 hours/);
        for (const component of new Set(estimate.lines.map((l) => l.component))) {
            assert.ok(text.includes(`| ${component} | $`), component);
        }
        for (const assumption of estimate.assumptions) {
            assert.ok(text.includes(assumption));
        }
        assert.match(text, /Unpriced \(not in the total\):\n- aws:elasticache/);
    });
});

describe("the cost estimate moves with the stack", () => {
    let prod: StackPlan;
    let doubled: StackPlan;
    let bigger: StackPlan;
    let small: StackPlan;
    before(async () => {
        // One at a time: the mocks record into one list.
        prod = await planOf("Pulumi.prod.yaml");
        doubled = await planVariant("Pulumi.prod.yaml", { publicApi: { instances: 2 * prod.spec.publicApi.instances } });
        bigger = await planOfProdVariant();
        small = await planOf("Pulumi.small.yaml");
    });

    it("prices the usage-driven lines of prod from the stated traffic: WAF requests, collector LCUs, public addresses, traffic between zones", () => {
        const region = "eu-west-1";
        const estimate = estimateOf(prod, region);
        const rps = USAGE.expected.collectorRps;
        const requests = rps * HOURS_PER_MONTH * 3600;
        const zones = prod.spec.network.availabilityZones;
        const perCluster = prod.spec.loadBalancers.perCluster;
        const byWhat = (pattern: RegExp) => estimate.lines.filter((l) => pattern.test(l.what));
        // Every collector request passes the WAF.
        assert.deepStrictEqual(byWhat(/^WAF requests/).map((l) => [l.quantity, l.unitUsd]), [[requests / 1e6, unit(region, "wafMillionRequests")]]);
        // The collector ALBs share the traffic: their LCUs add up to one ALB's carrying all of it.
        const collectorLcus = byWhat(/^ALB tracardi-edge-pub-lb\d: /);
        assert.strictEqual(collectorLcus.length, perCluster);
        const lcu = Math.max((rps * NEW_CONNECTIONS_PER_REQUEST) / 25, (rps * (PER_REQUEST_KB.request + PER_REQUEST_KB.response) * 3600) / 1e6);
        cents(collectorLcus.reduce((total, l) => total + l.quantity, 0), lcu * HOURS_PER_MONTH);
        // An Internet-facing ALB keeps a public IPv4 address in each zone: three clusters, two each.
        const addresses = byWhat(/^public IPv4 of /);
        assert.strictEqual(addresses.length, 3 * perCluster);
        assert.ok(addresses.every((l) => l.quantity === zones * HOURS_PER_MONTH && l.unitUsd === unit(region, "publicIpv4Hour")));
        // (zones - 1) / zones of the servers' store traffic crosses zones, search copies each write to a replica, both ways billed.
        const storeKb = PER_REQUEST_KB.searchSent + PER_REQUEST_KB.searchReceived + PER_REQUEST_KB.redis;
        const [between] = byWhat(/^between zones/);
        cents(between.quantity, (2 * requests * (storeKb * ((zones - 1) / zones) + PER_REQUEST_KB.searchSent)) / 1e6);
        assert.strictEqual(between.unitUsd, unit(region, "interAzGb"));
    });

    it("a fourth zone adds a NAT gateway, its address and a public address per Internet-facing ALB", async () => {
        const four = await planVariant("Pulumi.prod.yaml", { network: { availabilityZones: 4 } }, "four-zones");
        const region = "eu-west-1";
        const [before, after] = [estimateOf(prod, region), estimateOf(four, region)];
        const hoursOf = (e: CostEstimate, pattern: RegExp) => e.lines.filter((l) => pattern.test(l.what)).reduce((total, l) => total + l.quantity, 0);
        assert.strictEqual(hoursOf(after, /^public IPv4 of /) - hoursOf(before, /^public IPv4 of /), 3 * prod.spec.loadBalancers.perCluster * HOURS_PER_MONTH);
        assert.strictEqual(hoursOf(after, /^Elastic IPs/) - hoursOf(before, /^Elastic IPs/), HOURS_PER_MONTH);
        assert.strictEqual(after.lines.filter((l) => l.resourceType === "aws:ec2/natGateway:NatGateway" && l.unit === "hours").reduce((t, l) => t + l.quantity, 0),
            4 * HOURS_PER_MONTH);
        assert.ok(after.monthlyUsd! > before.monthlyUsd!);
    });

    it("doubling the collectors raises the cost by exactly their servers and root volumes", () => {
        const region = "eu-west-1";
        const before = estimateOf(prod, region);
        const after = estimateOf(doubled, region);
        const { instances, instanceType } = prod.spec.publicApi;
        const [{ quantity: rootGib }] = tierLines(before, "public-api").slice(1);
        const added = instances * (ec2(region, instanceType)! * HOURS_PER_MONTH + (rootGib / instances) * unit(region, "ebsGp3GbMonth"));
        cents(after.monthlyUsd! - before.monthlyUsd!, added);
        cents(sum(tierLines(after, "public-api")), 2 * sum(tierLines(before, "public-api")));
        // Every other line unchanged (the variant's stack name aside).
        const others = (e: CostEstimate) => e.lines.filter((l) => !tierLines(e, "public-api").includes(l)).map(({ what: _, ...figures }) => figures);
        assert.deepStrictEqual(others(after), others(before));
    });

    it("a bigger instance type costs more by the table's difference", () => {
        const region = "eu-west-1";
        const before = estimateOf(prod, region);
        const after = estimateOf(bigger, region);
        for (const [tier, key] of [["public-api", "publicApi"], ["internal-api", "internalApi"]] as const) {
            const instances = prod.spec[key]!.instances;
            const difference = ec2(region, PROD_VARIANT[key].instanceType)! - ec2(region, prod.spec[key]!.instanceType)!;
            assert.ok(difference > 0);
            cents(sum(tierLines(after, tier)) - sum(tierLines(before, tier)), instances * difference * HOURS_PER_MONTH, tier);
        }
    });

    it("Multi-AZ MySQL doubles its instance and storage lines", () => {
        // The small stack's database, as given and made Multi-AZ.
        const region = "us-east-1";
        assert.strictEqual(small.spec.mysql.multiAz, false);
        const multiAz = small.resources.map((r) => (r.type === "aws:rds/instance:Instance" ? { ...r, inputs: { ...r.inputs, multiAz: true } } : r));
        const single = linesOf(estimateOf(small, region), "mysql");
        const multi = linesOf(costEstimate(multiAz, small.spec, region), "mysql");
        assert.strictEqual(single.length, 2);
        assert.deepStrictEqual(multi.map((l) => l.monthlyUsd), single.map((l) => 2 * l.monthlyUsd));
        assert.strictEqual(single[0].unitUsd, PRICES.regions[region].rdsMysqlHourly[0].usd[small.spec.mysql.instanceClass]);
    });

    it("one NAT gateway (small) against one per zone (prod): one gateway's hours and Elastic IP, or the zones' count", () => {
        const region = "eu-west-1";
        const nat = (plan: StackPlan) => linesOf(estimateOf(plan, region), "network").filter((l) => /NAT gateways: \d|Elastic IPs/.test(l.what));
        assert.deepStrictEqual([small.spec.network.natGateways, prod.spec.network.natGateways], ["single", "perZone"]);
        const zones = prod.spec.network.availabilityZones;
        assert.deepStrictEqual(nat(small).map((l) => l.quantity), [HOURS_PER_MONTH, HOURS_PER_MONTH]);
        assert.deepStrictEqual(nat(prod).map((l) => l.quantity), [zones * HOURS_PER_MONTH, zones * HOURS_PER_MONTH]);
        assert.deepStrictEqual(nat(small).map((l) => l.unitUsd), [unit(region, "natHour"), unit(region, "publicIpv4Hour")]);
    });
});

/** A recorded resource as the mocks record one (inside the search component), for shapes the stack files do not have yet. */
function recorded(type: string, name: string, inputs: Record<string, unknown>, id = `${name}-id`): RecordedResource {
    return {
        urn: `urn:pulumi:test::tracardi::tracardi:index:Deployment$tracardi:search:Ec2Cluster$${type}::${name}`, id, type, name, custom: true, protect: false, retainOnDelete: false, dependsOn: [], aliases: [],
        replaceOnChanges: [], deleteBeforeReplace: false, propertyDependencies: {}, ignoreChanges: [], inputs, provider: "", secretInputs: [],
    };
}

describe("the cost estimate of search on EC2 servers (issue 12's shape, fabricated)", () => {
    const tier = [{ key: "tracardi:tier", value: "search", propagateAtLaunch: true }];
    const resources = [
        recorded("aws:ec2/launchTemplate:LaunchTemplate", "search-0-lt", {
            instanceType: "r6i.large", blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { volumeSize: 30, volumeType: "gp3" } }],
        }, "lt-search0"),
        recorded("aws:autoscaling/group:Group", "search-0-asg", { desiredCapacity: 1, minSize: 1, maxSize: 1, launchTemplate: { id: "lt-search0", version: "1" }, tags: tier }),
        recorded("aws:ebs/volume:Volume", "search-0-data", { availabilityZone: "eu-west-1a", size: 200, type: "gp3", encrypted: true }),
        recorded("aws:ebs/volume:Volume", "search-0-fast", { availabilityZone: "eu-west-1a", size: 50, type: "gp3", iops: 6000 }),
        recorded("aws:ec2/networkInterface:NetworkInterface", "search-0-eni", { subnetId: "subnet-a" }),
        recorded("aws:s3/bucket:Bucket", "search-snapshots", {}),
        recorded("aws:lb/loadBalancer:LoadBalancer", "search-nlb", {
            loadBalancerType: "network", internal: true, subnets: ["subnet-a", "subnet-b", "subnet-c"], tags: { "tracardi:tier": "search" },
        }),
    ];
    const spec = { elasticsearch: { provider: "eck", nodes: 1 }, network: { availabilityZones: 3 }, compute: "vm" } as unknown as StackPlan["spec"];
    const estimate = costEstimate(resources, spec, "eu-west-1");

    it("prices the server by its template's type, its root and data volumes, and the internal NLB without public addresses", () => {
        const byWhat = (pattern: RegExp) => estimate.lines.filter((l) => pattern.test(l.what));
        assert.deepStrictEqual(byWhat(/^search: /).map((l) => [l.quantity, l.unitUsd]), [[HOURS_PER_MONTH, ec2("eu-west-1", "r6i.large")]]);
        assert.deepStrictEqual(byWhat(/^root volumes of search/).map((l) => l.quantity), [30]);
        assert.deepStrictEqual(byWhat(/^volume search-0-data/).map((l) => [l.quantity, l.unitUsd]), [[200, unit("eu-west-1", "ebsGp3GbMonth")]]);
        assert.deepStrictEqual(byWhat(/^NLB search-nlb/).map((l) => l.unit), ["hours", "NLCU-hours"]);
        assert.deepStrictEqual(byWhat(/public IPv4/), []);
        assert.ok(estimate.free.some((f) => f.type === "aws:ec2/networkInterface:NetworkInterface"));
        assert.ok(estimate.free.some((f) => f.type === "aws:ec2/launchTemplate:LaunchTemplate"));
    });

    it("sizes the snapshot bucket from the search volumes", () => {
        const [snapshots] = estimate.lines.filter((l) => l.what.startsWith("search-snapshots: search snapshots"));
        assert.strictEqual(snapshots.quantity, (200 + 50) * USAGE.expected.snapshotShareOfSearchVolumes);
    });

    it("says what it cannot price: IOPS above gp3's free baseline", () => {
        assert.ok(estimate.unpriced.some((u) => u.type === "aws:ebs/volume:Volume" && /above gp3's free baseline/.test(u.why)));
    });

    it("reads Kubernetes storage quantities", () => {
        assert.deepStrictEqual(["100Gi", "1Ti", "512Mi", "10", "lots"].map(gibOf), [100, 1024, 0.5, 10, undefined]);
    });
});
