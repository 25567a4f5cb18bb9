import type { PolicyResource } from "@pulumi/policy";
import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import { componentOf, containersOf, isApiContainer, podSpecOf, TIER_LABEL } from "./kubernetes";
import { at, clusterOf, describe, known, ofTypes, Plain, record, records, tagsOf, text, texts, TIER_TAG } from "./props";
import { AWS, K8S, SECURITY_GROUPS } from "./types";
import { serverContainers } from "./userData";

/**
 * The seed's clusters as the pack recognises them, and which profile a stack follows.
 *
 * A tier runs on either compute: on EKS as Deployments (label app.kubernetes.io/component) on node
 * groups (label tracardi.io/tier); on servers without Kubernetes as Auto Scaling groups tagged
 * tracardi:tier, one instance per server, whose launch templates' user data runs the containers.
 *
 * The profile is read from the stack itself: a stack whose only API tier is `api` (a Deployment
 * labelled app.kubernetes.io/component=api, a node group labelled tracardi.io/tier=api, an Auto
 * Scaling group tagged tracardi:tier=api or a load balancer tagged tracardi:tier=api) is a
 * minimal-profile stack and gets the small-stack
 * thresholds; every other stack, including one with no tiers at all, is held to production.
 * Only the program decides tier names, so a stack file cannot talk its way into the small limits.
 */

export type Profile = "production" | "minimal";

export const API_TIERS = ["public-api", "internal-api", "api"];

export const CLUSTERS: Record<Profile, string[]> = {
    production: ["public-api", "internal-api", "gui"],
    minimal: ["api", "gui"],
};

/** The stack config key (under `tracardi:`) that sizes each tier. */
export const TIER_KEYS: Record<string, string> = {
    "public-api": "publicApi", "internal-api": "internalApi", api: "publicApi", gui: "gui",
};

export function tierOfNodeGroup(props: Record<string, unknown>): string | undefined {
    return text(record(props.labels)[TIER_LABEL]);
}

/** Tag that names the tier of an Auto Scaling group (and of its servers, launch template and security group). */
export { TIER_TAG };

/** An Auto Scaling group's tags: the `tags` list of { key, value, propagateAtLaunch } (or a map, as other resources have). */
function groupTagsOf(props: Plain): Record<string, string> {
    const listed = [...records(props.tags), ...records(props.tag)]
        .filter((t) => typeof t.key === "string" && typeof t.value === "string")
        .map((t) => [t.key, t.value] as [string, string]);
    return { ...tagsOf(props), ...Object.fromEntries(listed) };
}

function tierOfAutoScalingGroup(props: Plain): string | undefined {
    return groupTagsOf(props)[TIER_TAG];
}

/** The Auto Scaling groups of one tier (tag tracardi:tier). */
export function autoScalingGroupsOf(resources: PolicyResource[], tier: string): PolicyResource[] {
    return ofTypes(resources, AWS.autoScalingGroup).filter((g) => tierOfAutoScalingGroup(g.props) === tier);
}

/**
 * Servers an Auto Scaling group keeps in service: its desired capacity, but no more than its
 * minimum, since scaling in may take it down to that (AWS starts a group without a desired
 * capacity at its minimum).
 */
function serversOfGroup(group: PolicyResource): number {
    const sizes = [group.props.desiredCapacity, group.props.minSize].filter((n): n is number => typeof n === "number");
    return sizes.length === 0 ? 0 : Math.min(...sizes);
}

/** The launch template an Auto Scaling group launches from: a dependency, or the one its id or name names. */
function launchTemplatesOfGroup(resources: PolicyResource[], group: PolicyResource): PolicyResource[] {
    const spec = record(group.props.launchTemplate);
    const mixed = record(at(group.props, "mixedInstancesPolicy.launchTemplate.launchTemplateSpecification"));
    const ids = [known(() => text(spec.id)), known(() => text(mixed.launchTemplateId))].filter((v): v is string => !!v);
    const names = [known(() => text(spec.name)), known(() => text(mixed.launchTemplateName))].filter((v): v is string => !!v);
    return ofTypes(resources, AWS.launchTemplate).filter((lt) => {
        const id = known(() => text(lt.props.id));
        const name = known(() => text(lt.props.name));
        return group.dependencies.some((d) => d.urn === lt.urn) ||
            (id !== undefined && ids.includes(id)) || (name !== undefined && names.includes(name));
    });
}

