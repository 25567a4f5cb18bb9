import type { RecordedResource } from "../mocks";
import type { StackSpec } from "../../stacks/schema";
import { TIER_LABEL } from "../../lib/manifests";
import { TIER_TAG } from "../../lib/tags";
import { PRICES, PriceTable, RegionPrices, UnitItem } from "./prices";
import { referring } from "../query";
import { COLLECTOR_TIERS } from "./servers";

/**
 * The monthly on-demand cost of a stack, from the resources the program registered (inputs as given)
 * and the price table of ./prices. Pure: the plan's report calls it with the stack file's region.
 * Always-on resources cost their hourly price x 730 hours (AWS's own month: 8760 / 12); usage-driven
 * items (LCUs, NAT and transfer GB, WAF requests, logs, S3) are priced at the low, expected and high
 * usage of USAGE, each assumption said in the estimate.
 */

export interface CostLine {
    component: Component;
    what: string;
    quantity: number;
    unit: string;
    unitUsd: number;
    monthlyUsd: number;
    /** The resource type the line prices. */
    resourceType: string;
}

export interface TypeNote {
    type: string;
    count: number;
    why: string;
}

export interface CostEstimate {
    region: string;
    /** The date of the prices (the table's oldest price data). */
    priceDate: string;
    source: string;
    /** Monthly total at the expected usage; null when the region is not in the table. */
    monthlyUsd: number | null;
    range: { low: number; high: number } | null;
    lines: CostLine[];
    /** What the table does not price, with why: never counted as zero. */
    unpriced: TypeNote[];
    /** Resource types that cost nothing of their own, with why. */
    free: TypeNote[];
    assumptions: string[];
}

const COMPONENTS = ["servers", "storage", "kubernetes", "load balancers", "network", "redis", "mysql",
    "security", "logs", "s3", "data transfer"] as const;
export type Component = (typeof COMPONENTS)[number];

export const HOURS_PER_MONTH = PRICES.hoursPerMonth;
const SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600;
const KB_PER_GB = 1e6;

/** Traffic and volumes per scenario. The per-request sizes are the same in every scenario. */
export interface Usage {
    /** Collector requests per second over the whole stack (Tracardi's /track calls). */
    collectorRps: number;
    /** LCUs of each load balancer that only trusted networks use (GUI, GUI-facing API): a handful of people. */
    trustedLbLcu: number;
    /** NAT gateway GB a month besides search traffic: images, OS and package updates, AWS API calls. */
    natBaseGb: number;
    /** EKS control-plane logs (api, audit, authenticator, controller manager, scheduler), GB a month. */
    eksLogGb: number;
    /** Any other log group, GB a month. */
    otherLogGb: number;
    /** Share of the search volumes a snapshot repository holds (incremental snapshots of the primaries). */
    snapshotShareOfSearchVolumes: number;
    /** Any other bucket, GB. */
    otherBucketGb: number;
}

export const USAGE: Record<"low" | "expected" | "high", Usage> = {
    low: { collectorRps: 5, trustedLbLcu: 0.01, natBaseGb: 5, eksLogGb: 1, otherLogGb: 0.1, snapshotShareOfSearchVolumes: 0.1, otherBucketGb: 1 },
    expected: { collectorRps: 50, trustedLbLcu: 0.05, natBaseGb: 20, eksLogGb: 5, otherLogGb: 1, snapshotShareOfSearchVolumes: 0.3, otherBucketGb: 5 },
    high: { collectorRps: 300, trustedLbLcu: 0.2, natBaseGb: 100, eksLogGb: 20, otherLogGb: 5, snapshotShareOfSearchVolumes: 0.7, otherBucketGb: 50 },
};

/**
 * Sizes per collector request, the same in every scenario. Tracardi's /track payloads are an event
 * or a few with the session and profile ids (about 1-3 KB); the answer is a small JSON.
 */
export const PER_REQUEST_KB = {
    request: 2,
    response: 1,
    /** API to search: event, session and profile writes (6 KB) and the reads that precede them (2 KB). */
    searchSent: 6,
    searchReceived: 2,
    redis: 2,
    /** A WAF log record: the request's headers and the rule verdicts, as JSON. */
    wafLog: 1.5,
    /** VPC flow log records of the connections a request opens (client-LB, LB-server, server-stores). */
    flowLog: 0.5,
    /** Server logs on VM stacks: gunicorn's access line and the API's own log lines. */
    serverLog: 0.5,
    /** An ALB access log line, gzipped by the load balancer. */
    lbAccessLog: 0.1,
};

/** Half the collector requests open a new connection (browsers keep some alive). */
export const NEW_CONNECTIONS_PER_REQUEST = 0.5;
/**
 * LCU dimensions (aws.amazon.com/elasticloadbalancing/pricing/): an ALB LCU is 25 new connections/s,
 * 3000 active connections/min, 1 GB/h to EC2 targets or 1000 rule evaluations/s (the first 10 rules
 * free); an NLB NLCU for TCP is 800 new flows/s, 100,000 active flows or 1 GB/h.
 */
const ALB_NEW_CONNECTIONS_PER_LCU = 25;
const NLB_NEW_FLOWS_PER_NLCU = 800;

const NODE_GROUP = "aws:eks/nodeGroup:NodeGroup";
const ASG = "aws:autoscaling/group:Group";
const LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate";
const VOLUME = "aws:ebs/volume:Volume";
const ELASTICSEARCH = "kubernetes:elasticsearch.k8s.elastic.co/v1:Elasticsearch";
const STORAGE_CLASS = "kubernetes:storage.k8s.io/v1:StorageClass";
const LOAD_BALANCER = "aws:lb/loadBalancer:LoadBalancer";
const VPC_ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint";
const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";

