import { renderTable } from "./table";
import type { Exposure, TierName } from "./tiers";

/**
 * Who reaches which paths of each cluster through its load balancers: the collector allow-list,
 * the HTTPS listener rules that enforce it, and the exposure matrix the plan shows. The matrix is
 * computed by evaluating the rendered rules, so it describes what the load balancers will do.
 */

export const PATH_CLASSES = ["collector", "widget", "consent", "other"] as const;
export type PathClass = (typeof PATH_CLASSES)[number];

/** Who can reach a path class: anyone, only the trusted networks, or nobody (404 at the load balancer). */
export type Reach = "internet" | "trusted" | "nobody";

/** Optional public paths, off unless the customer uses Tracardi's widgets or consent forms. */
export interface OptionalCollectorPaths {
    /** `/uix/*`: widget bundles served by the API. @default false */
    widget?: boolean;
    /** `GET /consents/type/enabled`, `POST /customer/consent`. @default false */
    consent?: boolean;
}

interface PathClassInfo {
    /** ALB path patterns (case-sensitive; `*` matches any run of characters). */
    patterns: string[];
    /** Paths a request of this class may carry: the matrix checks each against the rules. */
    samples: string[];
    description: string;
}

// The exact paths are safe without method conditions: the API defines only the listed method on
// each, and a method condition would have to admit the browsers' CORS preflight (OPTIONS) anyway.
export const PATH_CLASS_INFO: Record<PathClass, PathClassInfo> = {
    collector: {
        patterns: ["/track", "/tracker/*", "/collect/*", "/redirect/*"],
        samples: ["/track", "/tracker/liliput.min.js", "/collect/page-view/source-1/session-1", "/redirect/abc"],
        description: "/track, /tracker/*, /collect/*, /redirect/*",
    },
    widget: {
        patterns: ["/uix/*"],
        samples: ["/uix/consent/index.js"],
        description: "/uix/*",
    },
    consent: {
        patterns: ["/consents/type/enabled", "/customer/consent"],
        samples: ["/consents/type/enabled", "/customer/consent"],
        description: "GET /consents/type/enabled, POST /customer/consent",
    },
    other: {
        patterns: [],
        samples: ["/install", "/event/logs/1", "/node/logs/1", "/flow/logs/1", "/user/token", "/healthcheck", "/", "/docs",
            "/tracker", "/track/x", "/uix"],
        description: "everything else: /install, /event|node|flow/logs/*, the GUI API, /healthcheck, docs",
    },
};

/** The classes of public paths the Internet-facing load balancers forward. */
export function publicPathClasses(optional: OptionalCollectorPaths = {}): PathClass[] {
    return (["collector", "widget", "consent"] as const).filter((c) => c === "collector" || optional[c] === true);
}

/** The public allow-list as ALB path patterns. */
export function publicPathPatterns(optional: OptionalCollectorPaths = {}): string[] {
    return publicPathClasses(optional).flatMap((c) => PATH_CLASS_INFO[c].patterns);
}

/**
 * ALB quota "condition values per rule": at most 5 values across all conditions of a rule (and at
 * most 5 wildcards). A rule here carries either paths or source networks, never both.
 */
export const MAX_CONDITION_VALUES = 5;

export function chunk<T>(items: readonly T[], size: number): T[][] {
    if (!Number.isInteger(size) || size < 1) {
        throw new Error(`chunk size must be a positive integer, got ${size}`);
    }
    const chunks: T[][] = [];
    for (let i = 0; i < items.length; i += size) {
        chunks.push(items.slice(i, i + size));
    }
    return chunks;
}

/** One HTTPS listener rule; every rule forwards to the tier's target group. */
export interface RulePlan {
    priority: number;
    /** Matches any of these paths (absent: any path). */
    pathPatterns?: string[];
    /** Matches clients in any of these networks (absent: any client). */
    sourceIps?: string[];
}

/** Priorities of the first public-path rule and of the first trusted-network rule. */
export const PUBLIC_RULE_PRIORITY = 10;
export const TRUSTED_RULE_PRIORITY = 100;

export const IPV4_ANYWHERE = "0.0.0.0/0";
export const IPV6_ANYWHERE = "::/0";

/** Whether the tier's load-balancer security group admits the whole Internet. */
export function openToInternet(exposure: Exposure): boolean {
    return exposure !== "trusted";
}

