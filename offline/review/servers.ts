import type { RecordedResource } from "../mocks";
import { TIER_LABEL } from "../../lib/manifests";
import { TIER_TAG } from "../../lib/tags";
import { decodeUserData } from "../userData";

/** The groups of servers a stack starts, read from its recorded resources: what capacity and zone loss reason about. */

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The tiers that serve collection from the Internet: the public API, or the one API of a minimal stack. */
export const COLLECTOR_TIERS = ["public-api", "api"];

export interface ServerGroup {
    /** The tier the group serves (`tracardi.io/tier` label of a node group, `tracardi:tier` tag of an Auto Scaling group). */
    tier: string;
    name: string;
    kind: "node group" | "auto scaling group";
    instanceType: string;
    servers: number;
    /** Servers per zone, zones in name order. */
    perZone: Record<string, number>;
    /** The servers' user data as they run it (Auto Scaling groups only). */
    userData?: string;
    /** The group as recorded, its subnets and the security groups its launch template gives its servers. */
    resource: RecordedResource;
    subnetIds: string[];
    securityGroupIds: string[];
}

/**
 * `servers` over `zones` as EC2 Auto Scaling balances them (managed node groups are Auto Scaling groups
 * too; the EC2 Auto Scaling user guide: a group keeps its instances balanced evenly across its zones):
 * the first zones take one more when they do not divide.
 */
export function spreadOverZones(servers: number, zones: string[]): Record<string, number> {
    const sorted = [...new Set(zones)].sort();
    return Object.fromEntries(sorted.map((zone, i) => [zone, Math.floor(servers / sorted.length) + (i < servers % sorted.length ? 1 : 0)]));
}

/** Subnet id -> availability zone. */
export function subnetZones(resources: RecordedResource[]): Map<string, string> {
    return new Map(resources.filter((r) => r.type === "aws:ec2/subnet:Subnet").map((r) => [r.id, String(r.inputs.availabilityZone)]));
}

const zonesOf = (subnets: Map<string, string>, ids: string[]) => ids.map((id) => subnets.get(id) ?? `(subnet ${id})`);

const templateSecurityGroups = (template: Obj | undefined): string[] => [
    ...(template?.vpcSecurityGroupIds ?? []), ...((template?.networkInterfaces ?? []) as Obj[]).flatMap((n) => n.securityGroups ?? []),
];

export function serverGroups(resources: RecordedResource[]): ServerGroup[] {
    const subnets = subnetZones(resources);
    const templates = new Map(resources.filter((r) => r.type === "aws:ec2/launchTemplate:LaunchTemplate").map((t) => [t.id, t.inputs as Obj]));
    return resources.flatMap((r): ServerGroup[] => {
        const inputs = r.inputs as Obj;
        const template = templates.get(inputs.launchTemplate?.id);
        const known = { resource: r, name: r.name, securityGroupIds: templateSecurityGroups(template) };
        if (r.type === "aws:eks/nodeGroup:NodeGroup") {
            const servers = Number(inputs.scalingConfig.desiredSize);
            return [{
                ...known, tier: inputs.labels?.[TIER_LABEL] ?? r.name, kind: "node group", instanceType: (inputs.instanceTypes ?? [template?.instanceType]).join(","),
                servers, subnetIds: inputs.subnetIds, perZone: spreadOverZones(servers, zonesOf(subnets, inputs.subnetIds)),
            }];
        }
        if (r.type === "aws:autoscaling/group:Group") {
            const servers = Number(inputs.desiredCapacity ?? inputs.minSize);
            const subnetIds: string[] = inputs.vpcZoneIdentifiers ?? [];
            return [{
                ...known, tier: (inputs.tags as Obj[] | undefined)?.find((t) => t.key === TIER_TAG)?.value ?? r.name, kind: "auto scaling group",
                instanceType: template?.instanceType ?? "-", servers, subnetIds, perZone: spreadOverZones(servers, zonesOf(subnets, subnetIds)),
                ...(template?.userData === undefined ? {} : { userData: decodeUserData(String(template.userData)) }),
            }];
        }
        return [];
    });
}

/** Zones that have at least one of the groups' servers, with their counts summed. */
export function serversPerZone(groups: ServerGroup[]): Record<string, number> {
    const total: Record<string, number> = {};
    for (const group of groups) {
        for (const [zone, n] of Object.entries(group.perZone)) {
            total[zone] = (total[zone] ?? 0) + n;
        }
    }
    return Object.fromEntries(Object.entries(total).sort(([a], [b]) => a.localeCompare(b)));
}

/** A plain environment value a tier's containers get: from its Deployment's env (EKS) or its servers' user data (VM). */
export function envValue(resources: RecordedResource[], groups: ServerGroup[], tier: string, name: string): string | undefined {
    const deployment = resources.find((r) => r.type === "kubernetes:apps/v1:Deployment" &&
        (r.inputs.metadata as Obj)?.labels?.["app.kubernetes.io/component"] === tier);
    if (deployment) {
        const container = (deployment.inputs.spec as Obj).template.spec.containers[0];
        return ((container.env ?? []) as Obj[]).find((e) => e.name === name && "value" in e)?.value;
    }
    const userData = groups.find((g) => g.tier === tier)?.userData;
    return userData?.match(new RegExp(`^${name}=(.*)$`, "m"))?.[1];
}
