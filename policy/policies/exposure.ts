import type { ResourceValidationPolicy } from "@pulumi/policy";
import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import { isInternetWide, TrustRule, untrusted } from "../lib/cidr";
import { describePorts, INGRESS_TYPES, ingressOf, onlyTcpPorts } from "../lib/ingress";
import { containersOf, envOf, hasSecretEnvFrom, isApiContainer, isOn, podSpecOf } from "../lib/kubernetes";
import { clusterOf, TIER_TAG, forTypes, known, Plain, record, records, settings, text, texts } from "../lib/props";
import { AWS, K8S, WORKLOADS } from "../lib/types";
import { serverContainers, serverScript, SERVER_TYPES } from "../lib/userData";

/**
 * Who reaches what: the Internet reaches only the collector's load balancers, on 80/443, and
 * through them only the collector paths; everything else admits the trusted networks.
 */

/** Config shared by the policies that judge source networks. */
const TRUST_PROPERTIES: Record<string, PolicyConfigJSONSchema> = {
    trustedCidrs: {
        type: "array", items: { type: "string" }, default: [],
        description: "The customer's trusted networks (the stack's tracardi:trustedCidrs). When set, a public source network must lie inside one.",
    },
    minIpv4PrefixLength: { type: "integer", minimum: 0, maximum: 32, default: 8, description: "IPv4 networks wider than this count as the Internet." },
    minIpv6PrefixLength: { type: "integer", minimum: 0, maximum: 128, default: 32, description: "IPv6 networks wider than this count as the Internet." },
    publicClusters: {
        type: "array", items: { type: "string" }, default: ["public-api", "api"],
        description: "Clusters (tag tracardi:tier) whose load balancers face the Internet: the collector's.",
    },
};

interface TrustConfig extends TrustRule {
    publicClusters: string[];
}

const PUBLIC_PORTS = [80, 443];

export const trustedIngressOnly: ResourceValidationPolicy = {
    name: "tracardi-trusted-ingress-only",
    description: "Security groups admit the Internet only on the public collector's load balancers (80/443); every other source is private or a trusted network, IPv4 and IPv6.",
    enforcementLevel: "mandatory",
    configSchema: { properties: TRUST_PROPERTIES },
    validateResource: forTypes(INGRESS_TYPES, (props, args, report) => {
        const config = settings<TrustConfig>(trustedIngressOnly.configSchema!, args);
        const cluster = clusterOf(props);
        const isPublic = cluster !== undefined && config.publicClusters.includes(cluster);
        for (const rule of ingressOf(args.type, props)) {
            for (const cidr of rule.cidrs) {
                if (isPublic && isInternetWide(cidr, config)) {
                    if (!onlyTcpPorts(rule, PUBLIC_PORTS)) {
                        report(`${args.name} (cluster ${cluster}) admits ${describePorts(rule)} from ${cidr}: a public load balancer's ` +
                            "security group admits the Internet on tcp 80 and 443 only; narrow the rule's ports");
                    }
                    continue;
                }
                const reason = untrusted(cidr, config);
                if (reason) {
                    const where = args.type === AWS.securityGroupRule
                        ? "aws.ec2.SecurityGroupRule cannot carry the tracardi:tier tag that marks a public load balancer; "
                        : "";
                    report(`${args.name} admits ${describePorts(rule)} from ${cidr} (${reason}). Only the public collector's load balancers ` +
                        `(tagged ${TIER_TAG}=${config.publicClusters.join(" or ")}) may admit the Internet; ${where}` +
                        "admit the trusted networks (tracardi:trustedCidrs) or a security group instead");
                }
            }
        }
    }),
};

/** Tracardi's public collector paths as ALB path patterns: what the Internet may reach. */
const COLLECTOR_PATHS = ["/track", "/tracker/*", "/collect/*", "/redirect/*", "/uix/*", "/consents/type/enabled", "/customer/consent"];

function actionTypes(props: Plain, field: string): string[] {
    return records(props[field]).map((a) => String(a.type ?? ""));
}