/** Networks the load-balancer security group admits on ports 80 and 443. */
export function loadBalancerIngressCidrs(exposure: Exposure, trustedCidrs: string[]): string[] {
    return openToInternet(exposure) ? [IPV4_ANYWHERE, IPV6_ANYWHERE] : [...trustedCidrs];
}

/**
 * The HTTPS listener rules of a tier, in priority order; whatever they do not match gets the
 * listener's fixed 404. Public paths are open to all clients; the trusted networks reach every
 * path. Trusted tiers repeat in their rules what their security group already enforces.
 */
export function listenerRules(exposure: Exposure, trustedCidrs: string[], optional: OptionalCollectorPaths = {}): RulePlan[] {
    const rules: RulePlan[] = [];
    if (exposure !== "trusted") {
        chunk(publicPathPatterns(optional), MAX_CONDITION_VALUES).forEach((pathPatterns, i) =>
            rules.push({ priority: PUBLIC_RULE_PRIORITY + i, pathPatterns }));
    }
    if (exposure !== "collector") {
        if (trustedCidrs.length === 0) {
            throw new Error(`a tier exposed as "${exposure}" needs at least one trusted network`);
        }
        chunk(trustedCidrs, MAX_CONDITION_VALUES).forEach((sourceIps, i) =>
            rules.push({ priority: TRUSTED_RULE_PRIORITY + i, sourceIps }));
    }
    return rules;
}

/** ALB path-pattern semantics: case-sensitive, `*` any run of characters, `?` exactly one. */
export function pathPatternMatches(pattern: string, path: string): boolean {
    const re = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
    return new RegExp(`^${re}$`).test(path);
}

/**
 * Whether a request gets past the rules to the servers: some rule matches its path and its
 * client, who is on the Internet (no source) or inside the trusted network `source`.
 */
export function isForwarded(rules: RulePlan[], path: string, source?: string): boolean {
    return rules.some((rule) =>
        (!rule.pathPatterns || rule.pathPatterns.some((p) => pathPatternMatches(p, path))) &&
        (!rule.sourceIps || (source !== undefined && rule.sourceIps.includes(source))));
}

export interface ExposureTier {
    name: TierName;
    exposure: Exposure;
    /** An internal load balancer: reachable only through the VPC. @default false */
    internal?: boolean;
}

export interface ExposureRow {
    cluster: TierName;
    internal: boolean;
    reach: Record<PathClass, Reach>;
}

/**
 * For each cluster and path class, the widest reach any request of the class gets: the
 * security group and the listener rules together, evaluated for an Internet client and for a
 * client in each trusted network.
 */
export function exposureMatrix(tiers: ExposureTier[], trustedCidrs: string[], optional: OptionalCollectorPaths = {}): ExposureRow[] {
    return tiers.map((tier) => {
        const rules = listenerRules(tier.exposure, trustedCidrs, optional);
        const internetAdmitted = openToInternet(tier.exposure) && !tier.internal;
        const reaches = (cls: PathClass, source?: string) => PATH_CLASS_INFO[cls].samples.some((p) => isForwarded(rules, p, source));
        const reach = Object.fromEntries(PATH_CLASSES.map((cls): [PathClass, Reach] => {
            if (internetAdmitted && reaches(cls)) {
                return [cls, "internet"];
            }
            return [cls, trustedCidrs.some((cidr) => reaches(cls, cidr)) ? "trusted" : "nobody"];
        })) as Record<PathClass, Reach>;
        return { cluster: tier.name, internal: tier.internal === true, reach };
    });
}

/** The matrix as the offline plan prints it. */
export function renderExposureMatrix(rows: ExposureRow[], trustedCidrs: string[]): string {
    return [
        "Exposure: who reaches each path class through the load balancers",
        renderTable([["cluster", ...PATH_CLASSES], ...rows.map((r) =>
            [r.internal ? `${r.cluster} (internal LB)` : r.cluster, ...PATH_CLASSES.map((c) => r.reach[c])])]),
        ...PATH_CLASSES.map((c) => `  ${c}: ${PATH_CLASS_INFO[c].description}`),
        `  internet: anyone; trusted: only ${trustedCidrs.join(", ")}; nobody: 404 at the load balancer`,
    ].join("\n");
}
