import { ADDON_PODS, nodeModel, NodeModel, ResourcesAndPods, Resources, total } from "../lib/nodeModel";
import type { RecordedResource } from "./mocks";

/**
 * The scheduling check: every pod a stack runs, placed on the servers its node groups start, the
 * way kube-scheduler filters nodes (node selector, taints and tolerations, requests against what
 * the node model leaves pods, pod slots, required anti-affinity per server, hard zone spread).
 * Mocks accept any pod; a pod that fits no server stays Pending on a real cluster and its
 * Deployment's rollout, which `pulumi up` awaits, never finishes.
 */

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface Server {
    name: string;
    group: string;
    zone: string;
    labels: Record<string, string>;
    taints: { key: string; value?: string; effect: string }[];
    model: NodeModel;
}

interface Toleration { key?: string; operator?: string; value?: string; effect?: string }

/** A set of identical pods: a Deployment's replicas, a Job's pod, a search node set, an add-on's replicas. */
export interface PodSet {
    name: string;
    kind: "Deployment" | "Job" | "Elasticsearch" | "add-on" | "operator";
    replicas: number;
    requests: Resources;
    labels: Record<string, string>;
    nodeSelector: Record<string, string>;
    tolerations: Toleration[];
    /** Required anti-affinity on the server (kubernetes.io/hostname) against pods with these labels. */
    antiAffinity?: Record<string, string>;
    /** Hard zone spread (whenUnsatisfiable: DoNotSchedule) over pods with these labels. */
    zoneSpread?: { maxSkew: number; labels: Record<string, string> };
    /** Deployments: maxSurge and maxUnavailable as counts, or "Recreate". */
    strategy?: { maxSurge: number; maxUnavailable: number } | "Recreate";
    /** The pods' volumes are tied to the zone they were first placed in (search nodes). */
    zoneBound?: boolean;
}

export interface Placement {
    set: PodSet;
    server: Server;
}

const cpuMillis = (quantity: unknown): number => {
    const text = String(quantity ?? "0");
    return text.endsWith("m") ? Number(text.slice(0, -1)) : Math.round(Number(text) * 1000);
};
const UNITS: Record<string, number> = { Ki: 1 / 1024, Mi: 1, Gi: 1024, Ti: 1024 * 1024, "": 1 / (1024 * 1024) };
const memoryMiB = (quantity: unknown): number => {
    const match = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|)$/.exec(String(quantity ?? "0"));
    if (!match) {
        throw new Error(`memory quantity ${String(quantity)} is not understood by the scheduling check`);
    }
    return Number(match[1]) * UNITS[match[2]];
};

/** Requests of a pod: the sum of its containers' (requests, or limits when only those are set), at least its largest init container's. */
function podRequests(spec: Obj): Resources {
    const of = (container: Obj) => {
        const r = container.resources ?? {};
        const req = { ...(r.limits ?? {}), ...(r.requests ?? {}) };
        return { cpuMillis: cpuMillis(req.cpu), memoryMiB: memoryMiB(req.memory) };
    };
    const sum = total(((spec.containers ?? []) as Obj[]).map(of));
    for (const init of ((spec.initContainers ?? []) as Obj[]).map(of)) {
        sum.cpuMillis = Math.max(sum.cpuMillis, init.cpuMillis);
        sum.memoryMiB = Math.max(sum.memoryMiB, init.memoryMiB);
    }
    return sum;
}

/** Kubernetes' rounding of percentages: surge up, unavailable down (deployment/util). */
function count(value: unknown, replicas: number, roundUp: boolean): number {
    if (typeof value === "number") {
        return value;
    }
    const percent = /^(\d+)%$/.exec(String(value ?? "25%"));
    const share = (Number(percent?.[1] ?? 25) / 100) * replicas;
    return roundUp ? Math.ceil(share) : Math.floor(share);
}

function fromPodSpec(name: string, kind: PodSet["kind"], replicas: number, labels: Record<string, string>, spec: Obj): PodSet {
    const antiTerm = (spec.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? [])
        .find((t: Obj) => t.topologyKey === "kubernetes.io/hostname");
    const spreadTerm = ((spec.topologySpreadConstraints ?? []) as Obj[])
        .find((t) => t.topologyKey === "topology.kubernetes.io/zone" && t.whenUnsatisfiable === "DoNotSchedule");
    return {
        name, kind, replicas, labels,
        requests: podRequests(spec),
        nodeSelector: spec.nodeSelector ?? {},
        tolerations: spec.tolerations ?? [],
        antiAffinity: antiTerm?.labelSelector?.matchLabels,
        zoneSpread: spreadTerm && { maxSkew: spreadTerm.maxSkew, labels: spreadTerm.labelSelector?.matchLabels ?? {} },
    };
}