export const collectorPathsOnly: ResourceValidationPolicy = {
    name: "tracardi-public-lb-collector-paths-only",
    description: "The Internet-facing load balancers forward only Tracardi's collector paths; other paths answer a fixed response, or are forwarded to trusted networks only.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            ...TRUST_PROPERTIES,
            collectorPaths: {
                type: "array", items: { type: "string" }, default: COLLECTOR_PATHS,
                description: "ALB path patterns the Internet may reach (exact patterns).",
            },
        },
    },
    validateResource: forTypes([AWS.listener, AWS.listenerRule], (props, args, report) => {
        const config = settings<TrustConfig & { collectorPaths: string[] }>(collectorPathsOnly.configSchema!, args);
        const cluster = clusterOf(props);
        if (cluster === undefined) {
            report(`${args.name} has no ${TIER_TAG} tag: tag every listener and listener rule with the cluster it serves ` +
                "so the pack can tell whether it faces the Internet");
            return;
        }
        if (!config.publicClusters.includes(cluster)) {
            return;
        }
        if (args.type === AWS.listener) {
            if (actionTypes(props, "defaultActions").some((t) => t === "forward")) {
                report(`listener ${args.name} (cluster ${cluster}) forwards every path by default: make its default action a fixed-response 404 ` +
                    "and forward only the collector paths in listener rules");
            }
            return;
        }
        if (!actionTypes(props, "actions").includes("forward")) {
            return;
        }
        const conditions = records(props.conditions);
        const sources = conditions.flatMap((c) => texts(record(c.sourceIp).values));
        if (sources.length > 0 && sources.every((cidr) => untrusted(cidr, config) === undefined)) {
            return;
        }
        const paths = conditions.map((c) => record(c.pathPattern));
        const values = paths.flatMap((p) => texts(p.values));
        const regex = paths.flatMap((p) => texts(p.regexValues));
        const extra = [...values.filter((v) => !config.collectorPaths.includes(v)), ...regex.map((r) => `regex ${r}`)];
        if (values.length === 0 || extra.length > 0) {
            const what = values.length === 0 && regex.length === 0 ? "every path" : extra.join(", ");
            report(`listener rule ${args.name} (cluster ${cluster}) forwards ${what} from the Internet: a public rule forwards only the ` +
                `collector paths (${config.collectorPaths.join(", ")}); restrict other paths with a sourceIp condition on tracardi:trustedCidrs`);
        }
    }),
};

/**
 * The containers a resource runs: a workload's pod containers, or those a server's user data
 * starts (launch templates, launch configurations, instances; see lib/userData.ts), in the same
 * shape. None while a server's user data is unknown (a preview).
 */
function containersOfResource(type: string, props: Plain): Plain[] {
    return SERVER_TYPES.includes(type) ? serverContainers(type, props) ?? [] : containersOf(podSpecOf(type, props));
}

/** "r container api", "launch template r container public-api", for messages. */
function whereIs(type: string, name: string, container: Plain): string {
    const kind = type === AWS.launchTemplate ? "launch template " : type === AWS.launchConfiguration ? "launch configuration "
        : type === AWS.instance ? "instance " : "";
    return `${kind}${name} container ${text(container.name)}`;
}

export const noTrackDebug: ResourceValidationPolicy = {
    name: "tracardi-no-track-debug",
    description: "TRACK_DEBUG is never on: not in a container's env (pods, or servers' user data), not in a ConfigMap.",
    enforcementLevel: "mandatory",
    validateResource: forTypes([...WORKLOADS, ...SERVER_TYPES, K8S.configMap], (props, args, report) => {
        if (args.type === K8S.configMap) {
            const value = text(record(props.data).TRACK_DEBUG);
            if (value !== undefined && isOn(value)) {
                report(`ConfigMap ${args.name} sets TRACK_DEBUG=${value}: set it to no; debug tracking must never run in production`);
            }
            return;
        }
        for (const container of containersOfResource(args.type, props)) {
            const setting = envOf(container, "TRACK_DEBUG");
            if (setting.kind === "value" && isOn(setting.value)) {
                report(`${whereIs(args.type, args.name, container)} sets TRACK_DEBUG=${setting.value}: set it to no; ` +
                    "debug tracking must never run in production");
            }
        }
    }),
};

/** Built-in Elasticsearch users with every privilege, or close to it. */
const SEARCH_SUPERUSERS = ["elastic"];

export const noSearchSuperuser: ResourceValidationPolicy = {
    name: "tracardi-no-search-superuser",
    description: "Tracardi's containers (the API tiers and their workers) log in to Elasticsearch as a user limited to Tracardi's indices, never as the superuser elastic.",
    enforcementLevel: "mandatory",
    validateResource: forTypes([...WORKLOADS, ...SERVER_TYPES], (props, args, report) => {
        for (const container of containersOfResource(args.type, props)) {
            if (!/tracardi\//.test(text(container.image) ?? "")) {
                continue; // the stack's own jobs (search set-up) are the superuser's only users
            }
            const setting = envOf(container, "ELASTIC_HTTP_AUTH_USERNAME");
            if (setting.kind === "value" && SEARCH_SUPERUSERS.includes(setting.value.trim())) {
                report(`${whereIs(args.type, args.name, container)} logs in to Elasticsearch as ${setting.value}, the superuser: ` +
                    "create a role limited to Tracardi's indices (*tracardi-*, cluster monitor and manage_index_templates) and a user for it (README, Search)");
            }
        }
    }),
};

