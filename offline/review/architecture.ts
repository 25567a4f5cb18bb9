import type { StackPlan } from "../harness";
import type { RecordedResource } from "../mocks";
import { IPV4_ANYWHERE, IPV6_ANYWHERE, PATH_CLASS_INFO, PATH_CLASSES } from "../../lib/exposure";
import { externalSearchConnection } from "../../lib/search";
import { TIER_TAG } from "../../lib/tags";
import { planTiers } from "../../lib/tiers";

/**
 * The architecture picture of a stack, drawn from the resources the program registered: a small
 * graph model (boxes, the groups that hold them, arrows for who reaches what) built by a pure
 * function, its DOT text, and the SVG Graphviz (compiled to WebAssembly, in-process) makes of it.
 * IAM, rules, policies and per-resource plumbing are read, never drawn: they fold into their owners.
 */

export type BoxKind = "internet" | "trusted" | "control-plane" | "load-balancers" | "nat" | "servers" | "search" | "redis" | "mysql";

export interface ArchBox {
    id: string;
    kind: BoxKind;
    /** Lines of text, the first one the box's name. */
    label: string[];
    /** The group drawn around it; none: outside the VPC. */
    group?: string;
    /** Servers and load balancers: the tier they belong to (the `tracardi:tier` tag or node label). */
    tier?: string;
    /** Servers: the zone they run in and how many. */
    zone?: string;
    count?: number;
}

/** A frame around boxes: the VPC, its public/application/data subnets, a tier's servers. */
export interface ArchGroup {
    id: string;
    label: string[];
    parent?: string;
}

/** Who reaches what: from and to are box or group ids; the label says the ports and who may use it. */
export interface ArchArrow {
    from: string;
    to: string;
    label: string[];
}

export interface ArchitectureGraph {
    title: string;
    /** Availability zones the VPC's subnets are in, sorted. */
    zones: string[];
    groups: ArchGroup[];
    boxes: ArchBox[];
    arrows: ArchArrow[];
}

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const SUBNET_TIER_TAG = "tracardi:subnet-tier";
const SUBNET_GROUPS: Record<string, string> = { public: "public subnets", app: "application subnets", data: "data subnets" };
const NODE_TIER_LABEL = "tracardi.io/tier";
const SEARCH_TIER = "search";
const ECK_CLUSTER_LABEL = "elasticsearch.k8s.elastic.co/cluster-name";
const T = {
    vpc: "aws:ec2/vpc:Vpc", subnet: "aws:ec2/subnet:Subnet", nat: "aws:ec2/natGateway:NatGateway",
    nodeGroup: "aws:eks/nodeGroup:NodeGroup", asg: "aws:autoscaling/group:Group", launchTemplate: "aws:ec2/launchTemplate:LaunchTemplate",
    lb: "aws:lb/loadBalancer:LoadBalancer", listener: "aws:lb/listener:Listener", listenerRule: "aws:lb/listenerRule:ListenerRule",
    targetGroup: "aws:lb/targetGroup:TargetGroup", attachment: "aws:autoscaling/attachment:Attachment",
    record: "aws:route53/record:Record", wafAssociation: "aws:wafv2/webAclAssociation:WebAclAssociation",
    sgIngress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", sgRule: "aws:ec2/securityGroupRule:SecurityGroupRule",
    securityGroup: "aws:ec2/securityGroup:SecurityGroup", volume: "aws:ebs/volume:Volume",
    redis: "aws:elasticache/replicationGroup:ReplicationGroup", mysql: "aws:rds/instance:Instance",
    eks: "aws:eks/cluster:Cluster", elasticsearch: "kubernetes:elasticsearch.k8s.elastic.co/v1:Elasticsearch",
    networkPolicy: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
};

/** The recorded resources with the look-ups the picture needs. */
class Resources {
    private readonly byUrn: Map<string, RecordedResource>;

    constructor(readonly all: RecordedResource[]) {
        this.byUrn = new Map(all.map((r) => [r.urn, r]));
    }

