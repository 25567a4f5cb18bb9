import * as assert from "assert";
import * as fc from "fast-check";
import {
    chunk, exposureMatrix, ExposureTier, isForwarded, listenerRules, loadBalancerIngressCidrs, MAX_CONDITION_VALUES, PATH_CLASS_INFO,
    pathPatternMatches, publicPathPatterns, renderExposureMatrix,
} from "../lib/exposure";
import type { Exposure } from "../lib/tiers";

const TRUSTED = ["203.0.113.0/24", "2001:db8:1000::/48", "198.51.100.10/32"];
const PRODUCTION: ExposureTier[] = [
    { name: "public-api", exposure: "collector" },
    { name: "internal-api", exposure: "trusted" },
    { name: "gui", exposure: "trusted" },
];
const MINIMAL: ExposureTier[] = [
    { name: "api", exposure: "collector-and-trusted" },
    { name: "gui", exposure: "trusted" },
];
const EXPOSURES: Exposure[] = ["collector", "trusted", "collector-and-trusted"];

/** Distinct IPv4 /32s, as many as asked. */
const cidrs = (n: number) => Array.from({ length: n }, (_, i) => `192.0.2.${i}/32`);

describe("the public path allow-list", () => {
    it("holds exactly the collector paths unless the widget or consent paths are turned on", () => {
        assert.deepStrictEqual(publicPathPatterns(), ["/track", "/tracker/*", "/collect/*", "/redirect/*"]);
        assert.deepStrictEqual(publicPathPatterns({ widget: true }).slice(4), ["/uix/*"]);
        assert.deepStrictEqual(publicPathPatterns({ consent: true }).slice(4), ["/consents/type/enabled", "/customer/consent"]);
        assert.strictEqual(publicPathPatterns({ widget: true, consent: true }).length, 7);
    });

    it("never matches /install, the log endpoints, login or the health check", () => {
        const all = publicPathPatterns({ widget: true, consent: true });
        for (const path of ["/install", "/event/logs/1", "/node/logs/1", "/flow/logs/1", "/user/token", "/healthcheck", "/", "/docs", "/tracker"]) {
            assert.ok(!all.some((p) => pathPatternMatches(p, path)), `${path} is on the public allow-list`);
        }
    });
});

describe("pathPatternMatches", () => {
    it("follows ALB semantics: whole path, case-sensitive, * any run, ? one character, dots literal", () => {
        assert.ok(pathPatternMatches("/tracker/*", "/tracker/liliput.min.js"));
        assert.ok(pathPatternMatches("/tracker/*", "/tracker/"));
        assert.ok(!pathPatternMatches("/tracker/*", "/tracker"));
        assert.ok(!pathPatternMatches("/track", "/track/x"));
        assert.ok(!pathPatternMatches("/track", "/Track"));
        assert.ok(pathPatternMatches("/a?c", "/abc"));
        assert.ok(!pathPatternMatches("/a?c", "/ac"));
        assert.ok(!pathPatternMatches("/a.b", "/aXb"));
    });
});

describe("chunk", () => {
    it("splits in order into pieces of at most the size, and refuses a size below one", () => {
        assert.deepStrictEqual(chunk([1, 2, 3, 4, 5, 6, 7], 5), [[1, 2, 3, 4, 5], [6, 7]]);
        assert.deepStrictEqual(chunk([], 5), []);
        assert.throws(() => chunk([1], 0), /positive integer/);
    });
});

describe("listenerRules", () => {
    it("forwards public paths from anyone on collector tiers, chunked by five, with no source condition", () => {
        const rules = listenerRules("collector", TRUSTED, { widget: true, consent: true });
        assert.deepStrictEqual(rules.map((r) => r.pathPatterns?.length), [5, 2]);
        assert.ok(rules.every((r) => r.sourceIps === undefined));
        assert.deepStrictEqual(rules.flatMap((r) => r.pathPatterns), publicPathPatterns({ widget: true, consent: true }));
    });

    it("forwards every path, but only from the trusted networks, on trusted tiers", () => {
        const trusted = cidrs(12);
        const rules = listenerRules("trusted", trusted);
        assert.deepStrictEqual(rules.map((r) => r.sourceIps?.length), [5, 5, 2]);
        assert.ok(rules.every((r) => r.pathPatterns === undefined));
        assert.deepStrictEqual(rules.flatMap((r) => r.sourceIps), trusted);
        assert.ok(!isForwarded(rules, "/track"), "an Internet client reached a trusted tier");
        assert.ok(isForwarded(rules, "/install", trusted[11]));
    });

    it("in the minimal profile opens collector paths to all and everything else to the trusted networks only", () => {
        const trusted = cidrs(7);
        const rules = listenerRules("collector-and-trusted", trusted);
        assert.ok(isForwarded(rules, "/track"));
        assert.ok(isForwarded(rules, "/collect/page-view/s1"));
        assert.ok(!isForwarded(rules, "/install"));
        assert.ok(!isForwarded(rules, "/event/logs/1"));
        assert.ok(isForwarded(rules, "/install", trusted[6]));
        assert.ok(isForwarded(rules, "/user/token", trusted[0]));
        const publicRules = rules.filter((r) => r.pathPatterns);
        const trustedRules = rules.filter((r) => r.sourceIps);
        assert.ok(Math.max(...publicRules.map((r) => r.priority)) < Math.min(...trustedRules.map((r) => r.priority)));
    });

    it("refuses a trusted tier without trusted networks, which nobody could reach", () => {
        assert.throws(() => listenerRules("trusted", []), /at least one trusted network/);
        assert.throws(() => listenerRules("collector-and-trusted", []), /at least one trusted network/);
        assert.doesNotThrow(() => listenerRules("collector", []));
    });

    it("keeps every rule within ALB quotas: <= 5 condition values and wildcards, unique priorities", () => {
        fc.assert(fc.property(
            fc.constantFrom(...EXPOSURES), fc.integer({ min: 1, max: 40 }), fc.boolean(), fc.boolean(),
            (exposure, n, widget, consent) => {
                const rules = listenerRules(exposure, cidrs(n), { widget, consent });
                for (const rule of rules) {
                    const values = (rule.pathPatterns?.length ?? 0) + (rule.sourceIps?.length ?? 0);
                    assert.ok(values >= 1 && values <= MAX_CONDITION_VALUES, `rule ${rule.priority} has ${values} values`);
                    assert.ok((rule.pathPatterns ?? []).join("").split("*").length - 1 <= 5);
                }
                assert.strictEqual(new Set(rules.map((r) => r.priority)).size, rules.length);
                assert.ok(rules.every((r) => r.priority >= 1 && r.priority <= 50000));
            }));
    });
});

