import type { PolicyResource } from "@pulumi/policy";
import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import { componentOf, TIER_LABEL } from "./kubernetes";
import { at, clusterOf, ofTypes, record, text } from "./props";
import { AWS, K8S } from "./types";

/**
 * The seed's clusters as the pack recognises them, and which profile a stack follows.
 *
 * The profile is read from the stack itself: a stack whose only API tier is `api` (a Deployment
 * labelled app.kubernetes.io/component=api, a node group labelled tracardi.io/tier=api or a load
 * balancer tagged tracardi:cluster=api) is a minimal-profile stack and gets the small-stack
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

/** Tier names the stack mentions, from workloads, node groups and load balancers. */
function tiersIn(resources: PolicyResource[]): Set<string> {
    const names = new Set<string>();
    for (const r of resources) {
        const name = r.type === K8S.deployment ? componentOf(r.props)
            : r.type === AWS.nodeGroup ? tierOfNodeGroup(r.props)
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

function replicasOf(deployment: PolicyResource): number {
    const replicas = at(deployment.props, "spec.replicas");
    // Kubernetes runs one replica when the field is unset.
    return typeof replicas === "number" ? replicas : 1;
}

export function instancesOf(resources: PolicyResource[], component: string): number {
    return deploymentsOf(resources, component).reduce((sum, d) => sum + replicasOf(d), 0);
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