const FREE: Record<string, string> = {
    "aws:acm/certificate:Certificate": "public ACM certificates are free",
    "aws:acm/certificateValidation:CertificateValidation": "a wait for DNS validation, no resource",
    "aws:autoscaling/attachment:Attachment": "attaching a group to a target group is free",
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": "security groups are free",
    "aws:ec2/securityGroup:SecurityGroup": "security groups are free",
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": "security group rules are free",
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": "security group rules are free",
    "aws:ec2/internetGateway:InternetGateway": "free; the traffic through it is priced as data transfer",
    "aws:ec2/routeTable:RouteTable": "route tables are free",
    "aws:ec2/routeTableAssociation:RouteTableAssociation": "route tables are free",
    "aws:ec2/subnet:Subnet": "subnets are free",
    "aws:ec2/vpc:Vpc": "VPCs are free",
    "aws:ec2/networkInterface:NetworkInterface": "network interfaces are free (a public IPv4 address on one is not)",
    "aws:ec2/launchTemplate:LaunchTemplate": "a template is free: its servers and volumes are priced with the group that launches them",
    "aws:ec2/flowLog:FlowLog": "free of its own: its records are priced as its log group's ingestion",
    "aws:eks/addon:Addon": "add-ons are free: their pods run on the priced servers",
    "aws:elasticache/subnetGroup:SubnetGroup": "subnet groups are free",
    "aws:rds/subnetGroup:SubnetGroup": "subnet groups are free",
    "aws:rds/parameterGroup:ParameterGroup": "parameter groups are free",
    "aws:iam/role:Role": "IAM is free",
    "aws:iam/rolePolicy:RolePolicy": "IAM is free",
    "aws:iam/user:User": "IAM is free",
    "aws:iam/userPolicy:UserPolicy": "IAM is free",
    "aws:iam/accessKey:AccessKey": "IAM is free",
    "aws:iam/instanceProfile:InstanceProfile": "IAM is free",
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider": "IAM is free",
    "aws:iam/policy:Policy": "IAM is free",
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": "IAM is free",
    "aws:lb/listener:Listener": "included in its load balancer's hours and LCUs",
    "aws:lb/listenerRule:ListenerRule": "included in its load balancer's LCUs (fewer than 10 rules: no rule evaluations charged)",
    "aws:lb/targetGroup:TargetGroup": "included in its load balancer's hours and LCUs",
    "aws:lb/targetGroupAttachment:TargetGroupAttachment": "registering a target is free",
    "aws:route53/record:Record": "records live in the customer's hosted zone (its $0.50 a month is not the stack's); queries to alias records of AWS resources are free",
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": "bucket settings are free",
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": "bucket settings are free",
    "aws:s3/bucketPolicy:BucketPolicy": "bucket settings are free",
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": "bucket settings are free",
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": "bucket settings are free",
    "aws:s3/bucketVersioning:BucketVersioning": "bucket settings are free (old versions are stored data, within the snapshot estimate)",
    "aws:secretsmanager/secretVersion:SecretVersion": "included in its secret's monthly price",
    "aws:wafv2/ipSet:IpSet": "IP sets are free",
    "aws:wafv2/webAclAssociation:WebAclAssociation": "associations are free",
    "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration": "free of its own: its records are priced as its log group's ingestion",
    "kubernetes:storage.k8s.io/v1:StorageClass": "free of its own: the volumes it provisions are priced with the search cluster",
};

/** Why a resource of this type costs nothing of its own, or undefined when it may cost. */
function freeReason(resource: RecordedResource): string | undefined {
    if (!resource.custom) {
        return "a component: it groups resources and is no cloud resource";
    }
    if (resource.type.startsWith("pulumi:providers:")) {
        return "a provider: no cloud resource";
    }
    if (resource.type.startsWith("random:") || resource.type.startsWith("tls:")) {
        return "generated by Pulumi, no cloud resource";
    }
    if (resource.type.startsWith("kubernetes:") && !FREE[resource.type] && resource.type !== ELASTICSEARCH) {
        return "Kubernetes objects: their pods run on the priced servers";
    }
    if (resource.type === VPC_ENDPOINT && resource.inputs.vpcEndpointType === "Gateway") {
        return "gateway endpoints (S3, DynamoDB) are free";
    }
    return FREE[resource.type];
}

type Inputs = Record<string, unknown>;
const obj = (value: unknown): Inputs => (typeof value === "object" && value !== null ? value as Inputs : {});
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const num = (value: unknown): number | undefined => (value === undefined || value === null || value === "" ? undefined : Number(value));

/** Kubernetes quantities of storage as GiB ("100Gi", "1Ti", "500Mi"). */
export function gibOf(quantity: string): number | undefined {
    const match = /^(\d+(?:\.\d+)?)(Mi|Gi|Ti)?$/.exec(quantity);
    if (!match) {
        return undefined;
    }
    const factor = { Mi: 1 / 1024, Gi: 1, Ti: 1024 }[match[2] ?? "Gi"] ?? 1;
    return Number(match[1]) * factor;
}

const round2 = (usd: number) => Math.round(usd * 100) / 100;

/** Looks up prices for one region, recording what it lacks. */
class Pricer {
    readonly missing: TypeNote[] = [];
    readonly sources = new Set<string>();

    constructor(private readonly region: string, private readonly prices: RegionPrices) {}

    private lack(type: string, count: number, what: string): undefined {
        this.missing.push({ type, count, why: `no ${what} price for ${this.region} in the table` });
        return undefined;
    }

    unit(item: UnitItem, type: string, count: number, what: string): number | undefined {
        const price = this.prices.units[item];
        if (!price) {
            return this.lack(type, count, what);
        }
        this.sources.add(price.source);
        return price.usd;
    }

    keyed(groups: "ec2Hourly" | "elasticacheHourly" | "rdsMysqlHourly", key: string, type: string, count: number, what: string): number | undefined {
        const group = this.prices[groups].find((g) => g.usd[key] !== undefined);
        if (!group) {
            return this.lack(type, count, `${what} ${key}`);
        }
        this.sources.add(group.source);
        return group.usd[key];
    }
}

interface Context {
    resources: RecordedResource[];
    spec: StackSpec;
    pricer: Pricer;
    usage: Usage;
}

