import { Worker } from "worker_threads";
import type { StackPlan } from "../harness";
import type { RecordedResource } from "../mocks";
import { ofType, referring } from "../query";
import { ServerGroup, serverGroups } from "./servers";
import { ES_CLUSTER_LABEL, SEARCH_TIER } from "../../lib/elasticsearch";
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
const COMPONENT_LABEL = "app.kubernetes.io/component";
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
        return ofType(this.all, type);
    }

    /** The resources whose outputs an input property was built from. */
    deps(resource: RecordedResource, property: string): RecordedResource[] {
        return (resource.propertyDependencies[property] ?? []).flatMap((urn) => this.byUrn.get(urn) ?? []);
    }

    referring(type: string, property: string, targets: RecordedResource[]): RecordedResource[] {
        return referring(this.all, type, property, targets);
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

const KIND_LABELS: Record<ServerGroup["kind"], string> = { "node group": "EKS node group", "auto scaling group": "Auto Scaling group" };

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
    const drawing = new Drawing(plan);
    drawing.network();
    drawing.servers();
    drawing.loadBalancers();
    drawing.dataServices();
    drawing.reachOfData();
    drawing.externalSearch();
    drawing.controlPlane();
    return drawing.graph();
}

/** The model as it is drawn, part by part, from one stack's resources. */
class Drawing {
    private readonly res: Resources;
    private readonly subnets: Map<string, Subnet>;
    private readonly zones: string[];
    private readonly serverGroups: ServerGroup[];
    /** Tiers in the order the spec names them, then the others (system, workers, search) by name. */
    private readonly tierOrder: (a: string, b: string) => number;
    private readonly rules: Ingress[];
    private readonly groups: ArchGroup[] = [];
    private readonly boxes: ArchBox[] = [];
    private readonly arrows: ArchArrow[] = [];

    constructor(private readonly plan: StackPlan) {
        this.res = new Resources(plan.resources);
        this.subnets = subnetsById(this.res);
        this.zones = unique([...this.subnets.values()].map((s) => s.zone)).sort();
        this.serverGroups = serverGroups(this.res.all);
        this.rules = ingressRules(this.res);
        const named: string[] = planTiers(plan.spec).map((t) => t.name);
        const rank = (tier: string) => (named.includes(tier) ? named.indexOf(tier) : named.length);
        this.tierOrder = (a, b) => rank(a) - rank(b) || a.localeCompare(b);
    }

    graph(): ArchitectureGraph {
        const { spec, stack } = this.plan;
        const title = `Stack ${stack}: Tracardi ${spec.version}, ${spec.profile} profile, ${spec.compute} compute, ${plural(this.zones.length, "availability zone")}`;
        return { title, zones: this.zones, groups: this.groups, boxes: this.boxes, arrows: this.arrows };
    }

    private zonesOf(subnetIds: string[]): string[] {
        return unique(subnetIds.flatMap((id) => this.subnets.get(id)?.zone ?? []));
    }

    /** The group of the subnets a resource sits in (public, application or data). */
    private placeIn(subnetIds: string[]): string {
        const tier = this.subnets.get(subnetIds[0])?.tier;
        return tier ? `subnets-${tier}` : "vpc";
    }

    private serverTiers(): string[] {
        return unique(this.serverGroups.map((s) => s.tier)).sort(this.tierOrder);
    }

