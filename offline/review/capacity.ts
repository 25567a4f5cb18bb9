import type { RecordedResource } from "../mocks";
import { instanceCapacity } from "../../lib/instanceTypes";
import { COLLECTOR_TIERS, envValue, ServerGroup, serverGroups } from "./servers";

/**
 * How many collector requests per second the stack's collector tier carries, from Tracardi's own
 * published figure, with one server and one zone lost.
 */

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * Tracardi's load test: "a single Tracardi instance comprising 10 API replicas linked to one
 * Elasticsearch instance. Each replica was configured to use a maximum of 0.5 CPU and 150MB of RAM.
 * The setup managed to handle 3000 requests per second" (Tracardi/tracardi-api
 * docs/installation/production/guide.md, "What load can take Tracardi?", also at
 * docs.tracardi.com/installation/production/guide/). 3000 / (10 x 0.5) = 600 per vCPU. No latency,
 * event size or workflow load is given.
 */
const TRACARDI_TEST = { replicas: 10, cpuPerReplica: 0.5, requestsPerSecond: 3000 };
export const REQUESTS_PER_VCPU = TRACARDI_TEST.requestsPerSecond / (TRACARDI_TEST.replicas * TRACARDI_TEST.cpuPerReplica);
/** Our margin, not Tracardi's: run at 70% of the benchmark (uneven balancing, heavier events than the test's, headroom for spikes). */
export const DERATING = 0.7;

/** The collector tier's CPU as configured: pods (EKS) or servers (VM), spread over zones. */
export interface CollectorTier {
    tier: string;
    /** Pods on EKS, servers on VM. */
    units: number;
    unitKind: "pods" | "servers";
    /** vCPU one unit can spend on the API: the pod's CPU limit, or the server's vCPUs, at most one per worker (a worker is one process). */
    vcpuPerUnit: number;
    workers?: number;
    /** Units per zone. */
    perZone: Record<string, number>;
    /** Units on the busiest server. */
    perServer: number;
    instanceType: string;
}

export interface SearchSide {
    provider: "eck" | "external" | "ec2";
    nodes: number;
    instanceType?: string;
}

export interface Capacity {
    tier: string;
    collectorRequestsPerSecond: number;
    afterOneServerLost: number;
    afterOneZoneLost: number;
    vcpu: number;
    requestsPerVcpu: number;
    derating: number;
    /** Above Tracardi's tested 3000 requests/s, which ran against one Elasticsearch instance. */
    beyondTested: boolean;
    search: SearchSide;
    assumptions: string[];
}

/** `4` from `"4"`, millicores from `"1650m"`. */
function cpuQuantity(value: string | number | undefined): number | undefined {
    if (value === undefined) {
        return undefined;
    }
    const text = String(value);
    return text.endsWith("m") ? Number(text.slice(0, -1)) / 1000 : Number(text);
}

/** Spreads `units` over servers of a group as the scheduler's spread does (evenly), and over zones in proportion. */
function unitsPerZone(units: number, group: ServerGroup): Record<string, number> {
    const result: Record<string, number> = {};
    let left = units;
    const zones = Object.entries(group.perZone);
    zones.forEach(([zone, servers], i) => {
        const share = i === zones.length - 1 ? left : Math.min(left, Math.ceil(units * servers / group.servers));
        result[zone] = share;
        left -= share;
    });
    return result;
}

/** The collector tier of a stack: public-api, or api on a stack with one API tier for both. */
function collectorTier(resources: RecordedResource[], groups: ServerGroup[]): CollectorTier | undefined {
    const group = COLLECTOR_TIERS.map((tier) => groups.find((g) => g.tier === tier)).find((g) => g !== undefined);
    if (!group) {
        return undefined;
    }
    const workers = Number(envValue(resources, groups, group.tier, "WEB_CONCURRENCY") ?? 1);
    const deployment = resources.find((r) => r.type === "kubernetes:apps/v1:Deployment" &&
        (r.inputs.metadata as Obj)?.labels?.["app.kubernetes.io/component"] === group.tier);
    if (deployment) {
        const spec = deployment.inputs.spec as Obj;
        const resourcesOf = spec.template.spec.containers[0].resources ?? {};
        const cpu = cpuQuantity(resourcesOf.limits?.cpu ?? resourcesOf.requests?.cpu) ?? 1;
        const pods = Number(spec.replicas ?? 1);
        return {
            tier: group.tier, units: pods, unitKind: "pods", vcpuPerUnit: Math.min(cpu, workers), workers,
            perZone: unitsPerZone(pods, group), perServer: Math.ceil(pods / group.servers), instanceType: group.instanceType,
        };
    }
    const vcpu = instanceCapacity(group.instanceType)?.vcpu ?? 0;
    return {
        tier: group.tier, units: group.servers, unitKind: "servers", vcpuPerUnit: Math.min(vcpu, workers), workers,
        perZone: group.perZone, perServer: 1, instanceType: group.instanceType,
    };
}