type LineOut = Omit<CostLine, "monthlyUsd">;
const line = (l: LineOut): CostLine => ({ ...l, monthlyUsd: round2(l.quantity * l.unitUsd) });

function tierOf(resource: RecordedResource, template?: RecordedResource): string {
    const labels = obj(resource.inputs.labels);
    const asgTag = list(resource.inputs.tags).map(obj).find((t) => t.key === TIER_TAG)?.value;
    const templateTag = list(template?.inputs.tagSpecifications).map(obj)
        .find((s) => s.resourceType === "instance")?.tags as Inputs | undefined;
    return String(labels[TIER_LABEL] ?? asgTag ?? templateTag?.[TIER_TAG] ?? resource.name);
}

/** EC2 servers of node groups and Auto Scaling groups, and their root volumes. */
function serverLines(ctx: Context): CostLine[] {
    const { resources, pricer } = ctx;
    const templates = new Map(resources.filter((r) => r.type === LAUNCH_TEMPLATE).map((r) => [r.id, r]));
    const lines: CostLine[] = [];
    for (const group of resources.filter((r) => r.type === NODE_GROUP || r.type === ASG)) {
        const template = templates.get(String(obj(group.inputs.launchTemplate).id));
        const count = group.type === NODE_GROUP
            ? num(obj(group.inputs.scalingConfig).desiredSize) ?? 0
            : num(group.inputs.desiredCapacity) ?? num(group.inputs.minSize) ?? 0;
        const instanceType = group.type === NODE_GROUP ? list(group.inputs.instanceTypes)[0] : template?.inputs.instanceType;
        const kind = group.type === NODE_GROUP ? "EKS node group" : "Auto Scaling group";
        const tier = tierOf(group, template);
        if (typeof instanceType !== "string") {
            pricer.missing.push({ type: group.type, count: 1, why: `${group.name}: no instance type in its inputs or its launch template's` });
            continue;
        }
        const hourly = pricer.keyed("ec2Hourly", instanceType, group.type, 1, "EC2");
        if (hourly !== undefined) {
            lines.push(line({
                component: "servers", what: `${tier}: ${count} x ${instanceType} (${kind} ${group.name})`,
                quantity: count * HOURS_PER_MONTH, unit: "instance-hours", unitUsd: hourly, resourceType: group.type,
            }));
        }
        const root = template ? obj(obj(list(template.inputs.blockDeviceMappings)[0]).ebs) : undefined;
        if (!root || num(root.volumeSize) === undefined) {
            pricer.missing.push({ type: group.type, count: 1, why: `${group.name}: root volume size not in a launch template` });
            continue;
        }
        lines.push(...volumeLine(ctx, {
            what: `root volumes of ${tier}: ${count} x ${root.volumeSize} GiB`, count, gib: num(root.volumeSize) ?? 0,
            volumeType: String(root.volumeType ?? "gp3"), iops: num(root.iops), throughput: num(root.throughput), resourceType: group.type,
        }));
    }
    return lines;
}

/** gp3's free baseline (aws.amazon.com/ebs/pricing/): more IOPS or throughput is charged apart. */
const GP3_FREE_IOPS = 3000;
const GP3_FREE_MBPS = 125;

function volumeLine(ctx: Context, v: { what: string; count: number; gib: number; volumeType: string; iops?: number; throughput?: number; resourceType: string }): CostLine[] {
    const item = ({ gp3: "ebsGp3GbMonth", gp2: "ebsGp2GbMonth" } as const)[v.volumeType as "gp3" | "gp2"];
    if (!item) {
        ctx.pricer.missing.push({ type: v.resourceType, count: v.count, why: `${v.what}: volume type ${v.volumeType} is not in the table` });
        return [];
    }
    if (v.volumeType === "gp3" && ((v.iops ?? 0) > GP3_FREE_IOPS || (v.throughput ?? 0) > GP3_FREE_MBPS)) {
        ctx.pricer.missing.push({ type: v.resourceType, count: v.count, why: `${v.what}: IOPS or throughput above gp3's free baseline` });
    }
    const price = ctx.pricer.unit(item, v.resourceType, v.count, `EBS ${v.volumeType}`);
    return price === undefined ? [] : [line({
        component: "storage", what: `${v.what} ${v.volumeType}`, quantity: v.count * v.gib, unit: "GB-months", unitUsd: price, resourceType: v.resourceType,
    })];
}

/**
 * Volumes the program creates itself, and those ECK claims for search (volumeClaimTemplates x count);
 * with the GiB that hold search data (ECK's claims, volumes inside a search component).
 */
function dataVolumeLines(ctx: Context): { lines: CostLine[]; searchGib: number } {
    const { resources } = ctx;
    const lines: CostLine[] = [];
    let searchGib = 0;
    for (const volume of resources.filter((r) => r.type === VOLUME)) {
        if (volume.urn.includes("tracardi:search:")) {
            searchGib += num(volume.inputs.size) ?? 0;
        }
        lines.push(...volumeLine(ctx, {
            what: `volume ${volume.name}: ${volume.inputs.size} GiB`, count: 1, gib: num(volume.inputs.size) ?? 0,
            volumeType: String(volume.inputs.type ?? "gp2"), iops: num(volume.inputs.iops), throughput: num(volume.inputs.throughput), resourceType: VOLUME,
        }));
    }
    const classes = new Map(resources.filter((r) => r.type === STORAGE_CLASS).map((r) => [String(obj(r.inputs.metadata).name), r]));
    for (const cluster of resources.filter((r) => r.type === ELASTICSEARCH)) {
        for (const nodeSet of list(obj(cluster.inputs.spec).nodeSets).map(obj)) {
            for (const claim of list(nodeSet.volumeClaimTemplates).map(obj)) {
                const claimSpec = obj(claim.spec);
                const gib = gibOf(String(obj(obj(claimSpec.resources).requests).storage));
                const storageClass = classes.get(String(claimSpec.storageClassName));
                const volumeType = String(obj(storageClass?.inputs.parameters).type ?? "gp2");
                const count = num(nodeSet.count) ?? 0;
                if (gib === undefined || !storageClass) {
                    ctx.pricer.missing.push({ type: ELASTICSEARCH, count: 1, why: `${cluster.name}: volume size or storage class not readable` });
                    continue;
                }
                searchGib += count * gib;
                lines.push(...volumeLine(ctx, {
                    what: `search volumes (${cluster.name} ${nodeSet.name}): ${count} x ${gib} GiB`, count, gib, volumeType, resourceType: ELASTICSEARCH,
                }));
            }
        }
    }
    return { lines, searchGib };
}

