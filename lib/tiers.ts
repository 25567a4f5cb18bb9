import type { StackSpec } from "../stacks/schema";
import type { ApiRole } from "./tracardiEnv";

/** The clusters of servers a stack runs, derived from its spec. */

export type TierName = "public-api" | "internal-api" | "api" | "gui";

/** Who may reach a tier through its load balancers. */
export type Exposure = "collector" | "trusted" | "collector-and-trusted";

export interface TierPlan {
    name: TierName;
    kind: "api" | "gui";
    /** API tiers only. */
    role?: ApiRole;
    instances: number;
    instanceType: string;
    /** gunicorn workers per API instance. */
    workers?: number;
    host: string;
    /** The pods' own probe path (what readiness, and so the server's health, rests on). */
    probePath: string;
    exposure: Exposure;
}

/**
 * How a tier's servers serve its load balancers, whatever runs on them: the port requests go to,
 * and the health check that says whether a server should get them. Compute provides it; the edge
 * consumes it.
 */
export interface TierServing {
    port: number;
    /** Seconds between checks, per check and failed checks in a row before a server leaves. @default 5, 2, 2 */
    healthCheck: { port: number; path: string; intervalSeconds?: number; timeoutSeconds?: number; unhealthyThreshold?: number };
}

export function planTiers(spec: StackSpec): TierPlan[] {
    const api = (name: TierName, role: ApiRole, tier: { instances: number; instanceType: string; workers: number },
        host: string, exposure: Exposure): TierPlan => ({
        name, kind: "api", role, ...tier, host, exposure, probePath: "/healthcheck",
    });
    const tiers = spec.internalApi
        ? [
            api("public-api", "collector", spec.publicApi, spec.dns.publicApiHost, "collector"),
            api("internal-api", "gui-api", spec.internalApi, spec.dns.internalApiHost!, "trusted"),
        ]
        : [api("api", "collector-and-gui-api", spec.publicApi, spec.dns.publicApiHost, "collector-and-trusted")];
    tiers.push({
        name: "gui", kind: "gui", ...spec.gui, host: spec.dns.guiHost, probePath: "/", exposure: "trusted",
    });
    return tiers;
}

/** The API tier the GUI (and the operators' browsers) talk to. */
export function guiApiTier(tiers: TierPlan[]): TierPlan {
    return tiers.find((t) => t.role === "gui-api" || t.role === "collector-and-gui-api")!;
}