    /** Who comes in, the VPC, its subnets per zone and the NAT gateways. */
    network(): void {
        this.boxes.push({ id: "internet", kind: "internet", label: ["Internet"] });
        this.boxes.push({ id: "trusted", kind: "trusted", label: ["trusted networks", ...this.plan.spec.trustedCidrs] });
        const vpc = this.res.of(T.vpc)[0]?.inputs as Obj | undefined;
        this.groups.push({ id: "vpc", label: [`VPC ${vpc?.cidrBlock ?? ""}`.trim(), `${plural(this.zones.length, "zone")}: ${this.zones.join(", ")}`] });
        for (const [tier, name] of Object.entries(SUBNET_GROUPS)) {
            const inTier = [...this.subnets.values()].filter((s) => s.tier === tier).sort((a, b) => a.zone.localeCompare(b.zone));
            if (inTier.length > 0) {
                this.groups.push({ id: `subnets-${tier}`, parent: "vpc", label: [name, ...inTier.map((s) => `${s.zone} ${s.cidr}`)] });
            }
        }
        const nats = this.res.of(T.nat).map((n) => String((n.inputs as Obj).subnetId));
        if (nats.length > 0) {
            const natZones = this.zonesOf(nats).sort();
            this.boxes.push({ id: "nat", kind: "nat", group: this.placeIn(nats), label: [
                nats.length === 1 ? "NAT gateway" : `${nats.length} NAT gateways`,
                natZones.length === this.zones.length && this.zones.length > 1 ? "one per zone" : `in ${natZones.join(", ")} only`,
            ] });
        }
    }

    /** Per tier a group, in it a box per zone with the servers the tier has there. */
    servers(): void {
        const eck = this.res.of(T.elasticsearch)[0]?.inputs as Obj | undefined;
        for (const tier of this.serverTiers()) {
            const members = this.serverGroups.filter((s) => s.tier === tier);
            const total = members.reduce((n, s) => n + s.servers, 0);
            const perZone = new Map<string, number>();
            for (const member of members) {
                for (const [zone, n] of spreadOverZones(member.servers, this.zonesOf(member.subnetIds))) {
                    perZone.set(zone, (perZone.get(zone) ?? 0) + n);
                }
            }
            const kind = KIND_LABELS[members[0].kind];
            const servers = `${members.length === 1 ? kind : `${members.length} ${kind}s`}: ` +
                `${total} x ${unique(members.map((m) => m.instanceType)).join(", ")}`;
            const isSearch = tier === SEARCH_TIER;
            this.groups.push({ id: `servers-${tier}`, parent: this.placeIn(members[0].subnetIds),
                label: isSearch ? this.searchLabel(eck, servers) : [`${tier} servers`, servers] });
            for (const zone of [...perZone.keys()].sort()) {
                const count = perZone.get(zone)!;
                if (count > 0) {
                    this.boxes.push({ id: `servers-${tier}-${zone}`, kind: isSearch ? "search" : "servers", group: `servers-${tier}`, tier, zone, count,
                        label: [zone, plural(count, isSearch ? "node" : "server")] });
                }
            }
        }
    }

    private searchLabel(eck: Obj | undefined, servers: string): string[] {
        if (eck) {
            const nodeSet = eck.spec.nodeSets[0];
            return [`Elasticsearch ${eck.spec.version} (ECK)`, `${plural(nodeSet.count, "node")} on ${servers}`,
                `${nodeSet.volumeClaimTemplates[0].spec.resources.requests.storage} volume per node`];
        }
        const sizes = unique(this.res.of(T.volume).map((v) => `${(v.inputs as Obj).size} GiB`));
        return [`Elasticsearch ${this.plan.spec.elasticsearch.version} (EC2)`, servers, ...(sizes.length ? [`${sizes.join(", ")} volume per node`] : [])];
    }

    /** Per tier its load balancers with the host names pointing at them, who reaches them, and whom they forward to. */
    loadBalancers(): void {
        const all = this.res.of(T.lb);
        for (const tier of unique(all.map(lbTier)).sort(this.tierOrder)) {
            const lbs = all.filter((lb) => lbTier(lb) === tier);
            const first = lbs[0].inputs as Obj;
            const hosts = unique(this.res.referring(T.record, "aliases", lbs).map((r) => String((r.inputs as Obj).name))).sort();
            const waf = this.res.referring(T.wafAssociation, "resourceArn", lbs).length > 0;
            const id = `lb-${tier}`;
            // The search cluster's own load balancer is drawn inside it.
            const group = tier === SEARCH_TIER && this.groups.some((g) => g.id === `servers-${tier}`) ? `servers-${tier}` : this.placeIn(first.subnets ?? []);
            this.boxes.push({ id, kind: "load-balancers", tier, group, label: [`${tier} load balancers`,
                `${lbs.length} x ${first.loadBalancerType === "network" ? "NLB" : "ALB"}, ${first.internal ? "internal" : "Internet-facing"}${waf ? ", WAF" : ""}`, ...hosts] });
            this.arrows.push(...edgeArrows(this.res, lbs, id, this.rules, this.plan.spec.trustedCidrs));
            // A load balancer drawn inside its servers' frame needs no arrow to them.
            for (const [serverTier, ports] of this.targetsOf(lbs).filter(([serverTier]) => group !== `servers-${serverTier}`)) {
                this.arrows.push({ from: id, to: `servers-${serverTier}`, label: [`port ${ports.join(", ")}`] });
            }
        }
    }