/** The servers a stack's node groups start: server i of a group in the zone of its subnet i mod n (Auto Scaling balances zones). */
function serversOf(resources: RecordedResource[]): Server[] {
    const zoneOfSubnet = new Map(resources.filter((r) => r.type === "aws:ec2/subnet:Subnet").map((s) => [s.id, String(s.inputs.availabilityZone)]));
    return resources.filter((r) => r.type === "aws:eks/nodeGroup:NodeGroup").flatMap((group) => {
        const inputs = group.inputs as Obj;
        const instanceType = inputs.instanceTypes[0] as string;
        const model = nodeModel(instanceType);
        if (!model) {
            throw new Error(`${group.name}: the node model does not know ${instanceType}`);
        }
        const subnets = inputs.subnetIds as string[];
        return Array.from({ length: inputs.scalingConfig.desiredSize as number }, (_, i) => {
            const zone = zoneOfSubnet.get(subnets[i % subnets.length]) ?? subnets[i % subnets.length];
            const name = `${group.name}/${i}`;
            return {
                name, group: group.name, zone, model,
                labels: { ...inputs.labels, "kubernetes.io/hostname": name, "topology.kubernetes.io/zone": zone },
                taints: ((inputs.taints ?? []) as Obj[]).map((t) => ({ key: t.key, value: t.value, effect: t.effect === "NO_SCHEDULE" ? "NoSchedule" : t.effect })),
            };
        });
    });
}

/** Every pod set a stack runs: its Deployments, Jobs and search node sets, and the pods of its add-ons and operator. */
function podSetsOf(resources: RecordedResource[]): PodSet[] {
    const sets: PodSet[] = [];
    for (const r of resources) {
        const inputs = r.inputs as Obj;
        if (r.type === "kubernetes:apps/v1:Deployment") {
            const spec = inputs.spec;
            const replicas = spec.replicas ?? 1;
            const set = fromPodSpec(inputs.metadata.name, "Deployment", replicas, spec.template.metadata?.labels ?? {}, spec.template.spec);
            const rolling = spec.strategy?.rollingUpdate ?? {};
            set.strategy = spec.strategy?.type === "Recreate" ? "Recreate"
                : { maxSurge: count(rolling.maxSurge, replicas, true), maxUnavailable: count(rolling.maxUnavailable, replicas, false) };
            sets.push(set);
        } else if (r.type === "kubernetes:batch/v1:Job") {
            const spec = inputs.spec;
            sets.push(fromPodSpec(inputs.metadata.name, "Job", spec.parallelism ?? 1, spec.template.metadata?.labels ?? {}, spec.template.spec));
        } else if (r.type === "kubernetes:elasticsearch.k8s.elastic.co/v1:Elasticsearch") {
            for (const nodeSet of inputs.spec.nodeSets as Obj[]) {
                // ECK labels every pod with its cluster and StatefulSet, which the pod template's selectors name.
                const labels = {
                    ...nodeSet.podTemplate?.metadata?.labels,
                    "elasticsearch.k8s.elastic.co/cluster-name": inputs.metadata.name,
                    "elasticsearch.k8s.elastic.co/statefulset-name": `${inputs.metadata.name}-es-${nodeSet.name}`,
                };
                const set = fromPodSpec(`${inputs.metadata.name}-es-${nodeSet.name}`, "Elasticsearch", nodeSet.count, labels, nodeSet.podTemplate.spec);
                set.zoneBound = true;
                sets.push(set);
            }
        } else if (r.type === "aws:eks/addon:Addon") {
            for (const pods of ADDON_PODS.filter((p) => p.addon === inputs.addonName)) {
                sets.push({ name: pods.name, kind: "add-on", replicas: pods.replicas, requests: pods.requests, labels: { app: pods.name }, nodeSelector: {}, tolerations: [] });
            }
        } else if (r.type === "kubernetes:helm.sh/v3:Release") {
            const resourcesOf = inputs.values?.resources;
            if (!resourcesOf) {
                throw new Error(`${r.name}: the chart's pod resources are not set in its values, so the scheduling check cannot place it`);
            }
            sets.push({
                name: inputs.name ?? r.name, kind: "operator", replicas: 1, requests: podRequests({ containers: [{ resources: resourcesOf }] }),
                labels: { app: inputs.name ?? r.name }, nodeSelector: {}, tolerations: [],
            });
        }
    }
    return sets;
}

