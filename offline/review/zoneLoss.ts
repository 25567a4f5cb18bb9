import type { RecordedResource } from "../mocks";
import { COLLECTOR_TIERS, envValue, ServerGroup, serverGroups, serversPerZone, subnetZones } from "./servers";

/** What is left of each tier and data service after one availability zone is lost, and the single points of failure. */

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * RDS Multi-AZ: "Failover times are typically 60-120 seconds" (Amazon RDS user guide, "Failing over a
 * Multi-AZ DB instance", docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Concepts.MultiAZ.Failover.html).
 */
const MYSQL_FAILOVER = "typically 60-120 s (Amazon RDS user guide, Failing over a Multi-AZ DB instance)";
/**
 * ElastiCache: "The promotion process generally takes just a few minutes" (Amazon ElastiCache user guide,
 * "Replication: Multi-AZ with Automatic Failover", docs.aws.amazon.com/AmazonElastiCache/latest/UserGuide/AutoFailover.html);
 * the current page gives no figure.
 */
const REDIS_FAILOVER = "a few minutes (Amazon ElastiCache user guide, Multi-AZ with automatic failover)";

export interface ZoneLossEntry {
    name: string;
    kind: "tier" | "data" | "network";
    /** What runs in each zone (servers, nodes), or where the service lives. */
    perZone: Record<string, number>;
    /** The zone whose loss hurts most. */
    worstZone?: string;
    /** What is left after losing the worst zone, in words. */
    left: string;
    /** Whether it still serves after losing the worst zone; null when the stack cannot tell (outside the stack). */
    serves: boolean | null;
    /** Single points of failure and other warnings. */
    flags: string[];
}

export interface ZoneLoss {
    entries: ZoneLossEntry[];
    /** Every entry the stack can judge still serves after losing any one zone. */
    survivesAnyZone: boolean;
    flags: string[];
    assumptions: string[];
}

function worst(perZone: Record<string, number>): [string | undefined, number] {
    let found: [string | undefined, number] = [undefined, 0];
    for (const [zone, n] of Object.entries(perZone)) {
        if (n > found[1]) {
            found = [zone, n];
        }
    }
    return found;
}

const total = (perZone: Record<string, number>) => Object.values(perZone).reduce((a, b) => a + b, 0);
const occupied = (perZone: Record<string, number>) => Object.values(perZone).filter((n) => n > 0).length;

/** A tier of servers: what is left after its busiest zone goes. */
export function tierEntry(name: string, perZone: Record<string, number>): ZoneLossEntry {
    const [zone, lost] = worst(perZone);
    const left = total(perZone) - lost;
    const flags = occupied(perZone) <= 1 ? [`${name}: all servers in one zone (${zone ?? "none"})`] : [];
    return { name, kind: "tier", perZone, worstZone: zone, left: `${left} of ${total(perZone)} servers`, serves: left > 0, flags };
}

export interface SearchNodes {
    provider: "eck" | "ec2";
    perZone: Record<string, number>;
    masterEligible: number;
    /** Master-eligible nodes per zone (the same spread as the nodes unless roles differ). */
    mastersPerZone: Record<string, number>;
    /** `index.number_of_replicas` Tracardi creates its indices with. */
    replicas: number;
    zoneAware: boolean;
}

/** The zone whose loss takes most search nodes, and the master-eligible nodes left without it. */
export function mastersAfterZoneLoss(search: Pick<SearchNodes, "perZone" | "mastersPerZone" | "masterEligible">):
    { zone?: string; lost: number; mastersLeft: number; quorum: boolean } {
    const [zone, lost] = worst(search.perZone);
    const mastersLeft = search.masterEligible - (search.mastersPerZone[zone ?? ""] ?? 0);
    return { zone, lost, mastersLeft, quorum: mastersLeft > search.masterEligible / 2 };
}

/**
 * Search after a zone loss: a quorum (a majority) of master-eligible nodes must remain to elect a master
 * (Elasticsearch reference, "Quorum-based decision making"), and every shard keeps a copy only when
 * its replicas sit in other zones (shard allocation awareness on the zone attribute, at least one
 * replica, nodes in two zones or more).
 */
export function searchEntry(search: SearchNodes): ZoneLossEntry {
    const { zone, lost, mastersLeft, quorum } = mastersAfterZoneLoss(search);
    const copies = search.replicas >= 1 && search.zoneAware && occupied(search.perZone) >= 2;
    const flags: string[] = [];
    if (!quorum) {
        flags.push(`search: losing ${zone} leaves ${mastersLeft} of ${search.masterEligible} master-eligible nodes, no quorum: no master, the cluster stops`);
    }
    if (!copies) {
        flags.push(`search: not every shard keeps a copy outside ${zone} (${search.replicas} replica(s), ${search.zoneAware ? "zone-aware" : "not zone-aware"}, ` +
            `nodes in ${occupied(search.perZone)} zone(s))`);
    }
    return {
        name: `search (${search.provider === "eck" ? "ECK" : "EC2"})`, kind: "data", perZone: search.perZone, worstZone: zone,
        left: `${total(search.perZone) - lost} of ${total(search.perZone)} nodes, ${mastersLeft} of ${search.masterEligible} master-eligible ` +
            `(${quorum ? "quorum kept" : "no quorum"}), ${copies ? "a copy of every shard" : "not every shard has a copy left"}`,
        serves: quorum && copies, flags,
    };
}

function redisEntry(nodes: number, failover: boolean, zones: string[]): ZoneLossEntry {
    const perZone = Object.fromEntries(zones.slice(0, nodes).sort().map((z) => [z, 1]));
    const serves = nodes >= 2 && failover && occupied(perZone) >= 2;
    return {
        name: "Redis (ElastiCache)", kind: "data", perZone, worstZone: Object.keys(perZone)[0],
        left: serves ? `${nodes - 1} of ${nodes} nodes; a replica is promoted, ${REDIS_FAILOVER}` : `${nodes} node(s), no automatic failover to another zone`,
        serves, flags: serves ? [] : ["Redis: no automatic failover to another zone: losing the primary's zone stops it until it is replaced"],
    };
}

function mysqlEntry(multiAz: boolean, zones: string[]): ZoneLossEntry {
    return {
        name: "MySQL (RDS)", kind: "data", perZone: Object.fromEntries(zones.slice(0, multiAz ? 2 : 1).sort().map((z) => [z, 1])),
        left: multiAz ? `the standby in another zone takes over, failover ${MYSQL_FAILOVER}` : "nothing: a single-AZ instance",
        serves: multiAz, flags: multiAz ? [] : ["MySQL: single-AZ: losing its zone stops it until it is restored"],
        worstZone: zones[0],
    };
}

/** NAT gateways: with one, the application subnets of every other zone lose their way out when its zone goes. */
export function natEntry(natZones: string[], appZones: string[]): ZoneLossEntry {
    const perZone: Record<string, number> = {};
    for (const zone of natZones) {
        perZone[zone] = (perZone[zone] ?? 0) + 1;
    }
    const covered = appZones.every((z) => perZone[z]);
    const [zone] = worst(perZone);
    const flags = natZones.length === 1 ? [`NAT: one NAT gateway (${zone}): losing its zone cuts every zone's servers from the Internet ` +
        "(image pulls, AWS APIs without endpoints, external search)"] : [];
    return {
        name: "NAT gateways", kind: "network", perZone, worstZone: zone,
        left: natZones.length === 1 ? "none: every zone's servers lose outbound Internet"
            : covered ? "each other zone keeps its own NAT gateway" : `${natZones.length - 1} NAT gateway(s); zones without their own lose outbound Internet`,
        serves: covered && natZones.length > 1, flags,
    };
}

/** Search nodes of the stack: ECK node sets on the search node groups, or EC2 search servers (one per Auto Scaling group). */
function searchNodes(resources: RecordedResource[], groups: ServerGroup[]): SearchNodes | undefined {
    const searchGroups = groups.filter((g) => g.tier === "search");
    if (searchGroups.length === 0) {
        return undefined;
    }
    const perZone = serversPerZone(searchGroups);
    const replicas = Number(COLLECTOR_TIERS.map((tier) => envValue(resources, groups, tier, "ELASTIC_INDEX_REPLICAS")).find((v) => v !== undefined) ?? 0);
    const eck = resources.find((r) => r.type === "kubernetes:elasticsearch.k8s.elastic.co/v1:Elasticsearch");
    if (eck) {
        const nodeSets = (eck.inputs.spec as Obj).nodeSets as Obj[];
        const isMaster = (s: Obj) => !s.config?.["node.roles"] || (s.config["node.roles"] as string[]).includes("master");
        const masterEligible = nodeSets.filter(isMaster).reduce((n, s) => n + Number(s.count), 0);
        const nodes = nodeSets.reduce((n, s) => n + Number(s.count), 0);
        const zoneAware = nodeSets.every((s) => String(s.config?.["cluster.routing.allocation.awareness.attributes"] ?? "").split(",").includes("zone"));
        // Node sets with mixed roles spread as the nodes do: masters per zone in proportion.
        const mastersPerZone = Object.fromEntries(Object.entries(perZone).map(([z, n]) => [z, Math.ceil(n * masterEligible / nodes)]));
        return { provider: "eck", perZone, masterEligible, mastersPerZone, replicas, zoneAware };
    }
    // EC2 search nodes are all master-eligible; awareness is read from their configuration in the user data.
    const zoneAware = searchGroups.every((g) => /cluster\.routing\.allocation\.awareness\.attributes\W+[^\n]*zone/.test(g.userData ?? ""));
    return { provider: "ec2", perZone, masterEligible: total(perZone), mastersPerZone: perZone, replicas, zoneAware };
}

const TIERS = ["public-api", "internal-api", "api", "gui", "workers", "system"];

export function zoneLoss(resources: RecordedResource[], groups = serverGroups(resources)): ZoneLoss {
    const zones = subnetZones(resources);
    const tiers = [...new Set(groups.map((g) => g.tier))].filter((t) => TIERS.includes(t)).sort((a, b) => TIERS.indexOf(a) - TIERS.indexOf(b));
    const entries: ZoneLossEntry[] = tiers.map((tier) => tierEntry(tier, serversPerZone(groups.filter((g) => g.tier === tier))));
    const search = searchNodes(resources, groups);
    if (search) {
        entries.push(searchEntry(search));
    } else {
        // The stack runs no search of its own.
        entries.push({ name: "search (external)", kind: "data", perZone: {}, left: "outside the stack", serves: null, flags: [] });
    }
    // The subnet group a store's input was built from, as the engine records it.
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const subnetGroupZones = (store: RecordedResource, property: string) => {
        const group = (store.propertyDependencies[property] ?? []).map((urn) => byUrn.get(urn)).find((g) => g?.inputs.subnetIds);
        return [...new Set(((group?.inputs.subnetIds ?? []) as string[]).map((id) => zones.get(id) ?? id))].sort();
    };
    for (const r of resources) {
        const inputs = r.inputs as Obj;
        if (r.type === "aws:elasticache/replicationGroup:ReplicationGroup") {
            entries.push(redisEntry(Number(inputs.numCacheClusters ?? 1), Boolean(inputs.automaticFailoverEnabled), subnetGroupZones(r, "subnetGroupName")));
        } else if (r.type === "aws:rds/instance:Instance") {
            entries.push(mysqlEntry(Boolean(inputs.multiAz), subnetGroupZones(r, "dbSubnetGroupName")));
        }
    }
    const nats = resources.filter((r) => r.type === "aws:ec2/natGateway:NatGateway");
    if (nats.length > 0) {
        const appZones = [...new Set([...zones.entries()].map(([, z]) => z))].sort();
        entries.push(natEntry(nats.map((n) => zones.get(String(n.inputs.subnetId)) ?? String(n.inputs.subnetId)), appZones));
    }
    const flags = entries.flatMap((e) => e.flags);
    return {
        entries, flags, survivesAnyZone: entries.every((e) => e.serves !== false),
        assumptions: [
            "one zone lost at a time; for each tier and service the zone whose loss hurts it most",
            "servers spread evenly over their group's zones (EC2 Auto Scaling balancing); replacements in the other zones take minutes and are not counted",
            "search keeps serving when a majority of master-eligible nodes is left and every shard has a copy in another zone",
            `Redis nodes in distinct zones of its subnet group; it fails over when it has a replica and automatic failover: ${REDIS_FAILOVER}`,
            `MySQL Multi-AZ: a standby in another zone, failover ${MYSQL_FAILOVER}; AWS picks the zones, shown as the subnet group's first`,
            "the load balancers span every public subnet's zone and are not counted",
        ],
    };
}