    of(type: string): RecordedResource[] {
        return this.all.filter((r) => r.type === type);
    }

    /** The resources whose outputs an input property was built from. */
    deps(resource: RecordedResource, property: string): RecordedResource[] {
        return (resource.propertyDependencies[property] ?? []).flatMap((urn) => this.byUrn.get(urn) ?? []);
    }

    /** Resources of a type with an input property built from one of `targets`. */
    referring(type: string, property: string, targets: RecordedResource[]): RecordedResource[] {
        const urns = new Set(targets.map((t) => t.urn));
        return this.of(type).filter((r) => (r.propertyDependencies[property] ?? []).some((urn) => urns.has(urn)));
    }
}

const unique = <V>(values: V[]): V[] => [...new Set(values)];
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

interface Subnet { tier: string; zone: string; cidr: string }

function subnetsById(res: Resources): Map<string, Subnet> {
    return new Map(res.of(T.subnet).map((s) => {
        const inputs = s.inputs as Obj;
        return [s.id, { tier: inputs.tags?.[SUBNET_TIER_TAG] ?? "app", zone: String(inputs.availabilityZone), cidr: String(inputs.cidrBlock) }];
    }));
}

/** A group of servers as created: an EKS node group or an Auto Scaling group. */
interface ServerGroup {
    tier: string;
    kind: "EKS node group" | "Auto Scaling group";
    instanceType: string;
    desired: number;
    subnetIds: string[];
    securityGroupIds: string[];
    resource: RecordedResource;
}

function serverGroups(res: Resources): ServerGroup[] {
    const templates = new Map(res.of(T.launchTemplate).map((t) => [t.id, t.inputs as Obj]));
    const templateGroups = (template: Obj | undefined): string[] => [
        ...(template?.vpcSecurityGroupIds ?? []), ...((template?.networkInterfaces ?? []) as Obj[]).flatMap((n) => n.securityGroups ?? []),
    ];
    const nodeGroups = res.of(T.nodeGroup).map((r): ServerGroup => {
        const inputs = r.inputs as Obj;
        const template = templates.get(inputs.launchTemplate?.id);
        return {
            tier: inputs.labels?.[NODE_TIER_LABEL] ?? r.name, kind: "EKS node group", resource: r,
            instanceType: (inputs.instanceTypes ?? [template?.instanceType]).join(","), desired: inputs.scalingConfig.desiredSize,
            subnetIds: inputs.subnetIds, securityGroupIds: templateGroups(template),
        };
    });
    const autoScaling = res.of(T.asg).map((r): ServerGroup => {
        const inputs = r.inputs as Obj;
        const template = templates.get(inputs.launchTemplate?.id);
        return {
            tier: ((inputs.tags ?? []) as Obj[]).find((t) => t.key === TIER_TAG)?.value ?? r.name, kind: "Auto Scaling group", resource: r,
            instanceType: template?.instanceType ?? "-", desired: inputs.desiredCapacity, subnetIds: inputs.vpcZoneIdentifiers ?? [],
            securityGroupIds: templateGroups(template),
        };
    });
    return [...nodeGroups, ...autoScaling];
}

/**
 * Servers per zone of one group: Auto Scaling (and so an EKS node group) balances a group evenly
 * over its subnets' zones (EC2 Auto Scaling User Guide, "Rebalancing activities"); the odd ones are
 * put in the first zones here, where AWS picks them.
 */
export function spreadOverZones(desired: number, zones: string[]): Map<string, number> {
    const spread = new Map<string, number>();
    zones.forEach((zone, i) => spread.set(zone, Math.floor(desired / zones.length) + (i < desired % zones.length ? 1 : 0)));
    return spread;
}

/** Normalised ingress: a security group admitting ports from another group or from networks. */
interface Ingress { target: string; sourceGroup?: string; cidrs: string[]; fromPort: number; toPort: number }

