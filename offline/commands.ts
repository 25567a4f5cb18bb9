import * as fs from "fs";
import * as path from "path";
import { readStackFile } from "../stacks/config";
import { ConfigError } from "../stacks/errors";
import { planStack, planStackFile, StackPlan } from "./harness";
import { mandatoryViolations, PackConfig, renderVerdicts, runPlanPolicies, Verdict } from "./policyRunner";
import { architectureSvg, graphvizWorker } from "./review/architecture";
import { costEstimate, costSummary, renderCost } from "./review/cost";
import { EngineReport, engineReport } from "./report";
import { reviewDocuments } from "./review/document";

export interface CommandIo {
    /** Folder holding the Pulumi.<stack>.yaml files; plan/ is written there. */
    cwd: string;
    out: (line: string) => void;
    err: (line: string) => void;
}

export const processIo = (): CommandIo => ({ cwd: process.cwd(), out: console.log, err: console.error });

/** Stack names that have a stack file in a folder. */
export function stacksIn(dir: string): string[] {
    return fs.readdirSync(dir).filter((f) => /^Pulumi\..+\.yaml$/.test(f)).map((f) => f.slice("Pulumi.".length, -".yaml".length));
}

/** Resolves Pulumi.<stack>.yaml, refusing an unknown stack with the list of known ones. */
export function stackFile(stack: string, dir: string): string {
    const file = path.join(dir, `Pulumi.${stack}.yaml`);
    if (!fs.existsSync(file)) {
        throw new ConfigError([{ key: "(stack)", reason: `has no file ${path.basename(file)}`, given: stack, allowed: stacksIn(dir).join(", ") }]);
    }
    return file;
}

/** Runs a command, turning a user's mistake into its message and an exit code. */
async function guarded(io: CommandIo, mistakeCode: number, command: () => Promise<number>): Promise<number> {
    try {
        return await command();
    } catch (err) {
        if (err instanceof ConfigError) {
            io.err(err.message);
            return mistakeCode;
        }
        throw err;
    }
}

/**
 * Every file of plan/<stack>/ and the console's summary. Prices follow the stack file's region: the
 * mocks answer every region alike.
 */
export async function stackReview(plan: StackPlan, verdicts: Verdict[], engines: EngineReport, region: string,
    svg: Promise<string> = architectureSvg(plan)): Promise<{ files: Record<string, string>; summary: string }> {
    const estimate = costEstimate(plan.resources, plan.spec, region);
    return reviewDocuments(plan, verdicts, engines, {
        cost: { markdown: renderCost(estimate), figures: estimate, summary: costSummary(estimate) },
        architectureSvg: await svg,
    });
}

/**
 * The offline plan of one stack: builds it under mocks, checks what the engines would do with it,
 * runs the policies, prints a summary and writes the review files to plan/<stack>/ (report.md,
 * report.json, resources.json). Exit code 0; 1 with the problems of a bad stack file, or with pods
 * that cannot be placed and awaits nothing satisfies (such a stack cannot finish `pulumi up`).
 * Policy violations are counted, not fatal: `npm run policy` is the gate.
 */
export function runPlan(stack: string, io: CommandIo): Promise<number> {
    return guarded(io, 1, async () => {
        // Graphviz's WebAssembly loads in a worker while the stack is built.
        const graphviz = graphvizWorker();
        let review: { files: Record<string, string>; summary: string };
        let engines: EngineReport;
        try {
            const config = readStackFile(stackFile(stack, io.cwd));
            const plan = await planStack(config, stack);
            // The worker draws while this thread runs the policies.
            const svg = architectureSvg(plan, graphviz.render);
            const verdicts = await runPlanPolicies(plan);
            engines = engineReport(plan);
            review = await stackReview(plan, verdicts, engines, config.values["aws:region"] ?? "", svg);
        } finally {
            await graphviz.close();
        }
        const { files, summary } = review;
        io.out(summary);
        for (const problem of engines.problems) {
            io.out(`  - ${problem}`);
        }
        const dir = path.join("plan", stack);
        fs.mkdirSync(path.join(io.cwd, dir), { recursive: true });
        for (const [name, text] of Object.entries(files)) {
            fs.writeFileSync(path.join(io.cwd, dir, name), text);
        }
        io.out(`wrote ${path.join(dir, "report.md")} (and ${Object.keys(files).filter((f) => f !== "report.md").join(", ")})`);
        return engines.problems.length === 0 ? 0 : 1;
    });
}

/**
 * The policy pack offline: `npm run policy -- <stack> [--config <file>]` runs every policy of
 * policy/ over the stack built under mocks. Exit 1 on a mandatory violation, 2 on a bad stack.
 * The config file has the shape `pulumi preview --policy-pack-config` takes.
 */
export function runPolicy(argv: string[], io: CommandIo): Promise<number> {
    return guarded(io, 2, async () => {
        const configAt = argv.indexOf("--config");
        const configFile = configAt >= 0 ? argv[configAt + 1] : undefined;
        const stack = argv.filter((_, i) => configAt < 0 || (i !== configAt && i !== configAt + 1))[0] ?? "prod";
        const file = stackFile(stack, io.cwd);
        const config = configFile ? JSON.parse(fs.readFileSync(path.resolve(io.cwd, configFile), "utf8")) as PackConfig : undefined;
        const verdicts = await runPlanPolicies(await planStackFile(file), config);
        io.out(`Stack ${stack}\n${renderVerdicts(verdicts)}`);
        return mandatoryViolations(verdicts).length > 0 ? 1 : 0;
    });
}