const matches = (labels: Record<string, string>, selector: Record<string, string>): boolean =>
    Object.entries(selector).every(([k, v]) => labels[k] === v);

function tolerates(tolerations: Toleration[], taint: Server["taints"][number]): boolean {
    return tolerations.some((t) => (t.operator === "Exists" && (t.key === undefined || t.key === taint.key)) ||
        (t.key === taint.key && (t.operator ?? "Equal") === "Equal" && t.value === taint.value && (t.effect === undefined || t.effect === taint.effect)));
}

/** Servers a pod set may use at all: node selector and taints. */
function eligible(set: PodSet, servers: Server[]): Server[] {
    return servers.filter((s) => matches(s.labels, set.nodeSelector) && s.taints.every((t) => tolerates(set.tolerations, t)));
}

function used(server: Server, placements: Placement[]): ResourcesAndPods {
    const here = placements.filter((p) => p.server === server);
    return { ...total(here.map((p) => p.set.requests)), pods: here.length };
}

/** Why a pod of the set cannot go on the server, or undefined when it can. */
function refusal(set: PodSet, server: Server, placements: Placement[], servers: Server[]): string | undefined {
    const taken = used(server, placements);
    const { free } = server.model;
    if (taken.cpuMillis + set.requests.cpuMillis > free.cpuMillis) {
        return `cpu ${set.requests.cpuMillis}m > ${free.cpuMillis - taken.cpuMillis}m left`;
    }
    if (taken.memoryMiB + set.requests.memoryMiB > free.memoryMiB) {
        return `memory ${set.requests.memoryMiB}Mi > ${free.memoryMiB - taken.memoryMiB}Mi left`;
    }
    if (taken.pods + 1 > free.pods) {
        return `no pod slot left of ${free.pods}`;
    }
    const here = placements.filter((p) => p.server === server);
    if (set.antiAffinity && here.some((p) => matches(p.set.labels, set.antiAffinity!))) {
        return "anti-affinity: the server already runs one";
    }
    if (here.some((p) => p.set.antiAffinity && matches(set.labels, p.set.antiAffinity))) {
        return "anti-affinity of a pod already there";
    }
    if (set.zoneSpread) {
        const zones = [...new Set(eligible(set, servers).map((s) => s.zone))];
        const inZone = (zone: string) => placements.filter((p) => p.server.zone === zone && matches(p.set.labels, set.zoneSpread!.labels)).length;
        const least = Math.min(...zones.map(inZone));
        if (inZone(server.zone) + 1 - least > set.zoneSpread.maxSkew) {
            return `zone spread: ${server.zone} would be ${inZone(server.zone) + 1 - least} ahead`;
        }
    }
    return undefined;
}

/**
 * Places one pod of a set, or says why no server takes it. Of the servers that fit, the one in
 * the zone with fewest pods of the set, then with most memory left (kube-scheduler's spreading
 * and least-allocated scores), then by name.
 */
function placeOne(set: PodSet, servers: Server[], placements: Placement[], zone?: string): Placement | string {
    const candidates = eligible(set, servers).filter((s) => zone === undefined || s.zone === zone);
    if (candidates.length === 0) {
        return zone ? `no server of its kind in ${zone}` : "no server matches its node selector and tolerations";
    }
    const reasons = new Map<string, string[]>();
    const fit = candidates.filter((s) => {
        const why = refusal(set, s, placements, servers);
        if (why) {
            reasons.set(why, [...(reasons.get(why) ?? []), s.name]);
        }
        return !why;
    });
    if (fit.length === 0) {
        return [...reasons].map(([why, names]) => `${names.join(", ")}: ${why}`).join("; ");
    }
    const ofSet = (s: Server) => placements.filter((p) => p.set === set && p.server.zone === s.zone).length;
    const memoryLeft = (s: Server) => s.model.free.memoryMiB - used(s, placements).memoryMiB;
    fit.sort((a, b) => ofSet(a) - ofSet(b) || memoryLeft(b) - memoryLeft(a) || a.name.localeCompare(b.name));
    return { set, server: fit[0] };
}

