import type { StackPlan } from "./harness";
import type { RecordedResource } from "./mocks";
import type { Verdict } from "./policyRunner";
import { exposureMatrix, renderExposureMatrix } from "../lib/exposure";
import { RELEASES } from "../lib/releases";
import { renderTable } from "../lib/table";
import { Exposure, planTiers, TierName } from "../lib/tiers";
import { awaitVerdicts, AwaitVerdict } from "./awaitRules";
import { dependencyUrns, owningComponent } from "./query";
import { serverGroups } from "./review/servers";
import { mastersAfterZoneLoss } from "./review/zoneLoss";
import { vmUserData } from "./userData";
import { checkScheduling, ScheduleReport } from "./scheduling";

/** The plan as people read it: what runs where, who reaches it, and what gets created. */

export interface TierRow {
    tier: string;
    instances: number;
    instanceType: string;
    /** gunicorn workers per API instance. */
    workers?: number;
    host: string;
    reachableFrom: string;
}

const TIER_LABELS: Record<TierName, string> = {
    "public-api": "public API (collector, EXPOSE_GUI_API=no)",
    "internal-api": "internal API (GUI-facing, EXPOSE_GUI_API=yes)",
    api: "API (collector and GUI-facing)",
    gui: "GUI",
};

export function tierRows(plan: StackPlan): TierRow[] {
    const { spec } = plan;
    const trusted = `trusted networks (${spec.trustedCidrs.join(", ")})`;
    const reach: Record<Exposure, string> = {
        collector: "the Internet, collector paths only",
        trusted,
        "collector-and-trusted": `the Internet for collector paths; ${trusted} for the rest`,
    };
    const rows: TierRow[] = planTiers(spec).map((t) => ({
        tier: TIER_LABELS[t.name], instances: t.instances, instanceType: t.instanceType,
        ...(t.workers === undefined ? {} : { workers: t.workers }), host: t.host, reachableFrom: reach[t.exposure],
    }));
    const es = spec.elasticsearch;
    rows.push(es.provider === "eck"
        ? { tier: `Elasticsearch ${es.version} (ECK)`, instances: es.nodes, instanceType: es.instanceType, host: "(inside the cluster)", reachableFrom: "the API tiers only" }
        : es.provider === "ec2"
            ? { tier: `Elasticsearch ${es.version} (EC2 servers)`, instances: es.nodes, instanceType: es.instanceType, host: "(internal load balancer)", reachableFrom: "the API tiers only" }
            : {
            tier: `Elasticsearch ${es.version} (external)`, instances: es.nodes, instanceType: "-",
            host: es.cloudId ? `Elastic Cloud deployment ${es.cloudId.split(":")[0]}` : (es.hosts ?? []).join(", "), reachableFrom: "(its own network rules)",
        });
    return rows;
}