/** Security groups a launch template gives its servers (ids). */
function securityGroupsOfTemplate(template: PolicyResource): string[] {
    return known(() => [...texts(template.props.vpcSecurityGroupIds), ...texts(template.props.securityGroupIds),
        ...records(template.props.networkInterfaces).flatMap((n) => texts(n.securityGroups))]) ?? [];
}

/** The tier a security group belongs to: its tracardi:tier tag, or the program's name for it (Name tracardi-<tier>-nodes). */
function tierOfSecurityGroup(props: Plain): string | undefined {
    const tags = tagsOf(props);
    return tags[TIER_TAG] ?? /^tracardi-(.+)-nodes$/.exec(tags.Name ?? "")?.[1];
}

/**
 * Security groups (ids) of one tier's servers: those the launch templates of its node groups and
 * Auto Scaling groups attach, and the groups tagged as the tier's (tracardi:tier, or Name
 * tracardi-<tier>-nodes as the program names them on either compute).
 */
export function serverSecurityGroupsOf(resources: PolicyResource[], tier: string): Set<string> {
    const ids = new Set<string>();
    const templates = [
        ...ofTypes(resources, AWS.nodeGroup).filter((g) => tierOfNodeGroup(g.props) === tier)
            .flatMap((g) => ofTypes(g.dependencies, AWS.launchTemplate)),
        ...autoScalingGroupsOf(resources, tier).flatMap((g) => launchTemplatesOfGroup(resources, g)),
    ];
    templates.flatMap(securityGroupsOfTemplate).forEach((id) => ids.add(id));
    for (const group of ofTypes(resources, ...SECURITY_GROUPS).filter((g) => tierOfSecurityGroup(g.props) === tier)) {
        const id = known(() => text(group.props.id));
        if (id) {
            ids.add(id);
        }
    }
    return ids;
}

/** Tier names the stack mentions, from workloads, node groups, Auto Scaling groups and load balancers. */
function tiersIn(resources: PolicyResource[]): Set<string> {
    const names = new Set<string>();
    for (const r of resources) {
        const name = r.type === K8S.deployment ? componentOf(r.props)
            : r.type === AWS.nodeGroup ? tierOfNodeGroup(r.props)
                : r.type === AWS.autoScalingGroup ? tierOfAutoScalingGroup(r.props)
                    : r.type === AWS.loadBalancer ? clusterOf(r.props) : undefined;
        if (name) {
            names.add(name);
        }
    }
    return names;
}

export function profileOf(resources: PolicyResource[]): Profile {
    const apis = [...tiersIn(resources)].filter((t) => API_TIERS.includes(t));
    return apis.length === 1 && apis[0] === "api" ? "minimal" : "production";
}

/** The Deployments of one component (tier). */
export function deploymentsOf(resources: PolicyResource[], component: string): PolicyResource[] {
    return ofTypes(resources, K8S.deployment).filter((r) => componentOf(r.props) === component);
}

export function replicasOf(deployment: PolicyResource): number {
    const replicas = at(deployment.props, "spec.replicas");
    // Kubernetes runs one replica when the field is unset.
    return typeof replicas === "number" ? replicas : 1;
}

/** Instances of a tier: its Deployments' replicas on EKS, its Auto Scaling groups' servers without Kubernetes. */
export function instancesOf(resources: PolicyResource[], tier: string): number {
    return deploymentsOf(resources, tier).reduce((sum, d) => sum + replicasOf(d), 0) +
        autoScalingGroupsOf(resources, tier).reduce((sum, g) => sum + serversOfGroup(g), 0);
}