    /** Listener -> target group -> the server groups attached to it: per tier, the ports forwarded to. */
    private targetsOf(lbs: RecordedResource[]): [string, string[]][] {
        const listeners = this.res.referring(T.listener, "loadBalancerArn", lbs);
        const targetGroups = unique([...listeners.flatMap((l) => this.res.deps(l, "defaultActions")),
            ...this.res.referring(T.listenerRule, "listenerArn", listeners).flatMap((r) => this.res.deps(r, "actions"))]).filter((r) => r.type === T.targetGroup);
        const targets = new Map<string, string[]>();
        for (const attachment of this.res.referring(T.attachment, "lbTargetGroupArn", targetGroups)) {
            const attached = this.res.deps(attachment, "autoscalingGroupName");
            const tg = this.res.deps(attachment, "lbTargetGroupArn")[0].inputs as Obj;
            const health = tg.healthCheck?.port;
            const port = health && String(health) !== String(tg.port) ? `${tg.port} (health checks ${health})` : String(tg.port);
            for (const server of this.serverGroups.filter((s) => attached.includes(s.resource))) {
                targets.set(server.tier, unique([...(targets.get(server.tier) ?? []), port]));
            }
        }
        return [...targets].sort(([a], [b]) => a.localeCompare(b));
    }

    /** Redis and MySQL, in the subnets their subnet groups name. */
    dataServices(): void {
        const subnetsOf = (r: RecordedResource, property: string): string[] => (this.res.deps(r, property)[0]?.inputs as Obj | undefined)?.subnetIds ?? [];
        for (const redis of this.res.of(T.redis).slice(0, 1)) {
            const i = redis.inputs as Obj;
            this.boxes.push({ id: "redis", kind: "redis", group: this.placeIn(subnetsOf(redis, "subnetGroupName")), label: [
                `Redis ${i.engineVersion} (ElastiCache)`, `${i.numCacheClusters} x ${i.nodeType}`, `primary + ${plural(i.numCacheClusters - 1, "replica")}`,
                `${i.automaticFailoverEnabled ? "automatic failover" : "no automatic failover"}${i.multiAzEnabled ? ", Multi-AZ" : ""}`,
            ] });
        }
        for (const mysql of this.res.of(T.mysql).slice(0, 1)) {
            const i = mysql.inputs as Obj;
            this.boxes.push({ id: "mysql", kind: "mysql", group: this.placeIn(subnetsOf(mysql, "dbSubnetGroupName")), label: [
                `MySQL ${i.engineVersion} (RDS)`, `${i.instanceClass}, ${i.allocatedStorage} GiB`, i.multiAz ? "Multi-AZ: standby in another zone" : "single zone",
            ] });
        }
    }