function ingressRules(res: Resources): Ingress[] {
    const rules: Ingress[] = res.of(T.sgIngress).map((r) => {
        const i = r.inputs as Obj;
        return { target: i.securityGroupId, sourceGroup: i.referencedSecurityGroupId ?? undefined,
            cidrs: [i.cidrIpv4, i.cidrIpv6].filter((c): c is string => !!c), fromPort: i.fromPort, toPort: i.toPort };
    });
    for (const r of res.of(T.sgRule).filter((rule) => (rule.inputs as Obj).type === "ingress")) {
        const i = r.inputs as Obj;
        rules.push({ target: i.securityGroupId, sourceGroup: i.sourceSecurityGroupId ?? undefined,
            cidrs: [...(i.cidrBlocks ?? []), ...(i.ipv6CidrBlocks ?? [])], fromPort: i.fromPort, toPort: i.toPort });
    }
    for (const group of res.of(T.securityGroup)) {
        for (const i of ((group.inputs as Obj).ingress ?? []) as Obj[]) {
            const base = { target: group.id, cidrs: [...(i.cidrBlocks ?? []), ...(i.ipv6CidrBlocks ?? [])], fromPort: i.fromPort, toPort: i.toPort };
            rules.push(...((i.securityGroups ?? []) as string[]).map((sourceGroup) => ({ ...base, cidrs: [], sourceGroup })));
            if (base.cidrs.length > 0) {
                rules.push(base);
            }
        }
    }
    return rules;
}

const portText = (from: number, to: number) => (from === to ? String(from) : `${from}-${to}`);
const isAnywhere = (cidr: string) => cidr === IPV4_ANYWHERE || cidr === IPV6_ANYWHERE;

/** The path classes a set of ALB path patterns is made of, e.g. "collector paths only". */
function pathsText(patterns: string[]): string[] {
    const classes = PATH_CLASSES.filter((c) => PATH_CLASS_INFO[c].patterns.some((p) => patterns.includes(p)));
    const named = classes.length > 0 && patterns.every((p) => classes.some((c) => PATH_CLASS_INFO[c].patterns.includes(p)));
    return [named ? `${classes.join(" and ")} paths only:` : "only the paths", ...patterns];
}

