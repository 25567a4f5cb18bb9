import * as assert from "assert";
import * as fc from "fast-check";
import { kubernetesEnv } from "../lib/manifests";
import { RELEASES } from "../lib/releases";
import { eckSearchConnection, externalSearchConnection } from "../lib/search";
import { planTiers } from "../lib/tiers";
import { apiEnv, DataEndpoints, EnvVar, TracardiSettings, workerEnv } from "../lib/tracardiEnv";
import { parseSpec } from "../stacks/spec";

const data: DataEndpoints = {
    search: eckSearchConnection(3),
    redis: { host: "redis.internal", port: 6379 },
    mysql: { host: "mysql.internal", port: 3306, username: "tracardi", database: "tracardi" },
};

const ref = (name: string, key: string) => ({ secret: { name, key } });
const settings: TracardiSettings = { queryTimeoutSeconds: 120, destinations: true };

const DESTINATIONS: EnvVar[] = [{ name: "ENABLE_EVENT_DESTINATIONS", value: "yes" }, { name: "ENABLE_PROFILE_DESTINATIONS", value: "yes" }];

const DATA_ENV: EnvVar[] = [
    { name: "ELASTIC_HOST", value: "tracardi-es-http:9200" },
    { name: "ELASTIC_SCHEME", value: "https" },
    { name: "ELASTIC_HTTP_AUTH_USERNAME", value: "tracardi" },
    { name: "ELASTIC_HTTP_AUTH_PASSWORD", ...ref("tracardi-search-user", "password") },
    { name: "ELASTIC_CA_FILE", value: "/etc/tracardi/elastic-ca/ca.crt" },
    { name: "ELASTIC_VERIFY_CERTS", value: "yes" },
    { name: "ELASTIC_INDEX_SHARDS", value: "3" },
    { name: "ELASTIC_INDEX_REPLICAS", value: "1" },
    { name: "REDIS_HOST", value: "redis.internal" },
    { name: "REDIS_PORT", value: "6379" },
    { name: "MYSQL_HOST", value: "mysql.internal" },
    { name: "MYSQL_PORT", value: "3306" },
    { name: "MYSQL_USERNAME", value: "tracardi" },
    { name: "MYSQL_PASSWORD", ...ref("tracardi-secrets", "MYSQL_PASSWORD") },
    { name: "MYSQL_DATABASE", value: "tracardi" },
    { name: "MYSQL_SCHEMA", value: "mysql+aiomysql://" },
    { name: "INSTALLATION_TOKEN", ...ref("tracardi-secrets", "INSTALLATION_TOKEN") },
    { name: "AUTO_PROFILE_MERGING", ...ref("tracardi-secrets", "AUTO_PROFILE_MERGING") },
];

function apiFlags(exposeGuiApi: string, production: string, workers: string): EnvVar[] {
    const guiFacing = exposeGuiApi === "yes";
    return [
        { name: "EXPOSE_GUI_API", value: exposeGuiApi },
        { name: "PRODUCTION", value: production },
        { name: "TRACK_DEBUG", value: "no" },
        { name: "API_DOCS", value: "no" },
        { name: "LOGGING_LEVEL", value: "WARNING" },
        { name: "SAVE_LOGS", value: guiFacing ? "yes" : "no" },
        { name: "WEB_CONCURRENCY", value: workers },
        { name: "USE_X_FORWARDED_IP", value: "X-Forwarded-For" },
        ...(guiFacing ? [{ name: "ELASTIC_QUERY_TIMEOUT", value: "120" }] : []),
        ...DESTINATIONS,
    ];
}