/** Prices `count` of something always on: quantity in hours. */
function hourly(ctx: Context, l: { component: Component; what: string; count: number; item: UnitItem; resourceType: string; label: string }): CostLine[] {
    const price = ctx.pricer.unit(l.item, l.resourceType, l.count, l.label);
    return price === undefined ? [] : [line({
        component: l.component, what: l.what, quantity: l.count * HOURS_PER_MONTH, unit: "hours", unitUsd: price, resourceType: l.resourceType,
    })];
}

function monthly(ctx: Context, l: { component: Component; what: string; quantity: number; unit: string; item: UnitItem; resourceType: string; label: string }): CostLine[] {
    const price = ctx.pricer.unit(l.item, l.resourceType, 1, l.label);
    return price === undefined ? [] : [line({
        component: l.component, what: l.what, quantity: l.quantity, unit: l.unit, unitUsd: price, resourceType: l.resourceType,
    })];
}

const collectorRequestsPerMonth = (usage: Usage) => usage.collectorRps * SECONDS_PER_MONTH;
const searchInVpc = (spec: StackSpec) => spec.elasticsearch.provider !== "external";

function tagOf(resource: RecordedResource, key: string): string | undefined {
    const tags = obj(resource.inputs.tags);
    return tags[key] === undefined ? undefined : String(tags[key]);
}

/** Load balancers: hours, LCUs at the usage, and the public IPv4 address each keeps per zone. */
function loadBalancerLines(ctx: Context): CostLine[] {
    const { resources, usage } = ctx;
    const balancers = resources.filter((r) => r.type === LOAD_BALANCER);
    const collectors = balancers.filter((lb) => COLLECTOR_TIERS.includes(tagOf(lb, TIER_TAG) ?? ""));
    const lines: CostLine[] = [];
    for (const lb of balancers) {
        const network = lb.inputs.loadBalancerType === "network";
        const kind = network ? "NLB" : "ALB";
        const tier = tagOf(lb, TIER_TAG) ?? lb.name;
        lines.push(...hourly(ctx, {
            component: "load balancers", what: `${kind} ${lb.name} (${tier})`, count: 1,
            item: network ? "nlbHour" : "albHour", resourceType: LOAD_BALANCER, label: kind,
        }));
        const capacityUnits = network ? searchNlcu(ctx, tier) : albLcu(usage, collectors.includes(lb) ? collectors.length : 0);
        lines.push(...monthly(ctx, {
            component: "load balancers", what: `${kind} ${lb.name}: ${round2(capacityUnits)} ${network ? "NLCU" : "LCU"} on average`,
            quantity: capacityUnits * HOURS_PER_MONTH, unit: network ? "NLCU-hours" : "LCU-hours",
            item: network ? "nlbNlcuHour" : "albLcuHour", resourceType: LOAD_BALANCER, label: `${kind} capacity unit`,
        }));
        if (lb.inputs.internal !== true) {
            const zones = list(lb.inputs.subnets).length || list(lb.inputs.subnetMappings).length;
            lines.push(...hourly(ctx, {
                component: "network", what: `public IPv4 of ${lb.name}: one per zone (${zones})`, count: zones,
                item: "publicIpv4Hour", resourceType: LOAD_BALANCER, label: "public IPv4",
            }));
        }
    }
    return lines;
}

/** LCUs of one collector ALB sharing the traffic with `sharing - 1` others; trusted-only ALBs get the usage's fixed figure. */
function albLcu(usage: Usage, sharing: number): number {
    if (sharing === 0) {
        return usage.trustedLbLcu;
    }
    const rps = usage.collectorRps / sharing;
    const newConnections = (rps * NEW_CONNECTIONS_PER_REQUEST) / ALB_NEW_CONNECTIONS_PER_LCU;
    const gbPerHour = (rps * (PER_REQUEST_KB.request + PER_REQUEST_KB.response) * 3600) / KB_PER_GB;
    return Math.max(newConnections, gbPerHour);
}

/** NLCUs of an internal NLB: over search nodes it carries the search traffic; any other, the trusted figure. */
function searchNlcu(ctx: Context, tier: string): number {
    const nlbs = ctx.resources.filter((r) => r.type === LOAD_BALANCER && r.inputs.loadBalancerType === "network" && tagOf(r, TIER_TAG) === tier).length;
    if (tier !== "search") {
        return ctx.usage.trustedLbLcu;
    }
    const rps = ctx.usage.collectorRps / nlbs;
    const gbPerHour = (rps * (PER_REQUEST_KB.searchSent + PER_REQUEST_KB.searchReceived) * 3600) / KB_PER_GB;
    return Math.max((rps * NEW_CONNECTIONS_PER_REQUEST) / NLB_NEW_FLOWS_PER_NLCU, gbPerHour);
}