/** Builds the picture's model; pure, and the same resources give the same model. */
export function architectureGraph(plan: StackPlan): ArchitectureGraph {
    const res = new Resources(plan.resources);
    const { spec } = plan;
    const subnets = subnetsById(res);
    const zones = unique([...subnets.values()].map((s) => s.zone)).sort();
    const groups: ArchGroup[] = [];
    const boxes: ArchBox[] = [];
    const arrows: ArchArrow[] = [];
    const zonesOf = (subnetIds: string[]) => unique(subnetIds.flatMap((id) => subnets.get(id)?.zone ?? []));
    const placeIn = (subnetIds: string[]) => {
        const tier = subnets.get(subnetIds[0])?.tier;
        return tier ? `subnets-${tier}` : "vpc";
    };

    // Outside the VPC: who comes in.
    boxes.push({ id: "internet", kind: "internet", label: ["Internet"] });
    boxes.push({ id: "trusted", kind: "trusted", label: ["trusted networks", ...spec.trustedCidrs] });

    const vpc = res.of(T.vpc)[0];
    groups.push({ id: "vpc", label: [`VPC ${(vpc?.inputs as Obj | undefined)?.cidrBlock ?? ""}`.trim(), plural(zones.length, "zone") + `: ${zones.join(", ")}`] });
    for (const [tier, name] of Object.entries(SUBNET_GROUPS)) {
        const cidrs = [...subnets.values()].filter((s) => s.tier === tier).sort((a, b) => a.zone.localeCompare(b.zone));
        if (cidrs.length > 0) {
            groups.push({ id: `subnets-${tier}`, parent: "vpc", label: [name, ...cidrs.map((s) => `${s.zone} ${s.cidr}`)] });
        }
    }

    const nats = res.of(T.nat);
    if (nats.length > 0) {
        const natZones = zonesOf(nats.map((n) => (n.inputs as Obj).subnetId)).sort();
        boxes.push({ id: "nat", kind: "nat", group: placeIn([(nats[0].inputs as Obj).subnetId]), label: [
            nats.length === 1 ? "NAT gateway" : `${nats.length} NAT gateways`,
            natZones.length === zones.length && zones.length > 1 ? "one per zone" : `in ${natZones.join(", ")} only`,
        ] });
    }

    // Servers: per tier a group, in it a box per zone with the servers the tier has there.
    const tierOrder = [...planTiers(spec).map((t) => t.name as string)];
    const servers = serverGroups(res);
    const serverTiers = unique(servers.map((s) => s.tier)).sort((a, b) => rank(tierOrder, a) - rank(tierOrder, b) || a.localeCompare(b));
    const elasticsearch = res.of(T.elasticsearch)[0]?.inputs as Obj | undefined;
    for (const tier of serverTiers) {
        const members = servers.filter((s) => s.tier === tier);
        const total = members.reduce((n, s) => n + s.desired, 0);
        const perZone = new Map<string, number>();
        for (const member of members) {
            for (const [zone, n] of spreadOverZones(member.desired, zonesOf(member.subnetIds))) {
                perZone.set(zone, (perZone.get(zone) ?? 0) + n);
            }
        }
        const types = unique(members.map((m) => m.instanceType)).join(", ");
        const kinds = members.length === 1 ? members[0].kind : `${members.length} ${members[0].kind}s`;
        const isSearch = tier === SEARCH_TIER;
        const label = isSearch ? searchLabel(spec.elasticsearch.version, elasticsearch, res, total, types, kinds)
            : [`${tier} servers`, `${kinds}: ${total} x ${types}`];
        groups.push({ id: `servers-${tier}`, parent: placeIn(members[0].subnetIds), label });
        for (const zone of [...perZone.keys()].sort()) {
            const count = perZone.get(zone)!;
            if (count > 0) {
                boxes.push({ id: `servers-${tier}-${zone}`, kind: isSearch ? "search" : "servers", group: `servers-${tier}`, tier, zone, count,
                    label: [zone, plural(count, isSearch ? "node" : "server")] });
            }
        }
    }

    // Load balancers, per tier, with the host names pointing at them.
    const loadBalancers = res.of(T.lb);
    const lbTiers = unique(loadBalancers.map((lb) => lbTier(lb))).sort((a, b) => rank(tierOrder, a) - rank(tierOrder, b) || a.localeCompare(b));
    const rules = ingressRules(res);
    for (const tier of lbTiers) {
        const lbs = loadBalancers.filter((lb) => lbTier(lb) === tier);
        const first = lbs[0].inputs as Obj;
        const hosts = unique(res.referring(T.record, "aliases", lbs).map((r) => String((r.inputs as Obj).name))).sort();
        const waf = res.referring(T.wafAssociation, "resourceArn", lbs).length > 0;
        const type = first.loadBalancerType === "network" ? "NLB" : "ALB";
        const id = `lb-${tier}`;
        boxes.push({ id, kind: "load-balancers", tier, group: tier === SEARCH_TIER && groups.some((g) => g.id === `servers-${tier}`) ? `servers-${tier}` : placeIn(first.subnets ?? []),
            label: [`${tier} load balancers`, `${lbs.length} x ${type}, ${first.internal ? "internal" : "Internet-facing"}${waf ? ", WAF" : ""}`, ...hosts] });
        arrows.push(...edgeArrows(res, lbs, id, rules, spec.trustedCidrs));
        // Listener -> target group -> the server groups attached to it.
        const listeners = res.referring(T.listener, "loadBalancerArn", lbs);
        const targetGroups = unique([...listeners.flatMap((l) => res.deps(l, "defaultActions")),
            ...res.referring(T.listenerRule, "listenerArn", listeners).flatMap((r) => res.deps(r, "actions"))]).filter((r) => r.type === T.targetGroup);
        const targets = new Map<string, string[]>();
        for (const attachment of res.referring(T.attachment, "lbTargetGroupArn", targetGroups)) {
            const attached = res.deps(attachment, "autoscalingGroupName");
            const tg = res.deps(attachment, "lbTargetGroupArn")[0].inputs as Obj;
            const port = tg.healthCheck?.port && String(tg.healthCheck.port) !== String(tg.port) ? `${tg.port} (health checks ${tg.healthCheck.port})` : String(tg.port);
            for (const server of servers.filter((s) => attached.includes(s.resource))) {
                targets.set(server.tier, unique([...(targets.get(server.tier) ?? []), port]));
            }
        }
        for (const [serverTier, ports] of [...targets].sort(([a], [b]) => a.localeCompare(b))) {
            arrows.push({ from: id, to: `servers-${serverTier}`, label: [`port ${ports.join(", ")}`] });
        }
    }

    // Data services, in the subnets their subnet groups name.
    const redis = res.of(T.redis)[0];
    if (redis) {
        const i = redis.inputs as Obj;
        boxes.push({ id: "redis", kind: "redis", group: placeIn((res.deps(redis, "subnetGroupName")[0]?.inputs as Obj | undefined)?.subnetIds ?? []), label: [
            `Redis ${i.engineVersion} (ElastiCache)`, `${i.numCacheClusters} x ${i.nodeType}`,
            `primary + ${plural(i.numCacheClusters - 1, "replica")}`,
            `${i.automaticFailoverEnabled ? "automatic failover" : "no automatic failover"}${i.multiAzEnabled ? ", Multi-AZ" : ""}`,
        ] });
    }
    const mysql = res.of(T.mysql)[0];
    if (mysql) {
        const i = mysql.inputs as Obj;
        boxes.push({ id: "mysql", kind: "mysql", group: placeIn((res.deps(mysql, "dbSubnetGroupName")[0]?.inputs as Obj | undefined)?.subnetIds ?? []), label: [
            `MySQL ${i.engineVersion} (RDS)`, `${i.instanceClass}, ${i.allocatedStorage} GiB`, i.multiAz ? "Multi-AZ: standby in another zone" : "single zone",
        ] });
    }

    // Who reaches the data services and search: security group rules between the servers' groups.
    const endpointOfGroup = new Map<string, string>();
    for (const server of servers) {
        for (const sg of server.securityGroupIds) {
            if (server.tier === SEARCH_TIER) {
                endpointOfGroup.set(sg, `servers-${SEARCH_TIER}`);
            }
        }
    }
    for (const lb of loadBalancers.filter((l) => lbTier(l) === SEARCH_TIER)) {
        for (const sg of ((lb.inputs as Obj).securityGroups ?? []) as string[]) {
            endpointOfGroup.set(sg, `servers-${SEARCH_TIER}`);
        }
    }
    if (redis) {
        ((redis.inputs as Obj).securityGroupIds ?? []).forEach((sg: string) => endpointOfGroup.set(sg, "redis"));
    }
    if (mysql) {
        ((mysql.inputs as Obj).vpcSecurityGroupIds ?? []).forEach((sg: string) => endpointOfGroup.set(sg, "mysql"));
    }
    const reach = new Map<string, Set<string>>();
    const add = (from: string, to: string, port: string) => {
        const key = `${from}\u0000${to}`;
        reach.set(key, (reach.get(key) ?? new Set()).add(port));
    };
    for (const rule of rules) {
        const to = endpointOfGroup.get(rule.target);
        if (!to || !rule.sourceGroup) {
            continue;
        }
        for (const server of servers.filter((s) => s.tier !== SEARCH_TIER && s.securityGroupIds.includes(rule.sourceGroup!))) {
            add(`servers-${server.tier}`, to, portText(rule.fromPort, rule.toPort));
        }
    }
    // ECK: the network policy in front of the search pods says which tiers' pods reach it.
    for (const policy of res.of(T.networkPolicy)) {
        const spec = (policy.inputs as Obj).spec;
        if (!spec?.podSelector?.matchLabels?.[ECK_CLUSTER_LABEL]) {
            continue;
        }
        for (const ingress of (spec.ingress ?? []) as Obj[]) {
            const components = ((ingress.from ?? []) as Obj[]).flatMap((peer) => [
                peer.podSelector?.matchLabels?.["app.kubernetes.io/component"],
                ...((peer.podSelector?.matchExpressions ?? []) as Obj[]).filter((e) => e.key === "app.kubernetes.io/component" && e.operator === "In").flatMap((e) => e.values),
            ]).filter((c): c is string => typeof c === "string");
            for (const tier of serverTiers.filter((t) => t !== SEARCH_TIER && components.includes(t))) {
                for (const port of (ingress.ports ?? []) as Obj[]) {
                    add(`servers-${tier}`, `servers-${SEARCH_TIER}`, String(port.port));
                }
            }
        }
    }
    // External search: outside the VPC, reached through the NAT gateways by every API tier.
    if (spec.elasticsearch.provider === "external") {
        const connection = externalSearchConnection(spec.elasticsearch, false);
        const endpoints = connection.hosts.split(",");
        boxes.push({ id: "search-external", kind: "search", label: [
            `Elasticsearch ${spec.elasticsearch.version} (external)`,
            ...(spec.elasticsearch.cloudId ? [`Elastic Cloud ${spec.elasticsearch.cloudId.split(":")[0]}`] : endpoints),
        ] });
        const ports = unique(endpoints.map((e) => e.slice(e.lastIndexOf(":") + 1)));
        for (const tier of planTiers(spec).filter((t) => t.kind === "api" && serverTiers.includes(t.name))) {
            arrows.push({ from: `servers-${tier.name}`, to: "search-external", label: [`port ${ports.join(", ")} (HTTPS)`, "out through NAT"] });
        }
    }
    for (const [key, ports] of [...reach].sort(([a], [b]) => a.localeCompare(b))) {
        const [from, to] = key.split("\u0000");
        arrows.push({ from, to, label: [`port ${[...ports].sort().join(", ")}`] });
    }

    // The EKS control plane: AWS runs it outside the VPC; its public endpoint admits listed networks.
    const eks = res.of(T.eks)[0];
    if (eks) {
        const i = eks.inputs as Obj;
        const publicCidrs: string[] = i.vpcConfig?.endpointPublicAccess ? (i.vpcConfig.publicAccessCidrs ?? [IPV4_ANYWHERE]) : [];
        boxes.push({ id: "control-plane", kind: "control-plane", label: [
            "EKS control plane", `Kubernetes ${i.version}`, `API endpoint: private${publicCidrs.length ? ` and public to ${plural(publicCidrs.length, "network")}` : " only"}`,
        ] });
        if (publicCidrs.length > 0) {
            const trustedOnly = publicCidrs.every((c) => spec.trustedCidrs.includes(c));
            arrows.push({ from: trustedOnly ? "trusted" : "internet", to: "control-plane",
                label: ["port 443 (Kubernetes API)", trustedOnly ? `trusted networks only: ${publicCidrs.join(", ")}` : publicCidrs.join(", ")] });
        }
    }

    const title = `Stack ${plan.stack}: Tracardi ${spec.version}, ${spec.profile} profile, ${spec.compute} compute, ${plural(zones.length, "availability zone")}`;
    return { title, zones, groups, boxes, arrows };
}