describe("Tracardi container environment", () => {
    it("public collector: GUI API closed, production indices, no debug, no logs saved per request, exact variables", () => {
        assert.deepStrictEqual(apiEnv("collector", 4, data, settings), [...apiFlags("no", "yes", "4"), ...DATA_ENV]);
    });

    it("GUI-facing API: GUI API open, staging context by default, logs kept, long queries allowed", () => {
        assert.deepStrictEqual(apiEnv("gui-api", 2, data, settings), [...apiFlags("yes", "no", "2"), ...DATA_ENV]);
    });

    it("minimal profile's single API: GUI API open and collected events in production", () => {
        assert.deepStrictEqual(apiEnv("collector-and-gui-api", 2, data, settings), [...apiFlags("yes", "yes", "2"), ...DATA_ENV]);
    });

    it("workers get their own switches, the query timeout, destinations and the data connections", () => {
        const apm = RELEASES["1.0.0"].workers.find((w) => w.name === "apm")!;
        assert.deepStrictEqual(workerEnv(apm, data, settings), [
            { name: "MODE", value: "worker" }, { name: "PAUSE", value: "60" }, { name: "LOGGING_LEVEL", value: "WARNING" },
            { name: "ELASTIC_QUERY_TIMEOUT", value: "120" }, ...DESTINATIONS, ...DATA_ENV,
        ]);
    });

    it("destinations and the query timeout follow the stack's settings", () => {
        const env = apiEnv("gui-api", 2, data, { queryTimeoutSeconds: 300, destinations: false });
        const byName = Object.fromEntries(env.map((e) => [e.name, "value" in e ? e.value : undefined]));
        assert.deepStrictEqual([byName.ELASTIC_QUERY_TIMEOUT, byName.ENABLE_EVENT_DESTINATIONS, byName.ENABLE_PROFILE_DESTINATIONS], ["300", "no", "no"]);
    });

    it("no Tracardi container logs in to search as the superuser", () => {
        for (const env of [apiEnv("collector", 1, data, settings), apiEnv("gui-api", 1, data, settings), workerEnv(RELEASES["1.0.0"].workers[0], data, settings)]) {
            assert.deepStrictEqual(env.find((e) => e.name === "ELASTIC_HTTP_AUTH_USERNAME"), { name: "ELASTIC_HTTP_AUTH_USERNAME", value: "tracardi" });
        }
    });

    it("every secret arrives by reference, never as a value", () => {
        const secretNames = ["ELASTIC_HTTP_AUTH_PASSWORD", "MYSQL_PASSWORD", "INSTALLATION_TOKEN", "AUTO_PROFILE_MERGING"];
        for (const env of [apiEnv("collector", 1, data, settings), apiEnv("gui-api", 1, data, settings)]) {
            for (const name of secretNames) {
                const entry = env.find((e) => e.name === name)!;
                assert.ok("secret" in entry, `${name} is a plain value`);
            }
        }
    });

    it("booleans are yes/no, which Tracardi 0.9+ accepts", () => {
        const booleans = ["EXPOSE_GUI_API", "PRODUCTION", "TRACK_DEBUG", "API_DOCS", "ELASTIC_VERIFY_CERTS"];
        for (const entry of apiEnv("gui-api", 1, data, settings).filter((e) => booleans.includes(e.name))) {
            assert.ok("value" in entry && ["yes", "no"].includes(entry.value), `${entry.name}`);
        }
    });

    it("an Elastic Cloud deployment gets its host on :443 over https beside the cloud id, for the API and every worker", () => {
        // <name>:base64("eu-west-1.aws.found.io$abc123$kib456")
        const cloudId = `shop:${Buffer.from("eu-west-1.aws.found.io$abc123$kib456").toString("base64")}`;
        const search = externalSearchConnection({ cloudId, username: "tracardi", nodes: 3 }, false);
        for (const env of [apiEnv("collector", 1, { ...data, search }, settings), workerEnv(RELEASES["1.0.0"].workers[0], { ...data, search }, settings)]) {
            const byName = Object.fromEntries(env.map((e) => [e.name, "value" in e ? e.value : undefined]));
            assert.deepStrictEqual([byName.ELASTIC_CLOUD_ID, byName.ELASTIC_HOST, byName.ELASTIC_SCHEME, byName.ELASTIC_VERIFY_CERTS],
                [cloudId, "abc123.eu-west-1.aws.found.io:443", "https", "yes"]);
        }
        const withPort = `shop:${Buffer.from("aws.found.io:9243$es1$kb1").toString("base64")}`;
        assert.strictEqual(externalSearchConnection({ cloudId: withPort, username: "t", nodes: 1 }, false).hosts, "es1.aws.found.io:9243");
    });

    it("plain HTTP does not claim to verify certificates", () => {
        const env = apiEnv("collector", 1, { ...data, search: { ...data.search, scheme: "http" } }, settings);
        assert.deepStrictEqual(env.find((e) => e.name === "ELASTIC_VERIFY_CERTS"), { name: "ELASTIC_VERIFY_CERTS", value: "no" });
    });

    it("the Internet-facing tier is a collector for every production configuration", () => {
        const base = {
            trustedCidrs: ["10.0.0.0/8"], adminEmail: "a@example.com",
            dns: { zone: "example.com", publicApiHost: "t.example.com", internalApiHost: "a.example.com", guiHost: "g.example.com" },
        };
        fc.assert(fc.property(fc.integer({ min: 3, max: 20 }), fc.integer({ min: 2, max: 20 }), (publicCount, internalCount) => {
            const spec = parseSpec({ ...base, publicApi: { instances: publicCount }, internalApi: { instances: internalCount } });
            const tiers = planTiers(spec);
            const publicTier = tiers.find((t) => t.name === "public-api")!;
            assert.strictEqual(publicTier.role, "collector");
            assert.strictEqual(publicTier.exposure, "collector");
            const env = apiEnv(publicTier.role!, publicTier.workers!, data, settings);
            assert.deepStrictEqual(env.find((e) => e.name === "EXPOSE_GUI_API"), { name: "EXPOSE_GUI_API", value: "no" });
        }), { numRuns: 25 });
    });
});

describe("the environment as each compute takes it", () => {
    it("Kubernetes: plain values as they are, secrets from the Secret and key the reference names", () => {
        const env = apiEnv("gui-api", 2, data, settings);
        const k8s = kubernetesEnv(env);
        assert.strictEqual(k8s.length, env.length);
        for (const [i, entry] of env.entries()) {
            assert.deepStrictEqual(k8s[i], "secret" in entry ? { name: entry.name, valueFrom: { secretKeyRef: entry.secret } } : entry);
        }
    });
});
