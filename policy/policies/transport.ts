import type { ResourceValidationPolicy } from "@pulumi/policy";
import { at, clusterOf, forTypes, record, records, settings, text } from "../lib/props";
import { SEARCH_TIER } from "../lib/search";
import { AWS } from "../lib/types";

/** How clients reach the load balancers: HTTPS with a current TLS policy; plain HTTP only redirects. */

/** TLS 1.2 minimum with TLS 1.3, without the Ext policies' legacy ciphers; FIPS and post-quantum variants. */
const MODERN_TLS_POLICIES = [
    "ELBSecurityPolicy-TLS13-1-2-2021-06",
    "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
    "ELBSecurityPolicy-TLS13-1-3-2021-06",
    "ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04",
    "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-2023-04",
    "ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04",
    "ELBSecurityPolicy-TLS13-1-2-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-3-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-2-FIPS-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-3-FIPS-PQ-2025-09",
];

const TLS_PROTOCOLS = ["HTTPS", "TLS"];

export const modernTls: ResourceValidationPolicy = {
    name: "tracardi-modern-tls",
    description: "HTTPS (and TLS) listeners name a current TLS security policy and a certificate.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            allowedSslPolicies: {
                type: "array", items: { type: "string" }, default: MODERN_TLS_POLICIES,
                description: "Security policies an HTTPS listener may use.",
            },
        },
    },
    validateResource: forTypes([AWS.listener], (props, args, report) => {
        const { allowedSslPolicies } = settings<{ allowedSslPolicies: string[] }>(modernTls.configSchema!, args);
        const protocol = String(props.protocol ?? "HTTP").toUpperCase();
        if (!TLS_PROTOCOLS.includes(protocol)) {
            return;
        }
        const policy = text(props.sslPolicy);
        if (!policy || !allowedSslPolicies.includes(policy)) {
            const given = policy ? `uses ${policy}` : "leaves sslPolicy unset, so AWS applies ELBSecurityPolicy-2016-08 (TLS 1.0)";
            report(`${protocol} listener ${args.name} ${given}: set sslPolicy to ELBSecurityPolicy-TLS13-1-2-2021-06 ` +
                "(or another TLS 1.2+/1.3 policy in the pack's allowedSslPolicies)");
        }
        // `in`, not a read: a certificate validated in the same update is unknown during a preview.
        if (!("certificateArn" in props)) {
            report(`${protocol} listener ${args.name} has no certificateArn: give it the validated ACM certificate (or set tracardi:dns.certificateArn)`);
        }
    }),
};

export const httpRedirectsOnly: ResourceValidationPolicy = {
    name: "tracardi-http-redirects-only",
    description: "Listeners that do not speak TLS only redirect to HTTPS; nothing is served in clear text.",
    enforcementLevel: "mandatory",
    validateResource: forTypes([AWS.listener], (props, args, report) => {
        const protocol = String(props.protocol ?? "HTTP").toUpperCase();
        if (TLS_PROTOCOLS.includes(protocol)) {
            return;
        }
        // Search's internal endpoint passes TCP through: Elasticsearch speaks TLS itself (tracardi-search-private checks it does).
        if (protocol === "TCP" && clusterOf(props) === SEARCH_TIER) {
            return;
        }
        if (protocol !== "HTTP") {
            report(`listener ${args.name} serves ${protocol} in clear text: serve HTTPS, with an HTTP listener that only redirects`);
            return;
        }
        const actions = records(props.defaultActions);
        const redirectsToHttps = actions.length > 0 && actions.every((a) =>
            a.type === "redirect" && String(at(a, "redirect.protocol") ?? "").toUpperCase() === "HTTPS");
        if (!redirectsToHttps) {
            report(`HTTP listener ${args.name} does more than redirect: make its only default action a redirect to HTTPS (port 443, status HTTP_301)`);
        }
    }),
};

export const noStickySessions: ResourceValidationPolicy = {
    name: "tracardi-no-sticky-sessions",
    description: "No sticky sessions: Tracardi's API is stateless, and stickiness piles a busy client onto one instance.",
    enforcementLevel: "mandatory",
    validateResource: forTypes([AWS.targetGroup, AWS.listener, AWS.listenerRule], (props, args, report) => {
        if (args.type === AWS.targetGroup) {
            const stickiness = props.stickiness;
            // The provider turns stickiness on whenever the block is present without enabled: false.
            if (stickiness !== undefined && stickiness !== null && record(stickiness).enabled !== false) {
                report(`target group ${args.name} has sticky sessions: remove its stickiness block (or set stickiness.enabled to false)`);
            }
            return;
        }
        const actions = records(args.type === AWS.listener ? props.defaultActions : props.actions);
        if (actions.some((a) => at(a, "forward.stickiness.enabled") === true)) {
            report(`${args.name} forwards with target-group stickiness: set forward.stickiness.enabled to false or drop the block`);
        }
    }),
};

export const transportPolicies: ResourceValidationPolicy[] = [modernTls, httpRedirectsOnly, noStickySessions];
