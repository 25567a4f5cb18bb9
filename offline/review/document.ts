import type { StackPlan } from "../harness";
import { renderVerdicts, Verdict } from "../policyRunner";
import { exposureMatrix, renderExposureMatrix } from "../../lib/exposure";
import { renderTable } from "../../lib/table";
import { planTiers } from "../../lib/tiers";
import { EngineReport, planDocument, renderPlan, tierRows } from "../report";
import { Capacity, capacity } from "./capacity";
import { criticalPath, DEFAULT_TIME, DeployTime, typicalTime } from "./deployTime";
import { ServerGroup, serverGroups } from "./servers";
import { ZoneLoss, zoneLoss } from "./zoneLoss";

/**
 * The plan as a review document: plan/<stack>/report.md for people, report.json for tools and
 * resources.json with every resource. Pure: the same plan gives the same bytes.
 */

export interface ReviewExtras {
    /**
     * The cost section, made elsewhere (costEstimate, renderCost): its markdown goes into report.md
     * and its figures under report.json's `cost`. @default none: no cost section
     */
    cost?: { markdown: string; figures: unknown; summary: string };
    /** The architecture picture's SVG (architectureSvg): written as architecture.svg and shown in report.md. @default none */
    architectureSvg?: string;
}

export interface Review {
    /** The stack's groups of servers, read once (their user data unpacked) for every answer. */
    groups: ServerGroup[];
    capacity?: Capacity;
    zoneLoss: ZoneLoss;
    deploy: DeployTime;
}

export function review(plan: StackPlan): Review {
    const groups = serverGroups(plan.resources);
    return { groups, capacity: capacity(plan.resources, groups), zoneLoss: zoneLoss(plan.resources, groups), deploy: criticalPath(plan.resources) };
}

const minutes = (seconds: number) => `${Math.round(seconds / 60)} min`;
const zonesText = (perZone: Record<string, number>) => Object.entries(perZone).map(([z, n]) => `${z}: ${n}`).join(", ") || "-";
const verdictCounts = (verdicts: Verdict[]) => ({
    mandatory: verdicts.filter((v) => v.level === "mandatory").length,
    advisory: verdicts.filter((v) => v.level === "advisory").length,
});
/** A markdown table from rows of cells (the first row is the header). */
function mdTable(rows: string[][]): string {
    const line = (cells: string[]) => `| ${cells.map((c) => c.replace(/\|/g, "\\|")).join(" | ")} |`;
    return [line(rows[0]), line(rows[0].map(() => "---")), ...rows.slice(1).map(line)].join("\n");
}
const bullets = (lines: string[]) => lines.map((l) => `- ${l}`).join("\n");
const fenced = (text: string) => `\`\`\`\n${text}\n\`\`\``;

function capacitySection(figures: Capacity | undefined): string[] {
    if (!figures) {
        return ["## Capacity", "", "The stack has no collector tier."];
    }
    return [
        "## Capacity",
        "",
        mdTable([["collector requests/s", "after one server lost", "after one zone lost", "vCPU for the API"],
            [String(figures.collectorRequestsPerSecond), String(figures.afterOneServerLost), String(figures.afterOneZoneLost), String(figures.vcpu)]]),
        "",
        figures.beyondTested
            ? `**Beyond Tracardi's tested 3000 requests/s**: Elasticsearch ingest, not the API, is the likely limit.`
            : "Elasticsearch ingest, not the API, is the likely limit.",
        "",
        "Assumptions:",
        bullets(figures.assumptions),
    ];
}

function zoneLossSection(loss: ZoneLoss): string[] {
    return [
        "## Zone loss",
        "",
        `After losing any one zone the stack ${loss.survivesAnyZone ? "still serves" : "**does not fully serve**"}.`,
        "",
        mdTable([["tier or service", "per zone", "worst zone", "left after losing it", "serves"],
            ...loss.entries.map((e) => [e.name, zonesText(e.perZone), e.worstZone ?? "-", e.left, e.serves === null ? "outside the stack" : e.serves ? "yes" : "**no**"])]),
        "",
        ...(loss.flags.length ? ["Single points of failure:", bullets(loss.flags), ""] : ["No single point of failure found.", ""]),
        "Assumptions:",
        bullets(loss.assumptions),
    ];
}

function deploySection(plan: StackPlan, deploy: DeployTime): string[] {
    const types = [...new Set(deploy.path.map((s) => s.type))];
    const sources = types.map((type) => [type, typicalTime(plan.resources.find((r) => r.type === type)!).source]);
    return [
        "## Deploy time",
        "",
        `The first \`pulumi up\` takes about **${minutes(deploy.criticalPathSeconds)}** along its critical path (${deploy.criticalPathSeconds} s):`,
        "",
        mdTable([["resource", "type", "seconds"], ...deploy.path.map((s) => [s.name, s.type, String(s.seconds)])]),
        "",
        "Assumptions: a resource starts when everything it depends on (its inputs, dependsOn, its provider and its parents' dependencies) " +
        "has finished; a component finishes with its last child; typical create times per type:",
        bullets([...sources.map(([type, source]) => `${type}: ${source}`), `any other type: ${DEFAULT_TIME.seconds} s (${DEFAULT_TIME.source})`]),
    ];
}

