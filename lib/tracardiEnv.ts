import type { WorkerImage } from "./releases";

/**
 * The environment of every Tracardi container, rendered once from plain values so it can be
 * tested exactly, whatever runs it. Only variables Tracardi reads; booleans as its parser wants
 * them (yes/no). Secrets are references that each compute resolves: a Kubernetes Secret's key on
 * EKS, an entry of the stack's Secrets Manager secret fetched at start on a server.
 */

/** A secret: the set it belongs to (`name`) and its entry (`key`). */
export interface SecretKeyRef {
    name: string;
    key: string;
}

export type EnvVar =
    | { name: string; value: string }
    | { name: string; secret: SecretKeyRef };

/** The Kubernetes Secret holding the stack's own secrets, and its keys. */
export const STACK_SECRET = "tracardi-secrets";
export const SECRET_KEYS = {
    installationToken: "INSTALLATION_TOKEN",
    autoProfileMergingKey: "AUTO_PROFILE_MERGING",
    mysqlPassword: "MYSQL_PASSWORD",
    adminPassword: "ADMIN_PASSWORD",
} as const;

export const stackSecret = (key: keyof typeof SECRET_KEYS): SecretKeyRef => ({ name: STACK_SECRET, key: SECRET_KEYS[key] });

/** The stack Secret's data: each secret under its key. */
export function stackSecretData<T>(values: Record<keyof typeof SECRET_KEYS, T>): Record<string, T> {
    return Object.fromEntries((Object.keys(SECRET_KEYS) as (keyof typeof SECRET_KEYS)[]).map((name) => [SECRET_KEYS[name], values[name]]));
}

/** How the API reaches Elasticsearch. */
export interface SearchConnection {
    /**
     * Comma-separated host:port list (ELASTIC_HOST). With a cloud id too: Tracardi always hands
     * ELASTIC_HOST to its client (default http://localhost:9200), which then puts port 9200 on the
     * cloud id's host unless a port is given, so it must name the deployment's host and :443.
     */
    hosts: string;
    scheme: "https" | "http";
    username?: string;
    password?: SecretKeyRef;
    /** Elastic Cloud deployment id, instead of hosts. */
    cloudId?: string;
    /** Secret with the CA that signed the cluster's HTTP certificate, mounted into the pods. */
    ca?: SecretKeyRef;
    shards: number;
    replicas: number;
}

export interface DataEndpoints {
    search: SearchConnection;
    redis: { host: string; port: number };
    /** Releases before 0.9 have no MySQL. */
    mysql?: { host: string; port: number; username: string; database: string };
}

/** Where a mounted CA lands in the container. */
export const CA_MOUNT_PATH = "/etc/tracardi/elastic-ca";

/** Where the search cluster's CA certificate is, as ELASTIC_CA_FILE names it, in a pod or on a server. */
export const caFilePath = (ca: SecretKeyRef): string => `${CA_MOUNT_PATH}/${ca.key}`;

/**
 * What an API cluster is for. The Internet-facing cluster is always `collector`: its GUI API
 * must stay closed, so its role is derived from the tier name and cannot be configured.
 */
export type ApiRole = "collector" | "gui-api" | "collector-and-gui-api";

export const yesNo = (on: boolean): string => (on ? "yes" : "no");

const plain = (name: string, value: string | number): EnvVar => ({ name, value: String(value) });
const secret = (name: string, ref: SecretKeyRef): EnvVar => ({ name, secret: ref });