function natLines(ctx: Context): CostLine[] {
    const { resources, spec, usage } = ctx;
    const nats = resources.filter((r) => r.type === "aws:ec2/natGateway:NatGateway");
    const eips = resources.filter((r) => r.type === "aws:ec2/eip:Eip");
    const lines: CostLine[] = [];
    if (nats.length > 0) {
        lines.push(...hourly(ctx, {
            component: "network", what: `NAT gateways: ${nats.length}`, count: nats.length, item: "natHour", resourceType: "aws:ec2/natGateway:NatGateway", label: "NAT gateway",
        }));
        const searchGb = searchInVpc(spec) ? 0 : (collectorRequestsPerMonth(usage) * (PER_REQUEST_KB.searchSent + PER_REQUEST_KB.searchReceived)) / KB_PER_GB;
        lines.push(...monthly(ctx, {
            component: "network", what: `NAT gateways: GB processed${searchGb > 0 ? " (with the traffic to the external search)" : ""}`,
            quantity: usage.natBaseGb + searchGb, unit: "GB", item: "natGb", resourceType: "aws:ec2/natGateway:NatGateway", label: "NAT GB",
        }));
    }
    if (eips.length > 0) {
        lines.push(...hourly(ctx, {
            component: "network", what: `Elastic IPs (public IPv4): ${eips.length}`, count: eips.length, item: "publicIpv4Hour", resourceType: "aws:ec2/eip:Eip", label: "public IPv4",
        }));
    }
    const endpoints = resources.filter((r) => r.type === VPC_ENDPOINT && r.inputs.vpcEndpointType !== "Gateway");
    if (endpoints.length > 0) {
        ctx.pricer.missing.push({ type: VPC_ENDPOINT, count: endpoints.length, why: "interface endpoints are not in the table" });
    }
    return lines;
}

function redisLines(ctx: Context): CostLine[] {
    return ctx.resources.filter((r) => r.type === "aws:elasticache/replicationGroup:ReplicationGroup").flatMap((group) => {
        const nodeType = String(group.inputs.nodeType);
        const nodes = num(group.inputs.numCacheClusters)
            ?? (num(group.inputs.numNodeGroups) ?? 1) * ((num(group.inputs.replicasPerNodeGroup) ?? 0) + 1);
        const price = ctx.pricer.keyed("elasticacheHourly", nodeType, group.type, 1, "ElastiCache");
        return price === undefined ? [] : [line({
            component: "redis", what: `${group.name}: ${nodes} x ${nodeType}`, quantity: nodes * HOURS_PER_MONTH, unit: "node-hours", unitUsd: price, resourceType: group.type,
        })];
    });
}

function mysqlLines(ctx: Context): CostLine[] {
    return ctx.resources.filter((r) => r.type === "aws:rds/instance:Instance").flatMap((db) => {
        const instanceClass = String(db.inputs.instanceClass);
        // Multi-AZ runs a standby in a second zone: twice the instance hours and twice the storage.
        const copies = db.inputs.multiAz === true ? 2 : 1;
        const az = copies === 2 ? "Multi-AZ" : "Single-AZ";
        const lines: CostLine[] = [];
        const price = ctx.pricer.keyed("rdsMysqlHourly", instanceClass, db.type, 1, "RDS for MySQL");
        if (price !== undefined) {
            lines.push(line({
                component: "mysql", what: `${db.name}: ${instanceClass}, ${az}`, quantity: copies * HOURS_PER_MONTH, unit: "instance-hours", unitUsd: price, resourceType: db.type,
            }));
        }
        const storageType = String(db.inputs.storageType ?? "gp2");
        const item = ({ gp3: "rdsGp3GbMonth", gp2: "rdsGp2GbMonth" } as const)[storageType as "gp3" | "gp2"];
        const gb = num(db.inputs.allocatedStorage) ?? 0;
        if (!item) {
            ctx.pricer.missing.push({ type: db.type, count: 1, why: `${db.name}: storage type ${storageType} is not in the table` });
        } else {
            lines.push(...monthly(ctx, {
                component: "mysql", what: `${db.name}: ${gb} GB ${storageType}, ${az}`, quantity: copies * gb, unit: "GB-months",
                item, resourceType: db.type, label: `RDS ${storageType} storage`,
            }));
        }
        return lines;
    });
}

function securityLines(ctx: Context): CostLine[] {
    const { resources, usage } = ctx;
    const keys = resources.filter((r) => r.type === "aws:kms/key:Key");
    const secrets = resources.filter((r) => r.type === "aws:secretsmanager/secret:Secret");
    const lines: CostLine[] = [];
    if (keys.length > 0) {
        lines.push(...monthly(ctx, {
            component: "security", what: `KMS keys: ${keys.length}`, quantity: keys.length, unit: "key-months", item: "kmsKeyMonth", resourceType: "aws:kms/key:Key", label: "KMS key",
        }));
    }
    if (secrets.length > 0) {
        lines.push(...monthly(ctx, {
            component: "security", what: `Secrets Manager secrets: ${secrets.length}`, quantity: secrets.length, unit: "secret-months",
            item: "secretMonth", resourceType: "aws:secretsmanager/secret:Secret", label: "secret",
        }));
    }
    for (const acl of resources.filter((r) => r.type === "aws:wafv2/webAcl:WebAcl")) {
        const rules = list(acl.inputs.rules).length;
        lines.push(...monthly(ctx, { component: "security", what: `WAF web ACL ${acl.name}`, quantity: 1, unit: "ACL-months", item: "wafAclMonth", resourceType: acl.type, label: "WAF ACL" }));
        lines.push(...monthly(ctx, { component: "security", what: `WAF rules of ${acl.name}: ${rules}`, quantity: rules, unit: "rule-months", item: "wafRuleMonth", resourceType: acl.type, label: "WAF rule" }));
        const millions = protectsCollectors(resources, acl) ? collectorRequestsPerMonth(usage) / 1e6 : 0;
        lines.push(...monthly(ctx, {
            component: "security", what: `WAF requests through ${acl.name}: the collector traffic`, quantity: millions, unit: "million requests",
            item: "wafMillionRequests", resourceType: acl.type, label: "WAF requests",
        }));
    }
    return lines;
}

/** Whether an ACL is associated with a collector load balancer (its requests are the collector traffic). */
function protectsCollectors(resources: RecordedResource[], acl: RecordedResource): boolean {
    const arns = referring(resources, "aws:wafv2/webAclAssociation:WebAclAssociation", "webAclArn", [acl]).flatMap((a) => a.propertyDependencies.resourceArn ?? []);
    return resources.some((r) => arns.includes(r.urn) && COLLECTOR_TIERS.includes(tagOf(r, TIER_TAG) ?? ""));
}