function reportMarkdown(plan: StackPlan, verdicts: Verdict[], engines: EngineReport, figures: Review, extras: ReviewExtras): string {
    const { spec } = plan;
    const { groups } = figures;
    const printed = renderPlan(plan, engines);
    return [
        `# Stack ${plan.stack}: review`,
        "",
        printed.split("\n")[0],
        "",
        ...(extras.architectureSvg ? ["![architecture](architecture.svg)", ""] : []),
        "## Tiers",
        "",
        mdTable([["tier", "instances", "instance type", "host", "reachable from"],
            ...tierRows(plan).map((t) => [t.tier, String(t.instances), t.instanceType, t.host, t.reachableFrom])]),
        "",
        mdTable([["servers", "tier", "instance type", "servers", "per zone"],
            ...groups.map((g) => [`${g.name} (${g.kind})`, g.tier, g.instanceType, String(g.servers), zonesText(g.perZone)])]),
        "",
        "## Exposure",
        "",
        fenced(renderExposureMatrix(exposureMatrix(planTiers(spec), spec.trustedCidrs,
            { widget: spec.loadBalancers.widgetPaths, consent: spec.loadBalancers.consentPaths }), spec.trustedCidrs)),
        "",
        "## Policies",
        "",
        fenced(renderVerdicts(verdicts)),
        "",
        "## Engines",
        "",
        engines.problems.length === 0 ? "Every pod fits and every awaited condition is provided." : bullets(engines.problems),
        "",
        ...capacitySection(figures.capacity),
        "",
        ...zoneLossSection(figures.zoneLoss),
        "",
        ...deploySection(plan, figures.deploy),
        "",
        ...(extras.cost ? [extras.cost.markdown.trimEnd(), ""] : []),
        "## The plan in detail",
        "",
        fenced(printed),
        "",
    ].join("\n");
}

function reportJson(plan: StackPlan, verdicts: Verdict[], engines: EngineReport, figures: Review, extras: ReviewExtras): unknown {
    return {
        stack: plan.stack,
        tiers: figures.groups.map(({ tier, name, kind, instanceType, servers, perZone }) => ({ tier, name, kind, instanceType, servers, perZone })),
        capacity: figures.capacity ?? null,
        zoneLoss: figures.zoneLoss.entries,
        zoneLossSummary: { survivesAnyZone: figures.zoneLoss.survivesAnyZone, flags: figures.zoneLoss.flags, assumptions: figures.zoneLoss.assumptions },
        deploy: figures.deploy,
        engines: { problems: engines.problems },
        policies: verdictCounts(verdicts),
        ...(extras.cost ? { cost: extras.cost.figures } : {}),
    };
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/** The files of plan/<stack>/, by name, and the short summary the console prints. */
export function reviewDocuments(plan: StackPlan, verdicts: Verdict[], engines: EngineReport, extras: ReviewExtras = {}): { files: Record<string, string>; summary: string } {
    const figures = review(plan);
    const files: Record<string, string> = {
        "report.md": reportMarkdown(plan, verdicts, engines, figures, extras),
        "report.json": json(reportJson(plan, verdicts, engines, figures, extras)),
        "resources.json": json(planDocument(plan, verdicts, engines)),
        ...(extras.architectureSvg ? { "architecture.svg": extras.architectureSvg } : {}),
    };
    return { files, summary: renderSummary(plan, verdicts, engines, figures, extras.cost?.summary) };
}

/** The console's few lines: tiers, capacity, zone loss, deploy time, engine problems, policy verdicts. */
function renderSummary(plan: StackPlan, verdicts: Verdict[], engines: EngineReport, figures: Review, cost?: string): string {
    const counts = verdictCounts(verdicts);
    const servers = new Map<string, number>();
    for (const g of figures.groups) {
        servers.set(`${g.tier} ${g.instanceType}`, (servers.get(`${g.tier} ${g.instanceType}`) ?? 0) + g.servers);
    }
    const tiers = [...servers].map(([key, n]) => key.replace(" ", ` ${n} x `)).join(", ");
    const c = figures.capacity;
    const loss = figures.zoneLoss;
    return renderTable([
        ["stack", plan.stack],
        ["tiers", tiers],
        ["capacity", c ? `${c.collectorRequestsPerSecond} collector requests/s by API CPU (${c.afterOneServerLost} after one server lost, ${c.afterOneZoneLost} after one zone lost); ` +
            "search ingest, not measured, is the likely limit" : "-"],
        ["zone loss", loss.survivesAnyZone ? "serves after losing any one zone" : `does not fully serve: ${loss.entries.filter((e) => e.serves === false).map((e) => e.name).join(", ")}`],
        ["single points", String(loss.flags.length)],
        ["deploy time", `${minutes(figures.deploy.criticalPathSeconds)} (critical path)`],
        ...(cost ? [["cost", cost]] : []),
        ["engine problems", String(engines.problems.length)],
        ["policies", `${counts.mandatory} mandatory violation(s), ${counts.advisory} advisory`],
    ]);
}
