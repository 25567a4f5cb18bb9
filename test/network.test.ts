import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { Network, NetworkArgs } from "../components/network";
import { ipv6Subnet, planSubnets, SUBNET_TIERS, SubnetTier } from "../lib/subnets";
import { recordResources } from "../offline/harness";
import { mocks, RecordedResource, recordedInvokes } from "../offline/mocks";
import { ofType } from "../offline/query";

type Inputs = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const inputs = (r: RecordedResource) => r.inputs as Inputs;

const T = {
    vpc: "aws:ec2/vpc:Vpc", subnet: "aws:ec2/subnet:Subnet", igw: "aws:ec2/internetGateway:InternetGateway",
    eip: "aws:ec2/eip:Eip", nat: "aws:ec2/natGateway:NatGateway", routeTable: "aws:ec2/routeTable:RouteTable",
    association: "aws:ec2/routeTableAssociation:RouteTableAssociation", endpoint: "aws:ec2/vpcEndpoint:VpcEndpoint",
    flowLog: "aws:ec2/flowLog:FlowLog", logGroup: "aws:cloudwatch/logGroup:LogGroup", role: "aws:iam/role:Role",
    defaultSg: "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
};

interface Built {
    resources: RecordedResource[];
    /** A resource of a type by name (an EIP and its NAT gateway share a name). */
    get(type: string, name: string): RecordedResource;
    /** The id and state the mocks gave a resource: references between resources are ids and ARNs. */
    idOf(type: string, name: string): string;
    stateOf(type: string, name: string): Inputs;
}

async function build(args: NetworkArgs): Promise<Built> {
    const created = new Map<string, { id: string; state: Inputs }>();
    const newResource = mocks.newResource;
    mocks.newResource = (resource) => {
        const record = (result: pulumi.runtime.MockResourceResult) => {
            created.set(`${resource.type}::${resource.name}`, { id: result.id!, state: result.state });
            return result;
        };
        const result = newResource(resource);
        return result instanceof Promise ? result.then(record) : record(result);
    };
    try {
        const { resources } = await recordResources(() => new Network("net", args));
        const lookUp = (type: string, name: string) => created.get(`${type}::${name}`) ?? assert.fail(`no ${type} named ${name}`);
        return {
            resources,
            get: (type, name) => ofType(resources, type).find((r) => r.name === name) ?? assert.fail(`no ${type} named ${name}`),
            idOf: (type, name) => lookUp(type, name).id,
            stateOf: (type, name) => lookUp(type, name).state,
        };
    } finally {
        mocks.newResource = newResource;
    }
}

const TAGS = { "tracardi:stack": "test", "managed-by": "pulumi" };