/** Connections to search, Redis and MySQL, and the stack secrets: shared by the API and the workers. */
export function dataEnv(data: DataEndpoints): EnvVar[] {
    const { search, redis, mysql } = data;
    const env: EnvVar[] = [];
    if (search.cloudId) {
        env.push(plain("ELASTIC_CLOUD_ID", search.cloudId));
    }
    env.push(plain("ELASTIC_HOST", search.hosts), plain("ELASTIC_SCHEME", search.scheme));
    if (search.username) {
        env.push(plain("ELASTIC_HTTP_AUTH_USERNAME", search.username));
    }
    if (search.password) {
        env.push(secret("ELASTIC_HTTP_AUTH_PASSWORD", search.password));
    }
    if (search.ca) {
        env.push(plain("ELASTIC_CA_FILE", caFilePath(search.ca)));
    }
    // 0.9+ defaults to not verifying certificates.
    env.push(
        plain("ELASTIC_VERIFY_CERTS", yesNo(search.scheme === "https")),
        plain("ELASTIC_INDEX_SHARDS", search.shards),
        plain("ELASTIC_INDEX_REPLICAS", search.replicas),
        plain("REDIS_HOST", redis.host),
        plain("REDIS_PORT", redis.port),
    );
    if (mysql) {
        env.push(
            plain("MYSQL_HOST", mysql.host),
            plain("MYSQL_PORT", mysql.port),
            plain("MYSQL_USERNAME", mysql.username),
            secret("MYSQL_PASSWORD", stackSecret("mysqlPassword")),
            plain("MYSQL_DATABASE", mysql.database),
            plain("MYSQL_SCHEMA", "mysql+aiomysql://"),
        );
    }
    env.push(
        secret("INSTALLATION_TOKEN", stackSecret("installationToken")),
        secret("AUTO_PROFILE_MERGING", stackSecret("autoProfileMergingKey")),
    );
    return env;
}

/** Tracardi switches the stack sets from its configuration. */
export interface TracardiSettings {
    /**
     * ELASTIC_QUERY_TIMEOUT, in seconds, for the GUI-facing API and the workers, which install and
     * migrate (Tracardi's default, 12, is too short for them; its chart sets 120). The collector
     * keeps the default: a collector request waiting longer than that has lost its client anyway.
     */
    queryTimeoutSeconds: number;
    /** ENABLE_EVENT_DESTINATIONS and ENABLE_PROFILE_DESTINATIONS: off by default in Tracardi, so destinations set up in the GUI would do nothing. */
    destinations: boolean;
}

function destinationEnv(settings: TracardiSettings): EnvVar[] {
    return [plain("ENABLE_EVENT_DESTINATIONS", yesNo(settings.destinations)), plain("ENABLE_PROFILE_DESTINATIONS", yesNo(settings.destinations))];
}

export function apiEnv(role: ApiRole, workers: number, data: DataEndpoints, settings: TracardiSettings): EnvVar[] {
    const collector = role !== "gui-api";
    const guiFacing = role !== "collector";
    return [
        plain("EXPOSE_GUI_API", yesNo(guiFacing)),
        // Events collected from the Internet go to the production indices; the GUI picks its
        // context per request (x-context header).
        plain("PRODUCTION", yesNo(collector)),
        plain("TRACK_DEBUG", "no"),
        plain("API_DOCS", "no"),
        plain("LOGGING_LEVEL", "WARNING"),
        // Logs are saved to Elasticsearch after every request (app/middleware/context.py): the
        // collector saves none, as in Tracardi's own chart; the GUI-facing API keeps them for the
        // GUI's log pages.
        plain("SAVE_LOGS", yesNo(guiFacing)),
        // 1.x images run uvicorn, which reads WEB_CONCURRENCY itself and defaults to one process;
        // 0.9 images run gunicorn, which would otherwise count the node's CPUs, not the pod's share.
        plain("WEB_CONCURRENCY", workers),
        // Behind the load balancer the peer address is the balancer's.
        plain("USE_X_FORWARDED_IP", "X-Forwarded-For"),
        ...(guiFacing ? [plain("ELASTIC_QUERY_TIMEOUT", settings.queryTimeoutSeconds)] : []),
        ...destinationEnv(settings),
        ...dataEnv(data),
    ];
}

export function workerEnv(worker: WorkerImage, data: DataEndpoints, settings: TracardiSettings): EnvVar[] {
    return [
        ...Object.entries(worker.env).map(([name, value]) => plain(name, value)),
        plain("LOGGING_LEVEL", "WARNING"),
        plain("ELASTIC_QUERY_TIMEOUT", settings.queryTimeoutSeconds),
        ...destinationEnv(settings),
        ...dataEnv(data),
    ];
}
