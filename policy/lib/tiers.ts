import type { PolicyResource } from "@pulumi/policy";
import { componentOf, TIER_LABEL } from "./kubernetes";
import { at, clusterOf, record, text } from "./props";
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
export function tiersIn(resources: PolicyResource[]): Set<string> {
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
    return resources.filter((r) => r.type === K8S.deployment && componentOf(r.props) === component);
}

export function replicasOf(deployment: PolicyResource): number {
    const replicas = at(deployment.props, "spec.replicas");
    // Kubernetes runs one replica when the field is unset.
    return typeof replicas === "number" ? replicas : 1;
}

export function instancesOf(resources: PolicyResource[], component: string): number {
    return deploymentsOf(resources, component).reduce((sum, d) => sum + replicasOf(d), 0);
}