    /**
     * Who reaches the data services and search inside the VPC: the security group rules between
     * the servers' groups and theirs, and on ECK the network policy in front of the search pods.
     */
    reachOfData(): void {
        const endpointOf = new Map<string, string>();
        const mark = (groups: string[], endpoint: string) => groups.forEach((sg) => endpointOf.set(sg, endpoint));
        const search = `servers-${SEARCH_TIER}`;
        this.serverGroups.filter((s) => s.tier === SEARCH_TIER).forEach((s) => mark(s.securityGroupIds, search));
        this.res.of(T.lb).filter((lb) => lbTier(lb) === SEARCH_TIER).forEach((lb) => mark((lb.inputs as Obj).securityGroups ?? [], search));
        this.res.of(T.redis).forEach((r) => mark((r.inputs as Obj).securityGroupIds ?? [], "redis"));
        this.res.of(T.mysql).forEach((r) => mark((r.inputs as Obj).vpcSecurityGroupIds ?? [], "mysql"));
        const reach = new Map<string, Set<string>>();
        const add = (from: string, to: string, port: string) => {
            const key = `${from}\u0000${to}`;
            reach.set(key, (reach.get(key) ?? new Set()).add(port));
        };
        for (const rule of this.rules) {
            const to = endpointOf.get(rule.target);
            for (const server of this.serverGroups.filter((s) => to && s.tier !== SEARCH_TIER && rule.sourceGroup && s.securityGroupIds.includes(rule.sourceGroup))) {
                add(`servers-${server.tier}`, to!, portText(rule.fromPort, rule.toPort));
            }
        }
        const tiers = this.serverTiers().filter((t) => t !== SEARCH_TIER);
        for (const { components, ports } of this.res.of(T.networkPolicy).flatMap(eckIngress)) {
            for (const tier of tiers.filter((t) => components.includes(t))) {
                ports.forEach((port) => add(`servers-${tier}`, search, port));
            }
        }
        for (const [key, ports] of [...reach].sort(([a], [b]) => a.localeCompare(b))) {
            const [from, to] = key.split("\u0000");
            this.arrows.push({ from, to, label: [`port ${[...ports].sort((a, b) => a.localeCompare(b, "en", { numeric: true })).join(", ")}`] });
        }
    }

    /** A search cluster the stack does not run: outside the VPC, reached through the NAT gateways by every API tier. */
    externalSearch(): void {
        const es = this.plan.spec.elasticsearch;
        if (es.provider !== "external") {
            return;
        }
        const endpoints = externalSearchConnection(es, false).hosts.split(",");
        this.boxes.push({ id: "search-external", kind: "search", label: [
            `Elasticsearch ${es.version} (external)`, ...(es.cloudId ? [`Elastic Cloud ${es.cloudId.split(":")[0]}`] : endpoints),
        ] });
        const ports = unique(endpoints.map((e) => e.slice(e.lastIndexOf(":") + 1)));
        const tiers = this.serverTiers();
        for (const tier of planTiers(this.plan.spec).filter((t) => t.kind === "api" && tiers.includes(t.name))) {
            this.arrows.push({ from: `servers-${tier.name}`, to: "search-external", label: [`port ${ports.join(", ")} (HTTPS)`, "out through NAT"] });
        }
    }

    /** The EKS control plane: AWS runs it outside the VPC; its public endpoint admits the networks listed. */
    controlPlane(): void {
        for (const eks of this.res.of(T.eks).slice(0, 1)) {
            const i = eks.inputs as Obj;
            const publicCidrs: string[] = i.vpcConfig?.endpointPublicAccess ? (i.vpcConfig.publicAccessCidrs ?? [IPV4_ANYWHERE]) : [];
            this.boxes.push({ id: "control-plane", kind: "control-plane", label: ["EKS control plane", `Kubernetes ${i.version}`,
                `API endpoint: private${publicCidrs.length ? ` and public to ${plural(publicCidrs.length, "network")}` : " only"}`] });
            if (publicCidrs.length > 0) {
                const trustedOnly = publicCidrs.every((c) => this.plan.spec.trustedCidrs.includes(c));
                this.arrows.push({ from: trustedOnly ? "trusted" : "internet", to: "control-plane",
                    label: ["port 443 (Kubernetes API)", trustedOnly ? `trusted networks only: ${publicCidrs.join(", ")}` : publicCidrs.join(", ")] });
            }
        }
    }
}