/** Resource counts per component of ours, in first-registered order. */
export function countsByComponent(resources: RecordedResource[]): Map<string, number> {
    const counts = new Map<string, number>();
    for (const resource of resources) {
        if (!resource.custom) {
            continue;
        }
        const owner = owningComponent(resources, resource);
        const key = owner ? `${owner.name} (${owner.type})` : "(stack)";
        counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return counts;
}

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Groups of servers as created (EKS node groups, or the VM tiers' Auto Scaling groups): tier, instance type, servers, zones. */
export function nodeGroupRows(resources: RecordedResource[]): string[][] {
    return serverGroups(resources).map((g) => {
        const zones = Object.keys(g.perZone);
        return g.kind === "node group"
            ? [g.tier, g.instanceType, String(g.servers), String(zones.length), ((g.resource.inputs as Obj).taints as Obj[]).length ? "tier only" : "any pod"]
            : [g.tier, g.instanceType, String(g.servers), zones.length === 1 ? `1 (${zones[0]})` : String(zones.length),
                g.tier === "workers" ? "workers, install" : g.tier === "search" ? "Elasticsearch node (systemd)" : "tier (systemd)"];
    });
}

/** Deployments as created: replicas, image and the switches that make a tier what it is. */
export function workloadRows(resources: RecordedResource[]): string[][] {
    return resources.filter((r) => r.type === "kubernetes:apps/v1:Deployment").map((r) => {
        const spec = r.inputs.spec as Obj;
        const container = spec.template.spec.containers[0];
        const env = Object.fromEntries(((container.env ?? []) as Obj[]).filter((e) => "value" in e).map((e) => [e.name, e.value]));
        const flags = ["EXPOSE_GUI_API", "PRODUCTION", "WEB_CONCURRENCY"].filter((k) => k in env).map((k) => `${k}=${env[k]}`);
        return [(r.inputs.metadata as Obj).name, String(spec.replicas), container.image, flags.join(" ") || "-"];
    });
}

/** Zones of subnets, by id. */

/**
 * Search on servers of the stack, as created: its nodes per zone, and what losing one zone leaves
 * (a majority of the masters elects; with one replica and zone awareness another zone holds a copy of every shard).
 */
function searchServerRow(resources: RecordedResource[]): string[] | undefined {
    const volumes = resources.filter((r) => r.type === "aws:ebs/volume:Volume" && (r.inputs as Obj).tags?.["tracardi:search-node"]);
    if (volumes.length === 0) {
        return undefined;
    }
    const zones = volumes.map((v) => String((v.inputs as Obj).availabilityZone));
    // Every node is master-eligible: one per volume.
    const perZone: Record<string, number> = {};
    zones.forEach((zone) => (perZone[zone] = (perZone[zone] ?? 0) + 1));
    const { mastersLeft: left, quorum } = mastersAfterZoneLoss({ perZone, mastersPerZone: perZone, masterEligible: volumes.length });
    const script = Object.values(vmUserData(resources)).find((text) => text.includes("/etc/tracardi/elasticsearch.yml")) ?? "";
    const version = /elasticsearch\/elasticsearch:(\S+)/.exec(script)?.[1] ?? "?";
    const policy = JSON.parse(/Environment="POLICY_BODY=(.*)"$/m.exec(script)?.[1].replace(/\\"/g, "\"") ?? "{}");
    return [`Elasticsearch ${version} (EC2, ${volumes.length} servers)`,
        `${(volumes[0].inputs as Obj).size} GiB gp3 per node, one per zone (${zones.join(", ")})`,
        `zone-aware, TLS, internal load balancer; ${policy.schedule ? `snapshots "${policy.schedule}" UTC to S3, kept ${policy.retention.expire_after}` : "no snapshots"}; ` +
        `a zone lost leaves ${left} of ${volumes.length} masters (${quorum ? "quorum kept" : "no quorum: search stops"})${volumes.length > 1 && quorum ? " and a copy of every shard" : ""}`,
        volumes.every((v) => v.protect) ? "protected volumes, final snapshot" : "-"];
}

/** Managed data services as created. */
export function dataRows(resources: RecordedResource[]): string[][] {
    const rows: string[][] = [];
    const servers = searchServerRow(resources);
    if (servers) {
        rows.push(servers);
    }
    for (const r of resources) {
        const inputs = r.inputs as Obj;
        if (r.type === "aws:elasticache/replicationGroup:ReplicationGroup") {
            rows.push(["Redis (ElastiCache)", `${inputs.numCacheClusters} x ${inputs.nodeType}`,
                `failover ${inputs.automaticFailoverEnabled ? "on" : "off"}, encrypted at rest, no TLS (Tracardi's client)`, r.protect ? "protected" : "-"]);
        } else if (r.type === "aws:rds/instance:Instance") {
            rows.push([`MySQL ${inputs.engineVersion} (RDS)`, `${inputs.instanceClass}, ${inputs.allocatedStorage} GiB`,
                `${inputs.multiAz ? "Multi-AZ" : "single zone"}, encrypted, backups ${inputs.backupRetentionPeriod} days`, r.protect ? "protected" : "-"]);
        } else if (r.type === "kubernetes:elasticsearch.k8s.elastic.co/v1:Elasticsearch") {
            const nodeSet = inputs.spec.nodeSets[0];
            const job = resources.find((j) => j.type === "kubernetes:batch/v1:Job" && (j.inputs.metadata as Obj).labels?.["app.kubernetes.io/component"] === "search-snapshots");
            const env = (job?.inputs.spec as Obj | undefined)?.template.spec.containers[0].env as Obj[] | undefined;
            const policy = JSON.parse(env?.find((e) => e.name === "POLICY_BODY")?.value ?? "{}");
            rows.push([`Elasticsearch ${inputs.spec.version} (ECK ${nodeSet.count} nodes)`,
                `${nodeSet.volumeClaimTemplates[0].spec.resources.requests.storage} ${nodeSet.volumeClaimTemplates[0].spec.storageClassName} per node`,
                `zone-aware (${nodeSet.config["cluster.routing.allocation.awareness.attributes"]}), TLS, ` +
                (policy.schedule ? `snapshots "${policy.schedule}" UTC to S3, kept ${policy.retention.expire_after}` : "no snapshots"),
                r.protect ? `protected, volumes kept (${inputs.spec.volumeClaimDeletePolicy})` : "-"]);
        }
    }
    return rows;
}

/** What the real engines would do with the stack: the scheduling check and the await rules over its resources. */
export interface EngineReport {
    scheduling: ScheduleReport;
    awaits: AwaitVerdict[];
    /** Everything that would stop `pulumi up` or leave pods Pending, in words. */
    problems: string[];
}

export function engineReport(plan: StackPlan): EngineReport {
    const scheduling = checkScheduling(plan.resources);
    const awaits = awaitVerdicts({ resources: plan.resources, scheduling: scheduling.problems });
    return {
        scheduling, awaits,
        problems: [
            ...scheduling.problems.map((p) => `${p.scenario}: ${p.podSet}: ${p.reason}`),
            ...awaits.filter((a) => a.problem).map((a) => `${a.resource} (${a.type}) awaits ${a.awaits}: ${a.problem}`),
        ],
    };
}

const cpuMem = (r: { cpuMillis: number; memoryMiB: number; pods: number }) => `${r.cpuMillis}m, ${r.memoryMiB} MiB, ${r.pods} pods`;

/** Per node group: what a server offers pods, what the busiest one runs (DaemonSets included), what is left. */
function renderEngineReport(report: EngineReport): string {
    return [
        renderTable([["node group", "type", "servers", "allocatable per server", "placed (busiest server)", "headroom"],
            ...report.scheduling.usage.map((u) => [u.group, u.instanceType, String(u.servers), cpuMem(u.allocatable), cpuMem(u.placed), cpuMem(u.headroom)])]),
        report.problems.length === 0
            ? `Engines: every pod fits (all servers up, each rollout, any one server lost); ` +
              `${report.awaits.filter((a) => a.providedBy !== "-").length} of ${report.awaits.length} Kubernetes objects and Auto Scaling groups are awaited, each by a condition the stack provides`
            : `Engines: ${report.problems.length} problem(s) that would stop \`pulumi up\` or leave pods Pending:\n${report.problems.map((p) => `  - ${p}`).join("\n")}`,
    ].join("\n");
}

export function renderPlan(plan: StackPlan, engines = engineReport(plan)): string {
    const { spec } = plan;
    const tiers = tierRows(plan);
    const counts = countsByComponent(plan.resources);
    const custom = plan.resources.filter((r) => r.custom).length;
    return [
        `Stack ${plan.stack}: Tracardi ${spec.version} (database ${RELEASES[spec.version].databaseVersion}), ${spec.profile} profile, ${spec.compute} compute, ` +
        `${spec.network.availabilityZones} availability zones, ${spec.loadBalancers.perCluster} load balancer(s) per cluster`,
        ...(spec.upgradeFrom ? [`Migration declared from ${spec.upgradeFrom} (database ${RELEASES[spec.upgradeFrom].databaseVersion}): ` +
            "the database version guard is off; remove tracardi:upgradeFrom once the data is migrated"] : []),
        "",
        renderTable([["tier", "instances", "instance type", "host", "reachable from"],
            ...tiers.map((t) => [t.tier, String(t.instances), t.instanceType, t.host, t.reachableFrom])]),
        "",
        renderTable([["node group", "instance type", "servers", "zones", "runs"], ...nodeGroupRows(plan.resources)]),
        "",
        renderTable([["workload", "replicas", "image", "switches"], ...workloadRows(plan.resources)]),
        "",
        renderTable([["data service", "size", "resilience", "deletion"], ...dataRows(plan.resources)]),
        "",
        renderEngineReport(engines),
        "",
        renderExposureMatrix(exposureMatrix(planTiers(spec), spec.trustedCidrs,
            { widget: spec.loadBalancers.widgetPaths, consent: spec.loadBalancers.consentPaths }), spec.trustedCidrs),
        "",
        renderTable([["component", "resources"], ...[...counts].map(([k, n]) => [k, String(n)])]),
        `${custom} cloud resources in ${plan.resources.length - custom} components`,
    ].join("\n");
}

/**
 * plan/<stack>/resources.json: every resource with its parent's name, the names of the resources it
 * depends on (dependsOn and the resources its inputs were built from) and its inputs, for review and diffing.
 */
export function planDocument(plan: StackPlan, verdicts: Verdict[] = [], engines = engineReport(plan)): unknown {
    const names = new Map(plan.resources.map((r) => [r.urn, r.name]));
    const dependencies = (r: RecordedResource) => {
        const found = [...new Set(dependencyUrns(r))]
            .map((urn) => names.get(urn)).filter((name): name is string => name !== undefined).sort();
        return found.length ? found : undefined;
    };
    return {
        stack: plan.stack,
        spec: plan.spec,
        policies: verdicts,
        engines: { problems: engines.problems, nodeGroups: engines.scheduling.usage, awaits: engines.awaits },
        resources: plan.resources.map((r) => ({
            type: r.type,
            name: r.name,
            parent: r.parent ? names.get(r.parent) : undefined,
            dependencies: dependencies(r),
            protect: r.protect || undefined,
            retainOnDelete: r.retainOnDelete || undefined,
            secretInputs: r.secretInputs.length ? r.secretInputs : undefined,
            inputs: r.inputs,
        })),
    };
}