export interface Problem {
    scenario: string;
    podSet: string;
    reason: string;
}

/** Places every pod of every set, largest first; what does not fit is a problem. */
export function placeAll(sets: PodSet[], servers: Server[], scenario = "all servers up"): { placements: Placement[]; problems: Problem[] } {
    const placements: Placement[] = [];
    const problems: Problem[] = [];
    const order = [...sets].sort((a, b) => b.requests.memoryMiB - a.requests.memoryMiB || a.name.localeCompare(b.name));
    for (const set of order) {
        for (let i = 0; i < set.replicas; i++) {
            const placed = placeOne(set, servers, placements);
            if (typeof placed === "string") {
                problems.push({ scenario, podSet: set.name, reason: `pod ${i + 1} of ${set.replicas} stays Pending: ${placed}` });
            } else {
                placements.push(placed);
            }
        }
    }
    return { placements, problems };
}

/**
 * A rolling update of one Deployment from the steady placement, as the Deployment controller
 * runs it: new pods up to replicas + maxSurge in all, old pods down while replicas - maxUnavailable
 * stay available. A rollout that stops making progress is a problem: Pulumi awaits its end.
 */
export function rollout(set: PodSet, servers: Server[], steady: Placement[]): Problem[] {
    const scenario = `rolling update of ${set.name}`;
    if (set.strategy === undefined) {
        return [];
    }
    let placements = [...steady];
    // Old and new pods carry the same labels, so each one's anti-affinity counts the other.
    const newSet: PodSet = { ...set, name: `${set.name} (new)` };
    if (set.strategy === "Recreate") {
        placements = placements.filter((p) => p.set !== set);
        const problems: Problem[] = [];
        for (let i = 0; i < set.replicas; i++) {
            const placed = placeOne(newSet, servers, placements);
            if (typeof placed === "string") {
                problems.push({ scenario, podSet: set.name, reason: `new pod ${i + 1} stays Pending: ${placed}` });
            } else {
                placements.push(placed);
            }
        }
        return problems;
    }
    const { maxSurge, maxUnavailable } = set.strategy;
    if (maxSurge === 0 && maxUnavailable === 0) {
        return [{ scenario, podSet: set.name, reason: "maxSurge and maxUnavailable are both 0: Kubernetes refuses the Deployment" }];
    }
    let pendingNew = 0;
    for (let step = 0; step < 4 * set.replicas + 4; step++) {
        const old = placements.filter((p) => p.set === set).length;
        const fresh = placements.filter((p) => p.set === newSet).length;
        if (old === 0 && fresh === set.replicas) {
            return [];
        }
        // Scale the new pods up within the surge, then try to place every one not yet running.
        pendingNew = Math.max(pendingNew, Math.min(set.replicas, set.replicas + maxSurge - old) - fresh);
        let placedNow = 0;
        for (let i = 0; i < pendingNew; i++) {
            const placed = placeOne(newSet, servers, placements);
            if (typeof placed !== "string") {
                placements.push(placed);
                placedNow++;
            }
        }
        pendingNew -= placedNow;
        // Scale the old pods down as far as availability allows.
        const available = old + fresh + placedNow;
        const removable = Math.min(old, available - (set.replicas - maxUnavailable));
        if (removable > 0) {
            const victims = placements.filter((p) => p.set === set).slice(0, removable);
            placements = placements.filter((p) => !victims.includes(p));
        } else if (placedNow === 0) {
            const why = placeOne(newSet, servers, placements);
            return [{
                scenario, podSet: set.name,
                reason: `stuck with ${old} old and ${fresh} new pods: a new pod stays Pending (${typeof why === "string" ? why : "no room"})`,
            }];
        }
    }
    return [{ scenario, podSet: set.name, reason: "the rollout does not finish" }];
}

/**
 * One server of a node group lost (the one running the most pods): its pods are placed again on
 * the rest. A replicated set may lose one pod until the Auto Scaling group replaces the server;
 * anything else must find room elsewhere, unless no server of its kind is left (then it waits for
 * the replacement, which a one-server group accepts by design). Search pods stay in their zone,
 * with their volume.
 */
