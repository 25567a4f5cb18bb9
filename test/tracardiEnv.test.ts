import * as assert from "assert";
import * as fc from "fast-check";
import { RELEASES } from "../lib/releases";
import { eckSearchConnection } from "../lib/search";
import { planTiers } from "../lib/tiers";
import { apiEnv, DataEndpoints, EnvVar, workerEnv } from "../lib/tracardiEnv";
import { parseSpec } from "../stacks/spec";

const data: DataEndpoints = {
    search: eckSearchConnection(3),
    redis: { host: "redis.internal", port: 6379 },
    mysql: { host: "mysql.internal", port: 3306, username: "tracardi", database: "tracardi" },
};

const ref = (name: string, key: string) => ({ valueFrom: { secretKeyRef: { name, key } } });

const DATA_ENV: EnvVar[] = [
    { name: "ELASTIC_HOST", value: "tracardi-es-http:9200" },
    { name: "ELASTIC_SCHEME", value: "https" },
    { name: "ELASTIC_HTTP_AUTH_USERNAME", value: "elastic" },
    { name: "ELASTIC_HTTP_AUTH_PASSWORD", ...ref("tracardi-es-elastic-user", "elastic") },
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
    return [
        { name: "EXPOSE_GUI_API", value: exposeGuiApi },
        { name: "PRODUCTION", value: production },
        { name: "TRACK_DEBUG", value: "no" },
        { name: "API_DOCS", value: "no" },
        { name: "LOGGING_LEVEL", value: "WARNING" },
        { name: "WEB_CONCURRENCY", value: workers },
        { name: "USE_X_FORWARDED_IP", value: "X-Forwarded-For" },
    ];
}

describe("Tracardi container environment", () => {
    it("public collector: GUI API closed, production indices, no debug, exact variables", () => {
        assert.deepStrictEqual(apiEnv("collector", 4, data), [...apiFlags("no", "yes", "4"), ...DATA_ENV]);
    });

    it("GUI-facing API: GUI API open, staging context by default", () => {
        assert.deepStrictEqual(apiEnv("gui-api", 2, data), [...apiFlags("yes", "no", "2"), ...DATA_ENV]);
    });

    it("minimal profile's single API: GUI API open and collected events in production", () => {
        assert.deepStrictEqual(apiEnv("collector-and-gui-api", 2, data), [...apiFlags("yes", "yes", "2"), ...DATA_ENV]);
    });

    it("workers get their own switches plus the data connections", () => {
        const apm = RELEASES["1.0.0"].workers.find((w) => w.name === "apm")!;
        assert.deepStrictEqual(workerEnv(apm, data), [
            { name: "MODE", value: "worker" }, { name: "PAUSE", value: "60" }, { name: "LOGGING_LEVEL", value: "WARNING" }, ...DATA_ENV,
        ]);
    });

    it("every secret arrives by reference, never as a value", () => {
        const secretNames = ["ELASTIC_HTTP_AUTH_PASSWORD", "MYSQL_PASSWORD", "INSTALLATION_TOKEN", "AUTO_PROFILE_MERGING"];
        for (const env of [apiEnv("collector", 1, data), apiEnv("gui-api", 1, data)]) {
            for (const name of secretNames) {
                const entry = env.find((e) => e.name === name)!;
                assert.ok("valueFrom" in entry, `${name} is a plain value`);
            }
        }
    });

    it("booleans are yes/no, which Tracardi 0.9+ accepts", () => {
        const booleans = ["EXPOSE_GUI_API", "PRODUCTION", "TRACK_DEBUG", "API_DOCS", "ELASTIC_VERIFY_CERTS"];
        for (const entry of apiEnv("gui-api", 1, data).filter((e) => booleans.includes(e.name))) {
            assert.ok("value" in entry && ["yes", "no"].includes(entry.value), `${entry.name}`);
        }
    });

    it("an external cluster by cloud id sends no host, and plain HTTP does not claim to verify certificates", () => {
        const env = apiEnv("collector", 1, {
            ...data,
            search: { hosts: "", scheme: "http", cloudId: "deployment:abc", shards: 3, replicas: 1 },
        });
        assert.ok(env.some((e) => e.name === "ELASTIC_CLOUD_ID"));
        assert.ok(!env.some((e) => e.name === "ELASTIC_HOST"));
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
            const env = apiEnv(publicTier.role!, publicTier.workers!, data);
            assert.deepStrictEqual(env.find((e) => e.name === "EXPOSE_GUI_API"), { name: "EXPOSE_GUI_API", value: "no" });
        }), { numRuns: 25 });
    });
});
