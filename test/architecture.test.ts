import * as assert from "assert";
import type { StackPlan } from "../offline/harness";
import { ArchitectureGraph, architectureGraph, architectureSvg, graphvizWorker, spreadOverZones } from "../offline/review/architecture";
import { planTiers } from "../lib/tiers";
import { planOf, planVariant, STACK_FILES } from "./helpers/plans";
import { xmlProblem } from "./helpers/xml";

const boxesIn = (svg: string) => (svg.match(/<g id="node\d+" class="node">/g) ?? []).length;
/** The SVG's text, with the few references Graphviz writes turned back into characters. */
const textOf = (svg: string) => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]
    .replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, "\"").replace(/&#45;/g, "-").replace(/&amp;/g, "&")).join("\n");
const box = (graph: ArchitectureGraph, id: string) => graph.boxes.find((b) => b.id === id);
const arrow = (graph: ArchitectureGraph, from: string, to: string) => graph.arrows.find((a) => a.from === from && a.to === to);
/** Servers per zone of a tier, as drawn. */
const perZone = (graph: ArchitectureGraph, tier: string) =>
    Object.fromEntries(graph.boxes.filter((b) => b.tier === tier && b.zone).map((b) => [b.zone!, b.count!]));

describe("the XML well-formedness check the picture's test relies on", () => {
    const good = `<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN"
 "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">
<!-- a comment -->
<svg a="1" b='x &amp; y &#45; &#x3c;'><g><text>a &lt; b</text><![CDATA[<raw>]]><br/></g></svg>
`;
    it("accepts a well-formed document with a prolog, references, CDATA and empty elements", () => {
        assert.strictEqual(xmlProblem(good), undefined);
    });

    const malformed: [string, string][] = [
        ["an end tag that does not match", "<svg><g></svgx></svg>"],
        ["crossed tags", "<svg><g><text></g></text></svg>"],
        ["an element never closed", "<svg><g></g>"],
        ["two root elements", "<svg></svg><svg></svg>"],
        ["text after the root", "<svg></svg>tail"],
        ["a duplicate attribute", "<svg a=\"1\" a=\"2\"></svg>"],
        ["an unquoted attribute", "<svg a=1></svg>"],
        ["a < inside an attribute value", "<svg a=\"<\"></svg>"],
        ["attributes not separated by white space", "<svg a=\"1\"b=\"2\"></svg>"],
        ["a bare ampersand", "<svg>fish & chips</svg>"],
        ["an entity XML does not predefine", "<svg>&nbsp;</svg>"],
        ["a character reference to a control character", "<svg>&#1;</svg>"],
        ["a control character", "<svg>\u0001</svg>"],
        ["-- inside a comment", "<svg><!-- a -- b --></svg>"],
        ["]]> in text", "<svg>a ]]> b</svg>"],
        ["an XML declaration after the start", "<svg><?xml version=\"1.0\"?></svg>"],
        ["no root element at all", "<?xml version=\"1.0\"?>\n<!-- only a comment -->"],
        ["a truncated document", good.slice(0, good.length - 10)],
    ];
    for (const [what, text] of malformed) {
        it(`refuses ${what}`, () => {
            assert.notStrictEqual(xmlProblem(text), undefined, text);
        });
    }
});

describe("servers spread over zones", () => {
    it("as Auto Scaling balances them: evenly, the odd ones in the first zones", () => {
        assert.deepStrictEqual([...spreadOverZones(3, ["a", "b", "c"])], [["a", 1], ["b", 1], ["c", 1]]);
        assert.deepStrictEqual([...spreadOverZones(5, ["a", "b"])], [["a", 3], ["b", 2]]);
        assert.deepStrictEqual([...spreadOverZones(1, ["a", "b", "c"])], [["a", 1], ["b", 0], ["c", 0]]);
    });
});

describe("the architecture picture of every stack file", function () {
    // Each stack file is planned once (seconds each, more on a busy machine), in a hook of its own.
    this.timeout(60000);
    const plans = new Map<string, StackPlan>();
    const svgs = new Map<string, string>();

    for (const file of STACK_FILES) {
        describe(file, () => {
            before(async () => {
                plans.set(file, await planOf(file));
                svgs.set(file, await architectureSvg(plans.get(file)!));
            });

            it("is well-formed XML, an SVG document", () => {
                const svg = svgs.get(file)!;
                assert.strictEqual(xmlProblem(svg), undefined);
                assert.match(svg, /<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
            });

            it("names every tier, search and every host name of the stack", () => {
                const text = textOf(svgs.get(file)!);
                const tiers = planTiers(plans.get(file)!.spec);
                for (const tier of tiers) {
                    assert.ok(text.includes(`${tier.name} servers`), `${tier.name} servers`);
                    assert.ok(text.includes(`${tier.name} load balancers`), `${tier.name} load balancers`);
                    assert.ok(text.split("\n").includes(tier.host), tier.host);
                }
                assert.match(text, /Elasticsearch \d+\.\d+\.\d+ \((ECK|external|EC2)\)/);
            });

            it("has at most 40 boxes, one per box of the model", () => {
                const graph = architectureGraph(plans.get(file)!);
                assert.ok(boxesIn(svgs.get(file)!) <= 40, `${boxesIn(svgs.get(file)!)} boxes`);
                assert.strictEqual(boxesIn(svgs.get(file)!), graph.boxes.length);
            });

            it("gives the same bytes for the same plan", async () => {
                assert.strictEqual(await architectureSvg(plans.get(file)!), svgs.get(file));
            });

            it("draws each tier's servers where the program puts them: every server in a zone of the VPC", () => {
                const plan = plans.get(file)!;
                const graph = architectureGraph(plan);
                for (const tier of planTiers(plan.spec)) {
                    const zones = perZone(graph, tier.name);
                    assert.strictEqual(Object.values(zones).reduce((a, b) => a + b, 0), tier.instances, tier.name);
                    assert.ok(Object.keys(zones).every((z) => graph.zones.includes(z)), tier.name);
                    assert.ok(Math.max(...Object.values(zones)) - Math.min(...Object.values(zones)) <= 1, `${tier.name} balanced`);
                }
            });
        });
    }

    it("lets the Internet reach the collector paths of the public API only, the trusted networks the GUI and its API", async () => {
        const prod = architectureGraph(await planOf("Pulumi.prod.yaml"));
        const collector = arrow(prod, "internet", "lb-public-api")!;
        assert.ok(collector.label.includes("collector paths only:") && collector.label.includes("/track"), collector.label.join(" | "));
        assert.ok(!collector.label.includes("all paths"));
        for (const tier of ["internal-api", "gui"]) {
            assert.strictEqual(arrow(prod, "internet", `lb-${tier}`), undefined, tier);
            assert.ok(arrow(prod, "trusted", `lb-${tier}`)!.label.includes("trusted networks only"), tier);
        }
        assert.strictEqual(arrow(prod, "trusted", "lb-public-api"), undefined);
        // The minimal profile's one API cluster: collector paths for all, every path for the trusted networks.
        const small = architectureGraph(await planOf("Pulumi.small.yaml"));
        assert.ok(arrow(small, "internet", "lb-api")!.label.includes("collector paths only:"));
        assert.deepStrictEqual(arrow(small, "trusted", "lb-api")!.label.slice(1), ["all paths", "trusted networks only"]);
    });

    it("connects the API tiers, and only they, to search 9200, Redis 6379 and MySQL 3306", async () => {
        const prod = architectureGraph(await planOf("Pulumi.prod.yaml"));
        for (const tier of ["public-api", "internal-api"]) {
            assert.deepStrictEqual(arrow(prod, `servers-${tier}`, "servers-search")?.label, ["port 9200"], tier);
            assert.deepStrictEqual(arrow(prod, `servers-${tier}`, "redis")?.label, ["port 6379"], tier);
            assert.deepStrictEqual(arrow(prod, `servers-${tier}`, "mysql")?.label, ["port 3306"], tier);
        }
        const intoData = prod.arrows.filter((a) => ["servers-search", "redis", "mysql"].includes(a.to));
        assert.deepStrictEqual(intoData.map((a) => a.from).sort(), [...Array(3).fill("servers-internal-api"), ...Array(3).fill("servers-public-api")]);
        assert.deepStrictEqual(arrow(prod, "lb-public-api", "servers-public-api")?.label, ["port 30080 (health checks 30083)"]);
        assert.ok(box(prod, "control-plane"));
        assert.ok(arrow(prod, "trusted", "control-plane"));
    });

    it("draws an external search cluster outside the VPC, reached through NAT", async () => {
        const external = architectureGraph(await planOf("Pulumi.external.yaml"));
        const search = box(external, "search-external")!;
        assert.strictEqual(search.group, undefined);
        assert.ok(search.label.includes("https://es-1.search.shop.example.net:9200".slice(8)), search.label.join(" | "));
        assert.deepStrictEqual(arrow(external, "servers-api", "search-external")?.label, ["port 9200 (HTTPS)", "out through NAT"]);
        assert.ok(!external.groups.some((g) => g.id === "servers-search"));
    });
});

describe("the architecture picture follows the stack", function () {
    this.timeout(60000);
    it("draws a third zone: its subnets, and the servers balanced over three zones", async () => {
        const [two, three] = [await planOf("Pulumi.small.yaml"),
            await planVariant("Pulumi.small.yaml", { network: { availabilityZones: 3 }, publicApi: { instances: 3 } }, "three-zones")];
        const [before, after] = [architectureGraph(two), architectureGraph(three)];
        assert.deepStrictEqual(before.zones, ["eu-central-1a", "eu-central-1b"]);
        assert.deepStrictEqual(after.zones, ["eu-central-1a", "eu-central-1b", "eu-central-1c"]);
        for (const tier of ["public", "app", "data"]) {
            const zonesOf = (g: ArchitectureGraph) => g.groups.find((x) => x.id === `subnets-${tier}`)!.label.slice(1).map((line) => line.split(" ")[0]);
            assert.deepStrictEqual(zonesOf(before), before.zones, tier);
            assert.deepStrictEqual(zonesOf(after), after.zones, tier);
        }
        assert.deepStrictEqual(perZone(before, "api"), { "eu-central-1a": 1, "eu-central-1b": 1 });
        assert.deepStrictEqual(perZone(after, "api"), { "eu-central-1a": 1, "eu-central-1b": 1, "eu-central-1c": 1 });
        // One NAT gateway either way: the minimal profile's single one, in the first zone.
        assert.deepStrictEqual(box(after, "nat")!.label, ["NAT gateway", "in eu-central-1a only"]);
        assert.deepStrictEqual(box(architectureGraph(await planOf("Pulumi.prod.yaml")), "nat")!.label, ["3 NAT gateways", "one per zone"]);
    });

    it("the plan's worker thread draws the same bytes as in-process, and a dead worker fails the render instead of hanging", async () => {
        const plan = await planOf("Pulumi.small.yaml");
        const worker = graphvizWorker();
        try {
            assert.strictEqual(await architectureSvg(plan, worker.render), await architectureSvg(plan));
        } finally {
            await worker.close();
        }
        await assert.rejects(worker.render("digraph { a }"), /graphviz worker exited/);
    });

    it("draws a VM stack's Auto Scaling groups and workers, without an EKS control plane", async () => {
        const vm = architectureGraph(await planOf("Pulumi.vm.yaml"));
        assert.strictEqual(box(vm, "control-plane"), undefined);
        for (const tier of ["public-api", "internal-api", "gui", "workers"]) {
            assert.match(vm.groups.find((g) => g.id === `servers-${tier}`)!.label[1], /^Auto Scaling group: \d+ x /, tier);
        }
        assert.deepStrictEqual(arrow(vm, "lb-public-api", "servers-public-api")?.label, ["port 80"]);
        // The workers share the GUI-facing API's security group, so the data services admit them too.
        assert.ok(arrow(vm, "servers-workers", "redis") && arrow(vm, "servers-workers", "mysql"));
        assert.strictEqual(box(vm, "search-external"), undefined, "the VM stack runs its own search servers");
    });

    it("draws search on EC2 servers: a server per zone in the data subnets, its internal load balancer, the API tiers on 9200", async () => {
        const plan = await planOf("Pulumi.vm.yaml");
        const graph = architectureGraph(plan);
        assert.strictEqual(box(graph, "search-external"), undefined);
        assert.strictEqual(graph.groups.find((g) => g.id === "servers-search")!.parent, "subnets-data");
        assert.match(graph.groups.find((g) => g.id === "servers-search")!.label.join(" | "), /Elasticsearch 8\.11\.3 \(EC2\) \| 3 Auto Scaling groups: 3 x r6i\.large \| 100 GiB volume per node/);
        assert.deepStrictEqual(perZone(graph, "search"), { "eu-west-1a": 1, "eu-west-1b": 1, "eu-west-1c": 1 });
        assert.deepStrictEqual(box(graph, "lb-search"), { id: "lb-search", kind: "load-balancers", tier: "search", group: "servers-search",
            label: ["search load balancers", "1 x NLB, internal"] });
        for (const tier of ["public-api", "internal-api", "workers"]) {
            assert.deepStrictEqual(arrow(graph, `servers-${tier}`, "servers-search")?.label, ["port 9200"], tier);
        }
        assert.strictEqual(arrow(graph, "servers-gui", "servers-search"), undefined);
        assert.ok(!graph.arrows.some((a) => a.from === "lb-search"), "the load balancer inside the search frame has no arrow to it");
        const svg = await architectureSvg(plan);
        assert.strictEqual(xmlProblem(svg), undefined);
        assert.ok(boxesIn(svg) <= 40);
    });
});