describe("loadBalancerIngressCidrs", () => {
    it("opens only tiers that serve collector paths to the Internet", () => {
        assert.deepStrictEqual(loadBalancerIngressCidrs("collector", TRUSTED), ["0.0.0.0/0", "::/0"]);
        assert.deepStrictEqual(loadBalancerIngressCidrs("collector-and-trusted", TRUSTED), ["0.0.0.0/0", "::/0"]);
        assert.deepStrictEqual(loadBalancerIngressCidrs("trusted", TRUSTED), TRUSTED);
    });
});

describe("exposureMatrix", () => {
    it("production: the Internet reaches only the public API's collector paths; the rest is trusted-only", () => {
        const rows = exposureMatrix(PRODUCTION, TRUSTED);
        assert.deepStrictEqual(rows.map((r) => [r.cluster, r.reach]), [
            ["public-api", { collector: "internet", widget: "nobody", consent: "nobody", other: "nobody" }],
            ["internal-api", { collector: "trusted", widget: "trusted", consent: "trusted", other: "trusted" }],
            ["gui", { collector: "trusted", widget: "trusted", consent: "trusted", other: "trusted" }],
        ]);
    });

    it("turning on the widget and consent paths opens just those classes on the public API", () => {
        const [publicApi] = exposureMatrix(PRODUCTION, TRUSTED, { widget: true, consent: true });
        assert.deepStrictEqual(publicApi.reach, { collector: "internet", widget: "internet", consent: "internet", other: "nobody" });
    });

    it("minimal: collector paths open to all, every other API path only to the trusted networks", () => {
        const [api, gui] = exposureMatrix(MINIMAL, TRUSTED);
        assert.deepStrictEqual(api.reach, { collector: "internet", widget: "trusted", consent: "trusted", other: "trusted" });
        assert.deepStrictEqual(gui.reach, { collector: "trusted", widget: "trusted", consent: "trusted", other: "trusted" });
    });

    it("never lets the Internet reach /install or the log endpoints, whatever the exposure and flags", () => {
        assert.ok(["/install", "/event/logs/1"].every((p) => PATH_CLASS_INFO.other.samples.includes(p)));
        fc.assert(fc.property(fc.constantFrom(...EXPOSURES), fc.boolean(), fc.boolean(), fc.boolean(), (exposure, widget, consent, internal) => {
            const [row] = exposureMatrix([{ name: "api", exposure, internal }], TRUSTED, { widget, consent });
            assert.notStrictEqual(row.reach.other, "internet");
        }));
    });

    it("marks internal load balancers, which stay reachable only from the trusted networks", () => {
        const rows = exposureMatrix(PRODUCTION.map((t) => ({ ...t, internal: t.exposure === "trusted" })), TRUSTED);
        assert.deepStrictEqual(rows.map((r) => r.internal), [false, true, true]);
        assert.strictEqual(rows[1].reach.other, "trusted");
    });

    it("renders as a table with the meaning of every class and reach", () => {
        const text = renderExposureMatrix(exposureMatrix(PRODUCTION, TRUSTED), TRUSTED);
        assert.strictEqual(text, [
            "Exposure: who reaches each path class through the load balancers",
            "cluster       collector  widget   consent  other",
            "public-api    internet   nobody   nobody   nobody",
            "internal-api  trusted    trusted  trusted  trusted",
            "gui           trusted    trusted  trusted  trusted",
            "  collector: /track, /tracker/*, /collect/*, /redirect/*",
            "  widget: /uix/*",
            "  consent: GET /consents/type/enabled, POST /customer/consent",
            "  other: everything else: /install, /event|node|flow/logs/*, the GUI API, /healthcheck, docs",
            "  internet: anyone; trusted: only 203.0.113.0/24, 2001:db8:1000::/48, 198.51.100.10/32; nobody: 404 at the load balancer",
        ].join("\n"));
    });
});