describe("Network with a NAT gateway per zone", () => {
    const args: NetworkArgs = { cidr: "10.20.0.0/16", zoneCount: 3, natGateways: "perZone", tags: TAGS };
    let b: Built;
    before(async () => {
        b = await build(args);
    });

    const subnetsOf = (tier: SubnetTier) => ofType(b.resources, T.subnet).filter((s) => inputs(s).tags["tracardi:subnet-tier"] === tier);
    const subnetId = (tier: SubnetTier, zone: number) => b.idOf(T.subnet, `net-${tier}-${zone}`);
    const associationsOf = (tableName: string) => ofType(b.resources, T.association).map(inputs)
        .filter((a) => a.routeTableId === b.idOf(T.routeTable, tableName)).map((a) => a.subnetId).sort();

    it("creates one subnet per tier and zone, with the CIDRs planSubnets derives, in the VPC", () => {
        assert.strictEqual(inputs(b.get(T.vpc, "net-vpc")).cidrBlock, args.cidr);
        assert.strictEqual(ofType(b.resources, T.subnet).length, SUBNET_TIERS.length * args.zoneCount);
        for (const plan of planSubnets(args.cidr, args.zoneCount)) {
            const subnet = inputs(b.get(T.subnet, `net-${plan.tier}-${plan.zoneIndex}`));
            assert.strictEqual(subnet.cidrBlock, plan.cidr);
            assert.strictEqual(subnet.vpcId, b.idOf(T.vpc, "net-vpc"));
            assert.strictEqual(subnet.tags["tracardi:subnet-tier"], plan.tier);
        }
    });

    it("puts the subnets of each tier in distinct availability zones, the same zone for the same index", () => {
        const zonesOf = (tier: SubnetTier) => subnetsOf(tier).map((s) => inputs(s).availabilityZone);
        assert.strictEqual(new Set(zonesOf("app")).size, args.zoneCount);
        for (const tier of SUBNET_TIERS) {
            assert.deepStrictEqual(zonesOf(tier), zonesOf("app"), tier);
        }
    });

    it("maps a public IP on launch in no subnet, public ones included", () => {
        for (const subnet of ofType(b.resources, T.subnet)) {
            assert.strictEqual(inputs(subnet).mapPublicIpOnLaunch, false, subnet.name);
        }
    });

    it("gives the public subnets, and only them, an IPv6 /64 each from the VPC's block, and nothing an address on launch", () => {
        const vpcBlock = b.stateOf(T.vpc, "net-vpc").ipv6CidrBlock;
        assert.strictEqual(inputs(b.get(T.vpc, "net-vpc")).assignGeneratedIpv6CidrBlock, true);
        const blocks = subnetsOf("public").map((s, zone) => {
            assert.strictEqual(inputs(s).ipv6CidrBlock, ipv6Subnet(vpcBlock, zone));
            return inputs(s).ipv6CidrBlock;
        });
        assert.strictEqual(new Set(blocks).size, args.zoneCount);
        for (const subnet of [...subnetsOf("app"), ...subnetsOf("data")]) {
            assert.strictEqual(inputs(subnet).ipv6CidrBlock, undefined, `${subnet.name} has an IPv6 block`);
        }
        for (const subnet of ofType(b.resources, T.subnet)) {
            assert.notStrictEqual(inputs(subnet).assignIpv6AddressOnCreation, true, subnet.name);
        }
    });

    it("routes the public subnets, and only them, to the Internet gateway, over IPv4 and IPv6", () => {
        assert.deepStrictEqual(inputs(b.get(T.routeTable, "net-public-rt")).routes, [
            { cidrBlock: "0.0.0.0/0", gatewayId: b.idOf(T.igw, "net-igw") },
            { ipv6CidrBlock: "::/0", gatewayId: b.idOf(T.igw, "net-igw") },
        ]);
        assert.deepStrictEqual(associationsOf("net-public-rt"), subnetsOf("public").map((s) => b.idOf(T.subnet, s.name)).sort());
        const igw = b.idOf(T.igw, "net-igw");
        for (const table of ofType(b.resources, T.routeTable).filter((t) => t.name !== "net-public-rt")) {
            assert.ok(inputs(table).routes.every((r: Inputs) => r.gatewayId !== igw), `${table.name} routes to the Internet gateway`);
        }
    });

    it("places one NAT gateway, with an Elastic IP of its own, in each zone's public subnet", () => {
        const nats = ofType(b.resources, T.nat);
        assert.strictEqual(nats.length, args.zoneCount);
        nats.forEach((nat, zone) => {
            assert.strictEqual(inputs(nat).subnetId, subnetId("public", zone));
            assert.strictEqual(inputs(nat).allocationId, b.idOf(T.eip, `net-nat-${zone}`));
            assert.strictEqual(inputs(b.get(T.eip, `net-nat-${zone}`)).domain, "vpc");
            // A NAT gateway needs the Internet gateway attached first.
            assert.ok(nat.dependsOn.includes(b.get(T.igw, "net-igw").urn), `${nat.name} does not wait for the Internet gateway`);
        });
    });

    it("routes each zone's app and data subnets through that zone's own NAT gateway", () => {
        const natInZone = new Map(ofType(b.resources, T.nat).map((n) => [inputs(n).subnetId, b.idOf(T.nat, n.name)]));
        for (let zone = 0; zone < args.zoneCount; zone++) {
            const nat = natInZone.get(subnetId("public", zone));
            assert.ok(nat);
            assert.deepStrictEqual(inputs(b.get(T.routeTable, `net-private-rt-${zone}`)).routes, [{ cidrBlock: "0.0.0.0/0", natGatewayId: nat }]);
            assert.deepStrictEqual(associationsOf(`net-private-rt-${zone}`), [subnetId("app", zone), subnetId("data", zone)].sort());
        }
    });

    it("adds an S3 gateway endpoint to every private route table", () => {
        const endpoints = ofType(b.resources, T.endpoint).map(inputs);
        assert.strictEqual(endpoints.length, 1);
        const [endpoint] = endpoints;
        assert.strictEqual(endpoint.vpcEndpointType, "Gateway");
        assert.match(endpoint.serviceName, /^com\.amazonaws\.[a-z0-9-]+\.s3$/);
        assert.strictEqual(endpoint.vpcId, b.idOf(T.vpc, "net-vpc"));
        assert.deepStrictEqual([...endpoint.routeTableIds].sort(),
            Array.from({ length: args.zoneCount }, (_, zone) => b.idOf(T.routeTable, `net-private-rt-${zone}`)).sort());
    });

    it("logs ALL traffic of the VPC to a log group kept 90 days, through a role only the flow-log service assumes", () => {
        const flowLogs = ofType(b.resources, T.flowLog).map(inputs);
        assert.strictEqual(flowLogs.length, 1);
        const [flowLog] = flowLogs;
        assert.strictEqual(flowLog.trafficType, "ALL");
        assert.strictEqual(flowLog.vpcId, b.idOf(T.vpc, "net-vpc"));
        assert.strictEqual(flowLog.logDestinationType, "cloud-watch-logs");
        assert.strictEqual(flowLog.logDestination, b.stateOf(T.logGroup, "net-flow-logs").arn);
        assert.strictEqual(inputs(b.get(T.logGroup, "net-flow-logs")).retentionInDays, 90);
        assert.strictEqual(flowLog.iamRoleArn, b.stateOf(T.role, "net-flow-logs").arn);
        const trust = JSON.parse(inputs(b.get(T.role, "net-flow-logs")).assumeRolePolicy);
        assert.deepStrictEqual(trust.Statement.map((s: Inputs) => s.Principal), [{ Service: "vpc-flow-logs.amazonaws.com" }]);
    });

    it("keeps flow logs for the retention asked for", async () => {
        const custom = await build({ ...args, flowLogRetentionDays: 365 });
        assert.strictEqual(inputs(custom.get(T.logGroup, "net-flow-logs")).retentionInDays, 365);
    });

    it("empties the default security group so nothing falls back on it", () => {
        const group = inputs(b.get(T.defaultSg, "net-default-sg"));
        assert.strictEqual(group.vpcId, b.idOf(T.vpc, "net-vpc"));
        assert.ok(!group.ingress?.length && !group.egress?.length);
    });

    it("hangs every resource directly under the Network component, and tags every taggable one", () => {
        const [root, ...children] = b.resources;
        assert.strictEqual(root.type, "tracardi:network:Network");
        assert.strictEqual(root.custom, false);
        const untaggable = [T.association, "aws:iam/rolePolicy:RolePolicy"];
        for (const child of children) {
            assert.strictEqual(child.parent, root.urn, `${child.name} (${child.type}) is not a child of the Network`);
            if (!untaggable.includes(child.type)) {
                for (const [key, value] of Object.entries(TAGS)) {
                    assert.strictEqual(inputs(child).tags?.[key], value, `${child.name} (${child.type}) lacks the tag ${key}`);
                }
            }
        }
    });
});