/** What a log group receives: the resource that delivers to it decides the volume and the price. */
function logGroupLines(ctx: Context): CostLine[] {
    const { resources, usage, spec } = ctx;
    const requests = collectorRequestsPerMonth(usage);
    const deliveredBy = (group: RecordedResource, type: string) =>
        resources.some((r) => r.type === type && Object.values(r.propertyDependencies).some((deps) => deps.includes(group.urn)));
    return resources.filter((r) => r.type === LOG_GROUP).flatMap((group) => {
        const name = String(group.inputs.name ?? group.inputs.namePrefix ?? group.name);
        let gb: number;
        let kind: string;
        let item: UnitItem = "logsIngestGb";
        if (deliveredBy(group, "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration")) {
            gb = (requests * PER_REQUEST_KB.wafLog) / KB_PER_GB;
            kind = "WAF request logs (every request)";
            item = "logsVendedIngestGb";
        } else if (deliveredBy(group, "aws:ec2/flowLog:FlowLog")) {
            gb = (requests * PER_REQUEST_KB.flowLog) / KB_PER_GB;
            kind = "VPC flow logs";
            item = "logsVendedIngestGb";
        } else if (deliveredBy(group, "aws:eks/cluster:Cluster") || name.startsWith("/aws/eks/")) {
            gb = usage.eksLogGb;
            kind = "EKS control-plane logs";
        } else if (group.parent?.includes("$tracardi:search:Ec2Cluster")) {
            // Elasticsearch's own log lines: no line per request.
            gb = usage.otherLogGb;
            kind = "search server logs";
        } else if (spec.compute === "vm") {
            // On EC2 servers without Kubernetes, the other log groups are Tracardi's servers' own.
            gb = (requests * PER_REQUEST_KB.serverLog) / KB_PER_GB + usage.otherLogGb;
            kind = "server and container logs";
        } else {
            gb = usage.otherLogGb;
            kind = "logs";
        }
        const retentionMonths = (num(group.inputs.retentionInDays) ?? 365) / 30;
        return [
            ...monthly(ctx, { component: "logs", what: `${kind} into ${group.name}`, quantity: gb, unit: "GB ingested", item, resourceType: LOG_GROUP, label: "CloudWatch Logs ingestion" }),
            ...monthly(ctx, {
                component: "logs", what: `${group.name}: ${round2(retentionMonths)} months kept`, quantity: gb * retentionMonths, unit: "GB-months",
                item: "logsStoreGbMonth", resourceType: LOG_GROUP, label: "CloudWatch Logs storage",
            }),
        ];
    });
}

/** Buckets: access logs of the load balancers, search snapshots, anything else at the usage's figure. */
function bucketLines(ctx: Context, searchGib: number): CostLine[] {
    const { resources, usage } = ctx;
    const balancers = resources.filter((r) => r.type === LOAD_BALANCER);
    const lifecycle = (bucket: RecordedResource) => referring(resources, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "bucket", [bucket])[0];
    return resources.filter((r) => r.type === "aws:s3/bucket:Bucket" || r.type === "aws:s3/bucketV2:BucketV2").flatMap((bucket) => {
        const loggingLbs = referring(balancers, LOAD_BALANCER, "accessLogs", [bucket]);
        const expiryDays = num(obj(list(lifecycle(bucket)?.inputs.rules).map(obj).find((rule) => obj(rule.expiration).days)?.expiration).days);
        let gb: number;
        let puts = 0;
        let kind: string;
        if (loggingLbs.length > 0) {
            const monthlyGb = (collectorRequestsPerMonth(usage) * PER_REQUEST_KB.lbAccessLog) / KB_PER_GB;
            gb = monthlyGb * ((expiryDays ?? 30) / 30);
            // Each load balancer node writes a file every 5 minutes: one node per zone.
            puts = loggingLbs.reduce((sum, lb) => sum + list(lb.inputs.subnets).length, 0) * 12 * HOURS_PER_MONTH;
            kind = `access logs of ${loggingLbs.length} load balancers, kept ${expiryDays ?? 30} days`;
        } else if (bucket.urn.includes("tracardi:search:")) {
            gb = searchGib * usage.snapshotShareOfSearchVolumes;
            kind = "search snapshots";
        } else {
            gb = usage.otherBucketGb;
            kind = "objects";
        }
        return [
            ...monthly(ctx, { component: "s3", what: `${bucket.name}: ${kind}`, quantity: gb, unit: "GB-months", item: "s3StandardGbMonth", resourceType: bucket.type, label: "S3 Standard" }),
            ...(puts > 0 ? monthly(ctx, {
                component: "s3", what: `${bucket.name}: log files written`, quantity: puts / 1000, unit: "thousand PUTs", item: "s3PutPerThousand", resourceType: bucket.type, label: "S3 PUT",
            }) : []),
        ];
    });
}

function transferLines(ctx: Context): CostLine[] {
    const { spec, usage } = ctx;
    const requests = collectorRequestsPerMonth(usage);
    const zones = spec.network.availabilityZones;
    const externalSearchKb = searchInVpc(spec) ? 0 : PER_REQUEST_KB.searchSent;
    const outGb = (requests * (PER_REQUEST_KB.response + externalSearchKb)) / KB_PER_GB;
    // Servers reach the data stores in any zone: (zones - 1) / zones of that traffic crosses zones;
    // a search cluster of more than one node also copies each write to a replica in another zone.
    const storeKb = (searchInVpc(spec) ? PER_REQUEST_KB.searchSent + PER_REQUEST_KB.searchReceived : 0) + PER_REQUEST_KB.redis;
    const replicaKb = searchInVpc(spec) && spec.elasticsearch.nodes > 1 ? PER_REQUEST_KB.searchSent : 0;
    const interAzGb = (requests * (storeKb * ((zones - 1) / zones) + replicaKb)) / KB_PER_GB;
    return [
        ...monthly(ctx, {
            component: "data transfer", what: `out to the Internet: collector answers${externalSearchKb ? " and writes to the external search" : ""}`,
            quantity: outGb, unit: "GB", item: "internetOutGb", resourceType: "(traffic)", label: "data transfer out",
        }),
        // Billed in each direction: a GB crossing zones is charged out of one and into the other.
        ...monthly(ctx, {
            component: "data transfer", what: "between zones: servers to data stores, search replicas (charged both ways)",
            quantity: 2 * interAzGb, unit: "GB", item: "interAzGb", resourceType: "(traffic)", label: "inter-zone transfer",
        }),
    ];
}