/** Whether the stack runs the tier on either compute. */
export function runsTier(resources: PolicyResource[], tier: string): boolean {
    return deploymentsOf(resources, tier).length + autoScalingGroupsOf(resources, tier).length > 0;
}

/** What runs a tier's containers, and the containers (Kubernetes container shape, see lib/userData.ts). */
export interface TierRunner {
    resource: PolicyResource;
    /** "Deployment public-api", "Auto Scaling group tracardi-vm-public-api-asg (launch template tracardi-vm-public-api-lt)". */
    label: string;
    /** Undefined while unknown (a preview) or when the pack cannot read them. */
    containers: Plain[] | undefined;
    /** How a container's environment is set, for messages. */
    compute: "eks" | "vm";
}

/** Each Auto Scaling group of a tier with each launch template it launches from; a group with none, alone. */
export function groupTemplatesOf(resources: PolicyResource[], tier: string): { group: PolicyResource; template?: PolicyResource }[] {
    return autoScalingGroupsOf(resources, tier).flatMap((group) => {
        const templates = launchTemplatesOfGroup(resources, group);
        return templates.length === 0 ? [{ group }] : templates.map((template) => ({ group, template }));
    });
}

/** Every runner of a tier: its Deployments, and each launch template of its Auto Scaling groups (a group with none is a runner without containers). */
export function runnersOf(resources: PolicyResource[], tier: string): TierRunner[] {
    return [
        ...deploymentsOf(resources, tier).map((d): TierRunner => ({
            resource: d, label: describe(d), containers: containersOf(podSpecOf(d.type, d.props)), compute: "eks",
        })),
        ...groupTemplatesOf(resources, tier).map(({ group, template }): TierRunner => (template
            ? {
                resource: group, label: `Auto Scaling group ${group.name} (launch template ${template.name})`,
                containers: serverContainers(template.type, template.props), compute: "vm",
            }
            : { resource: group, label: `Auto Scaling group ${group.name}`, containers: [], compute: "vm" })),
    ];
}

/** The Tracardi API containers of a runner. */
export function apiContainersOf(runner: TierRunner): Plain[] {
    return (runner.containers ?? []).filter(isApiContainer);
}

/** Zones of the subnets an Auto Scaling group launches into (those whose ids are known). */
export function zonesOfGroup(resources: PolicyResource[], group: PolicyResource): Set<string> {
    const ids = known(() => texts(group.props.vpcZoneIdentifiers)) ?? [];
    return new Set(ofTypes(resources, AWS.subnet)
        .filter((s) => ids.includes(known(() => text(s.props.id)) ?? ""))
        .map((s) => text(s.props.availabilityZone)).filter((z): z is string => !!z));
}

/** Zones the stack's subnets span: where its nodes, and so its search nodes, can run. */
export function zonesOf(resources: PolicyResource[]): Set<string> {
    return new Set(ofTypes(resources, AWS.subnet).map((s) => text(s.props.availabilityZone)).filter((z): z is string => !!z));
}

const smallName = (name: string) => `small${name[0].toUpperCase()}${name.slice(1)}`;

/**
 * A threshold's two config properties: `name` for production and `small<Name>` for a
 * minimal-profile stack. `smallWhat` describes the small one when it is not `what` itself.
 */
export function thresholds(name: string, production: number, small: number, what: string,
    smallWhat = what): Record<string, PolicyConfigJSONSchema> {
    return {
        [name]: { type: "integer", minimum: 1, default: production, description: `${what} (production).` },
        [smallName(name)]: { type: "integer", minimum: 1, default: small, description: `${smallWhat} in a minimal-profile stack.` },
    };
}

/** The threshold of the stack's profile, from a policy's settings(). */
export function thresholdOf(config: Record<string, number>, name: string, profile: Profile): number {
    return config[profile === "minimal" ? smallName(name) : name];
}
