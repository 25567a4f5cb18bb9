import type { SearchConnection } from "./tracardiEnv";

/** Name of the Elasticsearch resource; ECK derives its service and secret names from it. */
export const SEARCH_CLUSTER_NAME = "tracardi";

/**
 * How the API reaches an ECK-managed cluster in its own namespace: the operator's HTTP service
 * over TLS signed by the operator's CA, as the built-in `elastic` user.
 */
export function eckSearchConnection(nodes: number, name = SEARCH_CLUSTER_NAME): SearchConnection {
    return {
        hosts: `${name}-es-http:9200`,
        scheme: "https",
        username: "elastic",
        password: { name: `${name}-es-elastic-user`, key: "elastic" },
        ca: { name: `${name}-es-http-certs-public`, key: "ca.crt" },
        // Tracardi's default; shards cannot change after installation.
        shards: 3,
        // One copy of every shard on another node (and, with zone awareness, in another zone).
        replicas: nodes >= 2 ? 1 : 0,
    };
}