function searchSide(resources: RecordedResource[], groups: ServerGroup[]): SearchSide {
    const eck = resources.find((r) => r.type === "kubernetes:elasticsearch.k8s.elastic.co/v1:Elasticsearch");
    if (eck) {
        const nodeSets = (eck.inputs.spec as Obj).nodeSets as Obj[];
        const searchGroups = groups.filter((g) => g.tier === "search");
        return { provider: "eck", nodes: nodeSets.reduce((n, s) => n + Number(s.count), 0), instanceType: searchGroups[0]?.instanceType };
    }
    const ec2 = groups.filter((g) => g.tier === "search");
    if (ec2.length > 0) {
        return { provider: "ec2", nodes: ec2.reduce((n, g) => n + g.servers, 0), instanceType: ec2[0].instanceType };
    }
    // The stack runs no search of its own: Tracardi's is outside it.
    return { provider: "external", nodes: 0 };
}

const rate = (vcpu: number) => Math.round(vcpu * REQUESTS_PER_VCPU * DERATING);

/** The figures from a collector tier (pure arithmetic, tested directly). */
export function capacityOf(tier: CollectorTier, search: SearchSide): Capacity {
    const vcpu = tier.units * tier.vcpuPerUnit;
    const worstZone = Math.max(0, ...Object.values(tier.perZone));
    const collectorRequestsPerSecond = rate(vcpu);
    const searchLine = {
        eck: `Elasticsearch in the cluster (${search.nodes} node(s) of ${search.instanceType})`,
        ec2: `Elasticsearch on EC2 servers (${search.nodes} node(s) of ${search.instanceType})`,
        external: "the external Elasticsearch (outside the stack)",
    }[search.provider];
    return {
        tier: tier.tier, collectorRequestsPerSecond,
        afterOneServerLost: rate((tier.units - Math.min(tier.units, tier.perServer)) * tier.vcpuPerUnit),
        afterOneZoneLost: rate((tier.units - worstZone) * tier.vcpuPerUnit),
        vcpu: Math.round(vcpu * 100) / 100, requestsPerVcpu: REQUESTS_PER_VCPU, derating: DERATING,
        beyondTested: collectorRequestsPerSecond > TRACARDI_TEST.requestsPerSecond,
        search,
        assumptions: [
            `${REQUESTS_PER_VCPU} requests/s per vCPU of API: Tracardi's load test, ${TRACARDI_TEST.replicas} replicas of ${TRACARDI_TEST.cpuPerReplica} CPU ` +
            `served ${TRACARDI_TEST.requestsPerSecond} requests/s against one Elasticsearch (tracardi-api docs/installation/production/guide.md); ` +
            "no latency, event size or workflow load was published",
            `derated to ${DERATING * 100}%: uneven balancing, heavier events and workflows than the test's, headroom for spikes`,
            `${tier.units} ${tier.unitKind} of the ${tier.tier} tier (${tier.instanceType}), each ${tier.vcpuPerUnit} vCPU for the API ` +
            `(${tier.unitKind === "pods" ? "the pod's CPU limit" : "the server's vCPUs"}, at most one per worker: WEB_CONCURRENCY=${tier.workers})`,
            `one server lost takes ${tier.perServer} of the ${tier.units} ${tier.unitKind} away; one zone lost takes the busiest zone's ${worstZone} ` +
            "(servers spread evenly over the group's zones), nothing rescheduled before replacements start",
            `Elasticsearch ingest is the likely limit: ${searchLine}. Tracardi's figure was reached with one Elasticsearch instance; ` +
            `no per-node indexing figure for Tracardi's workload (small writes and profile reads per request) is published, so anything above ` +
            `${TRACARDI_TEST.requestsPerSecond} requests/s is untested: load-test the search tier before relying on it`,
        ],
    };
}

/** Capacity of a stack's recorded resources; undefined on a stack without a collector tier. */
export function capacity(resources: RecordedResource[], groups = serverGroups(resources)): Capacity | undefined {
    const tier = collectorTier(resources, groups);
    return tier && capacityOf(tier, searchSide(resources, groups));
}