function rank(order: string[], tier: string): number {
    const at = order.indexOf(tier);
    return at < 0 ? order.length : at;
}

function lbTier(lb: RecordedResource): string {
    return (lb.inputs as Obj).tags?.[TIER_TAG] ?? lb.name;
}

function searchLabel(version: string, eck: Obj | undefined, res: Resources, total: number, types: string, kinds: string): string[] {
    if (eck) {
        const nodeSet = eck.spec.nodeSets[0];
        return [`Elasticsearch ${eck.spec.version} (ECK)`, `${plural(nodeSet.count, "node")} on ${kinds}: ${total} x ${types}`,
            `${nodeSet.volumeClaimTemplates[0].spec.resources.requests.storage} volume per node`];
    }
    const sizes = unique(res.of(T.volume).map((v) => `${(v.inputs as Obj).size} GiB`));
    return [`Elasticsearch ${version} (EC2)`, `${kinds}: ${total} x ${types}`, ...(sizes.length ? [`${sizes.join(", ")} volume per node`] : [])];
}

/**
 * Arrows into a tier's load balancers: its security group says which networks get in at all,
 * its HTTPS listener rules which paths each of them may use.
 */
function edgeArrows(res: Resources, lbs: RecordedResource[], id: string, rules: Ingress[], trustedCidrs: string[]): ArchArrow[] {
    const groups = new Set(lbs.flatMap((lb) => ((lb.inputs as Obj).securityGroups ?? []) as string[]));
    const admitted = rules.filter((r) => groups.has(r.target)).flatMap((r) => r.cidrs);
    const internal = (lbs[0].inputs as Obj).internal === true;
    const listeners = res.referring(T.listener, "loadBalancerArn", lbs);
    const ports = unique(listeners.map((l) => {
        const i = l.inputs as Obj;
        const redirect = ((i.defaultActions ?? []) as Obj[]).find((a) => a.type === "redirect")?.redirect;
        return redirect ? `${i.port} redirects to ${redirect.port}` : `${i.protocol} ${i.port}`;
    })).sort().reverse().join(", ");
    const listenerRules = res.referring(T.listenerRule, "listenerArn", listeners).map((r) => r.inputs as Obj);
    const condition = (rule: Obj, key: string): string[] => ((rule.conditions ?? []) as Obj[]).flatMap((c) => c[key]?.values ?? []);
    // A listener that forwards by default serves every path to whoever gets in.
    const forwardsAll = listeners.some((l) => ((l.inputs as Obj).defaultActions ?? []).some((a: Obj) => a.type === "forward"));
    const open = listenerRules.filter((r) => condition(r, "sourceIp").length === 0);
    const openPaths = unique(open.flatMap((r) => condition(r, "pathPattern")));
    const openToAll = forwardsAll || open.some((r) => condition(r, "pathPattern").length === 0);
    const arrows: ArchArrow[] = [];
    const via = internal ? ["internal: through the VPC only"] : [];
    if (!internal && admitted.some(isAnywhere) && (open.length > 0 || forwardsAll)) {
        arrows.push({ from: "internet", to: id, label: [ports, ...(openToAll ? ["all paths"] : pathsText(openPaths))] });
    }
    const trustedRules = listenerRules.filter((r) => condition(r, "sourceIp").some((c) => trustedCidrs.includes(c)));
    const trustedAdmitted = admitted.some(isAnywhere) || admitted.some((c) => trustedCidrs.includes(c));
    if (trustedAdmitted && trustedRules.length > 0) {
        const paths = unique(trustedRules.flatMap((r) => condition(r, "pathPattern")));
        const allPaths = trustedRules.some((r) => condition(r, "pathPattern").length === 0);
        arrows.push({ from: "trusted", to: id, label: [ports, allPaths ? "all paths" : `paths ${paths.join(", ")}`, "trusted networks only", ...via] });
    }
    return arrows;
}

