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
    /** Fixed NodePort the load balancers send requests to. */
    nodePort: number;
    /**
     * Fixed port where kube-proxy answers `/healthz` for the tier: 200 while the server has a
     * ready pod of the tier, 503 once it has none or only terminating ones. Load balancers check
     * it, so a server leaves rotation before its pod stops, not after.
     */
    healthCheckNodePort: number;
    /** The pods' own probe path (what readiness, and so the server's health, rests on). */
    probePath: string;
    exposure: Exposure;
}

/**
 * Fixed node ports come from the static band of the node port range: Kubernetes allocates
 * dynamic ports from the upper band first, so a fixed port there can be taken by any other
 * Service before ours is created (KEP-3668; band = min(max(16, range/32), 128) ports, for
 * 30000-32767 that is 30000-30085). Health check node ports are allocated from the same range.
 */
export const NODE_PORT_STATIC_BAND = [30000, 30085] as const;
export const NODE_PORTS: Record<TierName, number> = { "public-api": 30080, api: 30080, "internal-api": 30081, gui: 30082 };
export const HEALTH_CHECK_NODE_PORTS: Record<TierName, number> = { "public-api": 30083, api: 30083, "internal-api": 30084, gui: 30085 };

export function planTiers(spec: StackSpec): TierPlan[] {
    const api = (name: TierName, role: ApiRole, tier: { instances: number; instanceType: string; workers: number },
        host: string, exposure: Exposure): TierPlan => ({
        name, kind: "api", role, ...tier, host, exposure,
        nodePort: NODE_PORTS[name], healthCheckNodePort: HEALTH_CHECK_NODE_PORTS[name], probePath: "/healthcheck",
    });
    const tiers = spec.internalApi
        ? [
            api("public-api", "collector", spec.publicApi, spec.dns.publicApiHost, "collector"),
            api("internal-api", "gui-api", spec.internalApi, spec.dns.internalApiHost!, "trusted"),
        ]
        : [api("api", "collector-and-gui-api", spec.publicApi, spec.dns.publicApiHost, "collector-and-trusted")];
    tiers.push({
        name: "gui", kind: "gui", ...spec.gui, host: spec.dns.guiHost,
        nodePort: NODE_PORTS.gui, healthCheckNodePort: HEALTH_CHECK_NODE_PORTS.gui, probePath: "/", exposure: "trusted",
    });
    return tiers;
}

/** The API tier the GUI (and the operators' browsers) talk to. */
export function guiApiTier(tiers: TierPlan[]): TierPlan {
    return tiers.find((t) => t.role === "gui-api" || t.role === "collector-and-gui-api")!;
}