/** A network policy in front of ECK's search pods: per ingress rule, the pods' components it admits and on which ports. */
function eckIngress(policy: RecordedResource): { components: string[]; ports: string[] }[] {
    const spec = (policy.inputs as Obj).spec;
    if (!spec?.podSelector?.matchLabels?.[ES_CLUSTER_LABEL]) {
        return [];
    }
    return ((spec.ingress ?? []) as Obj[]).map((ingress) => ({
        components: ((ingress.from ?? []) as Obj[]).flatMap((peer) => [
            peer.podSelector?.matchLabels?.[COMPONENT_LABEL],
            ...((peer.podSelector?.matchExpressions ?? []) as Obj[]).filter((e) => e.key === COMPONENT_LABEL && e.operator === "In").flatMap((e) => e.values),
        ]).filter((c): c is string => typeof c === "string"),
        ports: ((ingress.ports ?? []) as Obj[]).map((p) => String(p.port)),
    }));
}

function lbTier(lb: RecordedResource): string {
    return (lb.inputs as Obj).tags?.[TIER_TAG] ?? lb.name;
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
    const redirectOf = (l: RecordedResource) => ((l.inputs as Obj).defaultActions ?? []).find((a: Obj) => a.type === "redirect")?.redirect;
    const ports = [
        ...unique(listeners.filter((l) => !redirectOf(l)).map((l) => `${(l.inputs as Obj).protocol} ${(l.inputs as Obj).port}`)).sort(),
        ...unique(listeners.filter(redirectOf).map((l) => `${(l.inputs as Obj).port} redirects to ${redirectOf(l).port}`)).sort(),
    ].join(", ");
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
function architectureDot(graph: ArchitectureGraph): string {
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
function loadGraphviz(): ReturnType<GraphvizModule["Graphviz"]["load"]> {
    graphviz ??= import("@hpcc-js/wasm-graphviz").then((m) => m.Graphviz.load());
    return graphviz;
}

/** Lays DOT out as SVG with dot. */
export type DotRenderer = (dot: string) => Promise<string>;

const inProcess: DotRenderer = async (dot) => (await loadGraphviz()).layout(dot, "svg", "dot");

/** The stack's architecture picture as SVG, laid out by dot (in-process unless a renderer is given). */
export async function architectureSvg(plan: StackPlan, render: DotRenderer = inProcess): Promise<string> {
    return render(architectureDot(architectureGraph(plan)));
}

const WORKER = `
const { parentPort, workerData } = require("worker_threads");
const graphviz = import(workerData.module).then((m) => m.Graphviz.load());
parentPort.on("message", async (dot) => {
    try {
        parentPort.postMessage({ svg: (await graphviz).layout(dot, "svg", "dot") });
    } catch (err) {
        parentPort.postMessage({ error: String(err) });
    }
});
`;

/**
 * dot in a worker thread, started before the stack is built: loading Graphviz's WebAssembly (a
 * fifth of the plan's time on one thread) overlaps the build on another core. The same bytes as
 * in-process: one Graphviz, one input.
 */
export function graphvizWorker(): { render: DotRenderer; close: () => Promise<number> } {
    const worker = new Worker(WORKER, { eval: true, workerData: { module: require.resolve("@hpcc-js/wasm-graphviz") } });
    // A worker that dies fails the render waiting on it, instead of leaving the plan waiting forever.
    let died: Error | undefined;
    const dead = new Promise<never>((_, fail) => {
        worker.once("error", (err) => fail((died = err)));
        worker.once("exit", (code) => fail((died ??= new Error(`graphviz worker exited with ${code}`))));
    });
    dead.catch(() => undefined);
    let queue = Promise.resolve("");
    const render: DotRenderer = (dot) => (queue = queue.then(() => Promise.race([dead, new Promise<string>((done, fail) => {
        if (died) {
            fail(died);
            return;
        }
        worker.once("message", (answer: { svg?: string; error?: string }) => (answer.svg !== undefined ? done(answer.svg) : fail(new Error(`graphviz: ${answer.error}`))));
        worker.postMessage(dot);
    })])));
    return { render, close: () => worker.terminate() };
}
