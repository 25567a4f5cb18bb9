import type { SearchConnection } from "./tracardiEnv";

/** Name of the Elasticsearch resource; ECK derives its service and secret names from it. */
export const SEARCH_CLUSTER_NAME = "tracardi";

/** Tracardi's default; shards cannot change after installation. */
export const INDEX_SHARDS = 3;

/** One copy of every shard on another node (and, with zone awareness, in another zone) once there are two. */
export const indexReplicas = (nodes: number): number => (nodes >= 2 ? 1 : 0);

/** The user Tracardi logs in as, and the Secret (created by the stack) holding its password. */
export const TRACARDI_SEARCH_USER = "tracardi";
export const TRACARDI_SEARCH_SECRET = { name: "tracardi-search-user", key: "password" } as const;

/**
 * What Tracardi needs of Elasticsearch, and no more: every index, alias and template it names.
 * Index names are `[prod-|static-]<db version>.<tenant>.tracardi-<name>[-<partition>]`, or plain
 * `tracardi-<name>` for single indices (tracardi/service/storage/index.py); templates are
 * `template.<index>`; the API's entity endpoint creates `entity-<name>` (tracardi-api
 * app/api/entity_endpoint.py). Cluster: `monitor` for GET /, health and tasks (migrations),
 * `manage_index_templates` for the install and its mapping updates.
 */
export const TRACARDI_SEARCH_ROLE = {
    cluster: ["monitor", "manage_index_templates"],
    indices: [{ names: ["*tracardi-*", "entity-*"], privileges: ["all"], allow_restricted_indices: false }],
} as const;

/** The built-in superuser ECK creates: only the stack's set-up jobs log in as it. */
export const eckSuperuser = (name = SEARCH_CLUSTER_NAME) => ({ username: "elastic", password: { name: `${name}-es-elastic-user`, key: "elastic" } });

/** The operator's HTTP service over TLS signed by the operator's CA. */
export const eckEndpoint = (name = SEARCH_CLUSTER_NAME) => ({
    hosts: `${name}-es-http:9200`, scheme: "https" as const, ca: { name: `${name}-es-http-certs-public`, key: "ca.crt" },
});

/** How the API reaches an ECK-managed cluster in its own namespace: as Tracardi's own user, never the superuser. */
export function eckSearchConnection(nodes: number, name = SEARCH_CLUSTER_NAME): SearchConnection {
    return {
        ...eckEndpoint(name),
        username: TRACARDI_SEARCH_USER,
        password: { ...TRACARDI_SEARCH_SECRET },
        shards: INDEX_SHARDS,
        replicas: indexReplicas(nodes),
    };
}

/** An Elastic Cloud deployment's Elasticsearch endpoint from its cloud id: `<es id>.<domain>:<port, 443 unless given>`. */
function cloudIdEndpoint(cloudId: string): string {
    const [domainAndPort, esId] = Buffer.from(cloudId.slice(cloudId.indexOf(":") + 1), "base64").toString("utf8").split("$");
    const [domain, port] = domainAndPort.split(":");
    return `${esId}.${domain}:${port ?? 443}`;
}

/** The Secret the stack creates in the workloads' namespace for an external cluster, and its keys. */
export const EXTERNAL_SEARCH_SECRET = { name: "tracardi-elasticsearch", passwordKey: "password", caKey: "ca.crt" } as const;

/** That Secret's data: the password, and the CA when one is given. */
export function externalSearchSecretData(password: string, ca: string | undefined): Record<string, string> {
    return { [EXTERNAL_SEARCH_SECRET.passwordKey]: password, ...(ca === undefined ? {} : { [EXTERNAL_SEARCH_SECRET.caKey]: ca }) };
}

export interface ExternalSearchSpec {
    hosts?: string[];
    cloudId?: string;
    username?: string;
    /** Data nodes of the external cluster: decides the replica count. */
    nodes: number;
}

/** How the API reaches an existing cluster: its HTTPS endpoints or Elastic Cloud id, verified, with a password from a Secret. */
export function externalSearchConnection(es: ExternalSearchSpec, withCa: boolean): SearchConnection {
    const secret = EXTERNAL_SEARCH_SECRET;
    return {
        hosts: es.cloudId ? cloudIdEndpoint(es.cloudId) : (es.hosts ?? []).map(hostAndPort).join(","),
        scheme: "https",
        username: es.username,
        password: { name: secret.name, key: secret.passwordKey },
        cloudId: es.cloudId,
        ca: withCa ? { name: secret.name, key: secret.caKey } : undefined,
        shards: INDEX_SHARDS,
        replicas: indexReplicas(es.nodes),
    };
}

/**
 * How the API reaches search on EC2 servers of the stack: their internal load balancer, over TLS
 * signed by the stack's CA, as Tracardi's own user. Password and CA travel as an external
 * cluster's do (EXTERNAL_SEARCH_SECRET).
 */
function ec2SearchConnection(endpoint: string, nodes: number): SearchConnection {
    const secret = EXTERNAL_SEARCH_SECRET;
    return {
        hosts: `${endpoint}:9200`,
        scheme: "https",
        username: TRACARDI_SEARCH_USER,
        password: { name: secret.name, key: secret.passwordKey },
        ca: { name: secret.name, key: secret.caKey },
        shards: INDEX_SHARDS,
        replicas: indexReplicas(nodes),
    };
}

/** The connection for `elasticsearch.provider`: what the API environment is rendered from. ec2 needs its load balancer's name. */
export function searchConnection(es: ExternalSearchSpec & { provider: "eck" | "ec2" | "external" }, withCa: boolean, ec2Endpoint?: string): SearchConnection {
    switch (es.provider) {
        case "eck":
            return eckSearchConnection(es.nodes);
        case "ec2":
            if (ec2Endpoint === undefined) {
                throw new Error("search on EC2 servers needs its load balancer's name");
            }
            return ec2SearchConnection(ec2Endpoint, es.nodes);
        default:
            return externalSearchConnection(es, withCa);
    }
}

const ENDPOINT = /^https:\/\/([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*):(\d{1,5})\/?$/i;

/** What is wrong with an external endpoint (`https://host:port`), or undefined when it is fine. */
export function endpointProblem(value: string): string | undefined {
    if (/^http:\/\//i.test(value)) {
        return "is plain http: the password and the data would cross the network unencrypted";
    }
    if (/^https:\/\/[^/]*@/i.test(value)) {
        return "carries credentials: give the user in elasticsearch.username and the password as the secret tracardi:elasticsearchPassword";
    }
    const match = ENDPOINT.exec(value);
    if (!match) {
        return "is not an https URL of a host and a port";
    }
    const port = Number(match[5]);
    return port >= 1 && port <= 65535 ? undefined : `has port ${port}, outside 1 to 65535`;
}

/** `https://host:port` -> `host:port`, as ELASTIC_HOST lists them (the scheme goes in ELASTIC_SCHEME). */
function hostAndPort(endpoint: string): string {
    const match = ENDPOINT.exec(endpoint);
    if (!match) {
        throw new RangeError(`${endpoint}: ${endpointProblem(endpoint)}`);
    }
    return `${match[1].toLowerCase()}:${Number(match[5])}`;
}

/** An Elastic Cloud id: `<deployment name>:<base64 of host$elasticsearch-id$kibana-id>`. */
export function isElasticCloudId(value: string): boolean {
    const match = /^([^:\s]+):([A-Za-z0-9+/]+={0,2})$/.exec(value);
    return match !== null && /^[^$\s]+\$[^$\s]+/.test(Buffer.from(match[2], "base64").toString("utf8"));
}