function eksLines(ctx: Context): CostLine[] {
    return ctx.resources.filter((r) => r.type === "aws:eks/cluster:Cluster").flatMap((cluster) => hourly(ctx, {
        component: "kubernetes", what: `EKS control plane ${cluster.inputs.name ?? cluster.name} (standard support)`, count: 1,
        item: "eksClusterHour", resourceType: cluster.type, label: "EKS cluster",
    }));
}

const PRICED_TYPES = new Set([NODE_GROUP, ASG, VOLUME, ELASTICSEARCH, LOAD_BALANCER, VPC_ENDPOINT, LOG_GROUP,
    "aws:eks/cluster:Cluster", "aws:ec2/natGateway:NatGateway", "aws:ec2/eip:Eip", "aws:elasticache/replicationGroup:ReplicationGroup",
    "aws:rds/instance:Instance", "aws:kms/key:Key", "aws:secretsmanager/secret:Secret", "aws:wafv2/webAcl:WebAcl",
    "aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"]);

function linesAt(resources: RecordedResource[], spec: StackSpec, pricer: Pricer, usage: Usage): CostLine[] {
    const ctx: Context = { resources, spec, pricer, usage };
    const volumes = dataVolumeLines(ctx);
    const lines = [
        ...serverLines(ctx), ...volumes.lines, ...eksLines(ctx), ...loadBalancerLines(ctx), ...natLines(ctx), ...redisLines(ctx),
        ...mysqlLines(ctx), ...securityLines(ctx), ...logGroupLines(ctx), ...bucketLines(ctx, volumes.searchGib), ...transferLines(ctx),
    ];
    return lines.sort((a, b) => COMPONENTS.indexOf(a.component) - COMPONENTS.indexOf(b.component));
}

const total = (lines: CostLine[]) => round2(lines.reduce((sum, l) => sum + l.monthlyUsd, 0));

/** Notes per type, merged: one entry per type and reason, counts added, in first-seen order. */
function merged(notes: TypeNote[]): TypeNote[] {
    const byKey = new Map<string, TypeNote>();
    for (const note of notes) {
        const key = `${note.type}\n${note.why}`;
        const seen = byKey.get(key);
        byKey.set(key, seen ? { ...seen, count: seen.count + note.count } : { ...note });
    }
    return [...byKey.values()];
}

function assumptions(spec: StackSpec, table: PriceTable, basisOf: (source: string) => string, sources: Set<string>): string[] {
    const u = USAGE;
    const recalled = [...sources].filter((s) => basisOf(s) === "recalled").sort();
    return [
        `A month is ${table.hoursPerMonth} hours (8760 / 12); always-on resources run the whole month; on-demand prices, no Savings Plans, reserved capacity or Free Tier; taxes excluded.`,
        `Collector traffic: ${u.low.collectorRps} / ${u.expected.collectorRps} / ${u.high.collectorRps} requests/s (low / expected / high), ` +
            `each ${PER_REQUEST_KB.request} KB in and ${PER_REQUEST_KB.response} KB out; half of them open a new connection.`,
        `Load balancer capacity: collector ALBs share the traffic; an ALB LCU is 25 new connections/s or 1 GB/h, whichever binds; ` +
            `ALBs only trusted networks use (GUI, GUI-facing API) average ${u.low.trustedLbLcu} / ${u.expected.trustedLbLcu} / ${u.high.trustedLbLcu} LCU.`,
        `Search traffic per collector request: ${PER_REQUEST_KB.searchSent} KB sent, ${PER_REQUEST_KB.searchReceived} KB received` +
            (searchInVpc(spec) ? "; inside the VPC, (zones - 1) / zones of it crosses zones, and each write is copied to a replica in another zone."
                : "; the search is external: it goes through the NAT gateways and out to the Internet (its provider's own bill is not here)."),
        `Redis traffic ${PER_REQUEST_KB.redis} KB per request; MySQL traffic (configuration, users) negligible.`,
        `NAT gateways also carry ${u.low.natBaseGb} / ${u.expected.natBaseGb} / ${u.high.natBaseGb} GB a month of images, updates and AWS API calls (S3 goes through the gateway endpoint, free).`,
        `Logs: WAF logs every request at ${PER_REQUEST_KB.wafLog} KB; VPC flow logs ${PER_REQUEST_KB.flowLog} KB per request; ` +
            `EKS control-plane logs ${u.low.eksLogGb} / ${u.expected.eksLogGb} / ${u.high.eksLogGb} GB a month; ` +
            `servers' logs on VM stacks ${PER_REQUEST_KB.serverLog} KB per request; any other log group ${u.low.otherLogGb} / ${u.expected.otherLogGb} / ${u.high.otherLogGb} GB a month; stored for each group's retention, uncompressed (an upper bound: CloudWatch bills archived data compressed).`,
        `S3: load balancer access logs at ${PER_REQUEST_KB.lbAccessLog} KB per request (gzipped), kept until their expiry; ` +
            `search snapshots hold ${u.low.snapshotShareOfSearchVolumes} / ${u.expected.snapshotShareOfSearchVolumes} / ${u.high.snapshotShareOfSearchVolumes} of the search volumes' size.`,
        "KMS keys rotate yearly: each key costs $1 a month the first year, $2 the second, $3 after. RDS logs exports and Enhanced Monitoring (log groups RDS creates) and backups within the database's size are not counted.",
        "GUI and GUI-facing API traffic is negligible next to the collector's; the first 100 GB a month out to the Internet (free, account-wide) is not deducted.",
        ...(recalled.length > 0 ? [`Figures recalled from AWS's pricing pages, not checked against the price list files: ${recalled.join(", ")} (see offline/review/prices.ts).`] : []),
    ];
}