export function serverLost(group: string, servers: Server[], steady: Placement[]): Problem[] {
    const ofGroup = servers.filter((s) => s.group === group);
    const lost = [...ofGroup].sort((a, b) => used(b, steady).pods - used(a, steady).pods || a.name.localeCompare(b.name))[0];
    const scenario = `one server of ${group} lost (${lost.name})`;
    const rest = servers.filter((s) => s !== lost);
    let placements = steady.filter((p) => p.server !== lost);
    const problems: Problem[] = [];
    for (const evicted of steady.filter((p) => p.server === lost)) {
        const placed = placeOne(evicted.set, rest, placements, evicted.set.zoneBound ? lost.zone : undefined);
        if (typeof placed !== "string") {
            placements = [...placements, placed];
            continue;
        }
        const running = placements.filter((p) => p.set === evicted.set).length;
        const tolerable = eligible(evicted.set, rest).length === 0 || (evicted.set.replicas > 1 && running >= evicted.set.replicas - 1);
        if (!tolerable) {
            problems.push({ scenario, podSet: evicted.set.name, reason: `a pod cannot be placed again: ${placed}` });
        }
    }
    return problems;
}

/**
 * A Service with `externalTrafficPolicy: Local` answers its load balancers' health checks only on
 * servers that run one of its pods. Every server of the tier must then run one, whatever the
 * scheduler's preferences: required anti-affinity per server and as many pods as servers.
 */
export function serviceCoverage(resources: RecordedResource[], sets: PodSet[], servers: Server[]): Problem[] {
    const problems: Problem[] = [];
    for (const service of resources.filter((r) => r.type === "kubernetes:core/v1:Service")) {
        const spec = (service.inputs as Obj).spec;
        if (spec.externalTrafficPolicy !== "Local" || !spec.selector) {
            continue;
        }
        const scenario = `load balancers of Service ${(service.inputs as Obj).metadata.name}`;
        for (const set of sets.filter((s) => s.kind === "Deployment" && matches(s.labels, spec.selector))) {
            const tierServers = eligible(set, servers).length;
            if (!set.antiAffinity || !matches(set.labels, set.antiAffinity)) {
                problems.push({ scenario, podSet: set.name, reason: "its pods may share a server (no required anti-affinity per server): another server then fails the health check" });
            } else if (set.replicas < tierServers) {
                problems.push({ scenario, podSet: set.name, reason: `${set.replicas} pods for ${tierServers} servers: a server without one fails the health check` });
            }
        }
    }
    return problems;
}

export interface GroupUsage {
    group: string;
    instanceType: string;
    servers: number;
    /** Per server, as the node model gives it. */
    allocatable: ResourcesAndPods;
    /** The busiest server: what its pods request, DaemonSets included. */
    placed: ResourcesAndPods;
    /** What the busiest server has left. */
    headroom: ResourcesAndPods;
}

export interface ScheduleReport {
    problems: Problem[];
    usage: GroupUsage[];
}

/** The whole check over a stack's recorded resources: steady state, every rollout, every server lost. */
export function checkScheduling(resources: RecordedResource[]): ScheduleReport {
    const servers = serversOf(resources);
    const sets = podSetsOf(resources);
    const steady = placeAll(sets, servers);
    const groups = [...new Set(servers.map((s) => s.group))];
    const problems = [...serviceCoverage(resources, sets, servers), ...steady.problems];
    if (steady.problems.length === 0) {
        for (const set of sets) {
            problems.push(...rollout(set, servers, steady.placements));
        }
        for (const group of groups) {
            problems.push(...serverLost(group, servers, steady.placements));
        }
    }
    const usage = groups.map((group) => {
        const mine = servers.filter((s) => s.group === group);
        const busiest = [...mine].sort((a, b) => used(b, steady.placements).memoryMiB - used(a, steady.placements).memoryMiB)[0];
        const taken = used(busiest, steady.placements);
        const { allocatable, daemonSets } = busiest.model;
        const placed = { ...total([taken, daemonSets]), pods: taken.pods + daemonSets.pods };
        return {
            group, instanceType: busiest.model.instance.instanceType, servers: mine.length, allocatable, placed,
            headroom: { cpuMillis: allocatable.cpuMillis - placed.cpuMillis, memoryMiB: allocatable.memoryMiB - placed.memoryMiB, pods: allocatable.pods - placed.pods },
        };
    });
    return { problems, usage };
}