describe("Network with a single NAT gateway", () => {
    const args: NetworkArgs = { cidr: "10.30.0.0/18", zoneCount: 2, natGateways: "single", tags: TAGS };
    let b: Built;
    before(async () => {
        b = await build(args);
    });

    it("creates one NAT gateway, in the first zone, that every private route table uses", () => {
        const nats = ofType(b.resources, T.nat);
        assert.strictEqual(nats.length, 1);
        assert.strictEqual(ofType(b.resources, T.eip).length, 1);
        assert.strictEqual(inputs(nats[0]).subnetId, b.idOf(T.subnet, "net-public-0"));
        for (let zone = 0; zone < args.zoneCount; zone++) {
            assert.deepStrictEqual(inputs(b.get(T.routeTable, `net-private-rt-${zone}`)).routes,
                [{ cidrBlock: "0.0.0.0/0", natGatewayId: b.idOf(T.nat, nats[0].name) }]);
        }
    });

    it("still gives every zone a private route table of its own and the subnets of the smaller VPC", () => {
        assert.strictEqual(ofType(b.resources, T.routeTable).length, 1 + args.zoneCount);
        const cidrs = ofType(b.resources, T.subnet).map((s) => inputs(s).cidrBlock).sort();
        assert.deepStrictEqual(cidrs, planSubnets(args.cidr, args.zoneCount).map((p) => p.cidr).sort());
    });
});

describe("Network zones", () => {
    it("takes regular availability zones only, never the Local or Wavelength zones an account opted into", async () => {
        await recordResources(() => new Network("zones", { cidr: "10.0.0.0/16", zoneCount: 2, natGateways: "single", tags: TAGS }));
        const lookups = recordedInvokes().filter((i) => i.token === "aws:index/getAvailabilityZones:getAvailabilityZones");
        assert.strictEqual(lookups.length, 1);
        assert.strictEqual(lookups[0].inputs.state, "available");
        assert.deepStrictEqual(lookups[0].inputs.filters, [{ name: "opt-in-status", values: ["opt-in-not-required"] }]);
    });
});