const DEFAULT_TOKEN = "tracardi";
const TOKEN_KEY = /^installation[_-]?token$/i;

function decoded(value: unknown): string | undefined {
    const encoded = text(value);
    return encoded === undefined ? undefined : Buffer.from(encoded, "base64").toString("utf8");
}

export const installationToken: ResourceValidationPolicy = {
    name: "tracardi-installation-token",
    description: "INSTALLATION_TOKEN, the only guard on POST /install, is never Tracardi's default and always comes from a Secret " +
        "(on servers, from Secrets Manager at start: never in the user data).",
    enforcementLevel: "mandatory",
    validateResource: forTypes([...WORKLOADS, ...SERVER_TYPES, K8S.secret, K8S.configMap], (props, args, report) => {
        if (args.type === K8S.secret) {
            // Read only the token's keys: other values (generated passwords) may be unknown in a preview,
            // and an unknown token is a generated one.
            const stringData = record(props.stringData);
            const data = record(props.data);
            for (const [name, value] of [
                ...Object.keys(stringData).filter((k) => TOKEN_KEY.test(k)).map((k) => [k, known(() => text(stringData[k]))] as const),
                ...Object.keys(data).filter((k) => TOKEN_KEY.test(k)).map((k) => [k, known(() => decoded(data[k]))] as const),
            ]) {
                if (value === DEFAULT_TOKEN) {
                    report(`Secret ${args.name} holds Tracardi's default installation token in ${name}: generate a random one (for example with random.RandomPassword)`);
                }
            }
            return;
        }
        if (args.type === K8S.configMap) {
            if (Object.keys(record(props.data)).some((k) => TOKEN_KEY.test(k))) {
                report(`ConfigMap ${args.name} holds the installation token: a ConfigMap is not secret; move it to a Secret`);
            }
            return;
        }
        const server = SERVER_TYPES.includes(args.type);
        const fromSecret = server
            ? "fetch it at start from the stack's Secrets Manager secret (name it in the container's .secrets.json spec), never in the user data"
            : "take it from a Secret (valueFrom.secretKeyRef)";
        const randomFromSecret = server ? `use a random token and ${fromSecret}` : "take a random token from a Secret (valueFrom.secretKeyRef)";
        const unsetFix = server ? `set it to a random token: ${fromSecret}` : "set it from a Secret holding a random token (valueFrom.secretKeyRef)";
        const readers = server ? "the user data" : "the Deployment";
        let plain = false;
        for (const container of containersOfResource(args.type, props)) {
            const setting = envOf(container, "INSTALLATION_TOKEN");
            const where = whereIs(args.type, args.name, container);
            if (setting.kind === "value") {
                plain = true;
                report(setting.value === DEFAULT_TOKEN
                    ? `${where} sets INSTALLATION_TOKEN to Tracardi's default, which lets anyone run POST /install: ${randomFromSecret}`
                    : `${where} sets INSTALLATION_TOKEN as a plain value anyone who can read ${readers} sees: ${fromSecret}`);
            } else if (setting.kind === "absent" && isApiContainer(container) && !hasSecretEnvFrom(container)) {
                report(`${where} leaves INSTALLATION_TOKEN unset, so the API accepts Tracardi's default token on POST /install: ` +
                    unsetFix);
            }
        }
        // A server's user data is readable by whoever may describe the instance or template: the
        // token must not appear anywhere in it (an export, a systemd Environment=, a one-shot's env).
        const script = server ? serverScript(args.type, props) : undefined;
        if (!plain && script !== undefined && /(^|[\s"';])INSTALLATION_TOKEN=[^\s"']/m.test(script)) {
            report(`${args.name} writes INSTALLATION_TOKEN into its user data, which anyone who may describe the server reads: ${fromSecret}`);
        }
    }),
};

export const exposurePolicies: ResourceValidationPolicy[] = [trustedIngressOnly, collectorPathsOnly, noTrackDebug, installationToken, noSearchSuperuser];