export function costEstimate(resources: RecordedResource[], spec: StackSpec, region: string, table: PriceTable = PRICES): CostEstimate {
    const prices = table.regions[region];
    const free = merged(resources.flatMap((r) => {
        const why = freeReason(r);
        return why === undefined ? [] : [{ type: r.type, count: 1, why }];
    }));
    const handled = new Set([...PRICED_TYPES, ...free.map((f) => f.type)]);
    const unmodelled = merged(resources.filter((r) => !handled.has(r.type))
        .map((r) => ({ type: r.type, count: 1, why: "no price model for this type in offline/review/cost.ts" })));
    if (!prices) {
        // Said once per type, not guessed from another region.
        const why = `region ${region} is not in the price table (it has ${Object.keys(table.regions).join(", ")})`;
        const costly = resources.filter((r) => PRICED_TYPES.has(r.type) && freeReason(r) === undefined).map((r) => ({ type: r.type, count: 1, why }));
        return {
            region, priceDate: table.pricesAsOf, source: `offline/review/prices.ts, compiled ${table.compiled}: no figures for ${region}`,
            monthlyUsd: null, range: null, lines: [], unpriced: [...merged(costly), ...unmodelled], free, assumptions: [],
        };
    }
    const at = (usage: Usage) => {
        const pricer = new Pricer(region, prices);
        return { lines: linesAt(resources, spec, pricer, usage), pricer };
    };
    const expected = at(USAGE.expected);
    const basisOf = (source: string) => table.sources[source as keyof typeof table.sources]?.basis ?? "unknown";
    return {
        region,
        priceDate: table.pricesAsOf,
        source: `offline/review/prices.ts, compiled ${table.compiled}: ${[...expected.pricer.sources].sort().map((s) => `${s} (${basisOf(s)})`).join(", ") || "no figures used"}`,
        monthlyUsd: total(expected.lines),
        range: { low: total(at(USAGE.low).lines), high: total(at(USAGE.high).lines) },
        lines: expected.lines,
        unpriced: [...merged(expected.pricer.missing), ...unmodelled],
        free,
        assumptions: assumptions(spec, table, basisOf, expected.pricer.sources),
    };
}

/** $1,234.56: grouped by hand, the same on every machine, without Intl's cost. */
function usd(value: number): string {
    const [whole, cents] = value.toFixed(2).split(".");
    return `$${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",")}.${cents}`;
}
const unitUsd = (value: number) => `$${Number(value.toPrecision(6))}`;
const quantity = (value: number) => `${Math.round(value * 100) / 100}`;

/** The estimate as a short markdown section: totals per component, the lines, the range, assumptions and what is unpriced. */
export function renderCost(estimate: CostEstimate): string {
    const unpricedCount = estimate.unpriced.reduce((sum, u) => sum + u.count, 0);
    if (estimate.monthlyUsd === null || estimate.range === null) {
        return [`## Cost: not priced: ${estimate.region} is not in the price table`, "",
            `offline/review/prices.ts has no prices for ${estimate.region}; nothing is guessed. Unpriced:`,
            ...estimate.unpriced.map((u) => `- ${u.type} x ${u.count}: ${u.why}`)].join("\n");
    }
    const out: string[] = [
        `## Cost: ${usd(estimate.monthlyUsd)} a month (on demand, ${estimate.region})${unpricedCount > 0 ? ` + ${unpricedCount} resource(s) unpriced` : ""}`,
        "",
        `Expected usage; ${usd(estimate.range.low)} to ${usd(estimate.range.high)} from low to high usage. ` +
            `Prices as of ${estimate.priceDate} (${estimate.source}); a month is ${HOURS_PER_MONTH} hours.`,
        "",
        "| component | monthly |",
        "| --- | ---: |",
    ];
    for (const component of COMPONENTS) {
        const lines = estimate.lines.filter((l) => l.component === component);
        if (lines.length > 0) {
            out.push(`| ${component} | ${usd(total(lines))} |`);
        }
    }
    out.push(`| **total** | **${usd(estimate.monthlyUsd)}** |`, "", "| component | what | quantity | unit | unit price | monthly |", "| --- | --- | ---: | --- | ---: | ---: |");
    for (const l of estimate.lines) {
        out.push(`| ${l.component} | ${l.what} | ${quantity(l.quantity)} | ${l.unit} | ${unitUsd(l.unitUsd)} | ${usd(l.monthlyUsd)} |`);
    }
    out.push("", "Assumptions:", ...estimate.assumptions.map((a) => `- ${a}`));
    out.push("", estimate.unpriced.length === 0 ? "Unpriced: nothing." : "Unpriced (not in the total):");
    out.push(...estimate.unpriced.map((u) => `- ${u.type} x ${u.count}: ${u.why}`));
    out.push("", ...PRICES.notes.map((n) => `Price table: ${n}`));
    const freeCount = estimate.free.reduce((sum, f) => sum + f.count, 0);
    out.push("", `Free: ${freeCount} resources of ${new Set(estimate.free.map((f) => f.type)).size} types cost nothing of their own (security groups, routes, IAM, Kubernetes objects, settings...; see report.json).`);
    return out.join("\n");
}

/** The estimate in one line, for the console: total, range and what is left out. */
export function costSummary(estimate: CostEstimate): string {
    if (estimate.monthlyUsd === null || estimate.range === null) {
        return `not priced: no prices for ${estimate.region} in offline/review/prices.ts`;
    }
    const unpriced = estimate.unpriced.reduce((sum, u) => sum + u.count, 0);
    return `${usd(estimate.monthlyUsd)} a month on demand in ${estimate.region} (${usd(estimate.range.low)} to ${usd(estimate.range.high)} by usage)` +
        (unpriced > 0 ? `; ${unpriced} resource(s) unpriced` : "");
}