const COLORS: Record<BoxKind, string> = {
    internet: "#fde2e2", trusted: "#e2f0d9", "control-plane": "#e8e0f4", "load-balancers": "#dbe9f7", nat: "#eeeeee",
    servers: "#fff2cc", search: "#fce4d6", redis: "#fce4d6", mysql: "#fce4d6",
};

/** A DOT double-quoted string: backslashes and quotes escaped, lines joined by centred breaks. */
function quote(lines: string[] | string): string {
    const text = (Array.isArray(lines) ? lines : [lines]).map((l) => l.replace(/\\/g, "\\\\").replace(/"/g, "\\\"")).join("\\n");
    return `"${text}"`;
}

/**
 * DOT text of the model: groups as clusters, in the model's order, so the same model gives the same
 * text. Left to right, dot stacks a rank's boxes bottom up in the order given: siblings are written
 * last first, so the picture reads top down in the model's order (zone a above zone b).
 */
export function architectureDot(graph: ArchitectureGraph): string {
    const lines = [
        "digraph architecture {",
        `  graph [label=${quote(graph.title)}, labelloc=t, fontname="Helvetica", fontsize=14, compound=true, rankdir=LR, nodesep=0.25, ranksep=0.9];`,
        "  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", fontsize=10, color=\"#555555\"];",
        "  edge [fontname=\"Helvetica\", fontsize=9, color=\"#444444\"];",
    ];
    const box = (b: ArchBox, indent: string) => `${indent}${quote(b.id)} [label=${quote(b.label)}, fillcolor="${COLORS[b.kind]}"];`;
    const boxesIn = (group?: string) => graph.boxes.filter((b) => b.group === group).reverse();
    const cluster = (group: ArchGroup, indent: string): string[] => {
        const zoneBoxes = boxesIn(group.id).filter((b) => b.zone);
        return [
            `${indent}subgraph ${quote(`cluster_${group.id}`)} {`,
            `${indent}  label=${quote(group.label)}; style="rounded"; color="#888888"; fontname="Helvetica"; fontsize=11;`,
            ...boxesIn(group.id).map((b) => box(b, `${indent}  `)),
            // A tier's servers line up, one box per zone.
            ...(zoneBoxes.length > 1 ? [`${indent}  { rank=same; ${zoneBoxes.map((b) => quote(b.id)).join("; ")}; }`] : []),
            ...graph.groups.filter((g) => g.parent === group.id).reverse().flatMap((g) => cluster(g, `${indent}  `)),
            `${indent}}`,
        ];
    };
    lines.push(...boxesIn(undefined).map((b) => box(b, "  ")));
    lines.push(...graph.groups.filter((g) => !g.parent).reverse().flatMap((g) => cluster(g, "  ")));
    // An arrow to or from a group is drawn to its frame, from one of its boxes.
    const anchor = (id: string): { node: string; cluster?: string } => {
        if (graph.boxes.some((b) => b.id === id)) {
            return { node: id };
        }
        const inside = (groupId: string): boolean => groupId === id || graph.groups.some((g) => g.id === groupId && g.parent !== undefined && inside(g.parent));
        const first = graph.boxes.find((b) => b.group !== undefined && inside(b.group));
        if (!first) {
            throw new Error(`arrow end ${id} is neither a box nor a group with boxes`);
        }
        return { node: first.id, cluster: `cluster_${id}` };
    };
    for (const arrow of graph.arrows) {
        const from = anchor(arrow.from);
        const to = anchor(arrow.to);
        const attrs = [`label=${quote(arrow.label)}`, ...(from.cluster ? [`ltail=${quote(from.cluster)}`] : []), ...(to.cluster ? [`lhead=${quote(to.cluster)}`] : [])];
        lines.push(`  ${quote(from.node)} -> ${quote(to.node)} [${attrs.join(", ")}];`);
    }
    lines.push("}");
    return `${lines.join("\n")}\n`;
}

type GraphvizModule = typeof import("@hpcc-js/wasm-graphviz");
let graphviz: ReturnType<GraphvizModule["Graphviz"]["load"]> | undefined;

/** Graphviz in WebAssembly, loaded on first use and kept: the module and its WASM load once per process. */
export function loadGraphviz(): ReturnType<GraphvizModule["Graphviz"]["load"]> {
    graphviz ??= import("@hpcc-js/wasm-graphviz").then((m) => m.Graphviz.load());
    return graphviz;
}

/** The stack's architecture picture as SVG, laid out by dot in-process. */
export async function architectureSvg(plan: StackPlan): Promise<string> {
    return (await loadGraphviz()).layout(architectureDot(architectureGraph(plan)), "svg", "dot");
}
