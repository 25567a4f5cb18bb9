import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { renderSpeed, SpeedVerdict, speedVerdict, Timings } from "../offline/speed";

// `npm run plan-speed -- [stack] [runs]`: times the offline plan of a stack (default prod) against the
// providers' import alone, alternating the two so both see the same load, and exits 1 when the plan is
// too slow. Runs are added in rounds (at most three) while the verdict fails, so a burst of other work
// on the machine does not fail it.
const ROOT = path.resolve(__dirname, "..");
const stack = process.argv[2] ?? "prod";
const runs = Number(process.argv[3] ?? 5);

const PROVIDERS = "require('@pulumi/pulumi'); require('@pulumi/aws'); require('@pulumi/kubernetes'); require('@pulumi/random')";
// What `npm run plan` and the README's import figure run, without npm's own start-up: the plan's
// node arguments read from package.json, so the two cannot drift apart.
const planScript = (JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts.plan;
const plan = [...planScript.split(/\s+/).slice(1), stack];
const providers = ["-e", PROVIDERS];

function seconds(args: string[]): number {
    const start = process.hrtime.bigint();
    const run = spawnSync(process.execPath, args, { cwd: ROOT, stdio: ["ignore", "ignore", "pipe"] });
    if (run.status !== 0) {
        throw new Error(`node ${args.join(" ")} exited ${run.status}: ${run.stderr}`);
    }
    return Number(process.hrtime.bigint() - start) / 1e9;
}

function measure(): { timings: Timings; verdict: SpeedVerdict } {
    // A first plan fills the loader's caches, as any earlier plan on this machine has.
    seconds(plan);
    const timings: Timings = { plan: [], providers: [] };
    for (let round = 1; ; round++) {
        for (let i = 0; i < runs; i++) {
            timings.providers.push(seconds(providers));
            timings.plan.push(seconds(plan));
        }
        const verdict = speedVerdict(timings);
        if (verdict.ok || round === 3) {
            return { timings, verdict };
        }
    }
}

const { timings, verdict } = measure();
console.log(renderSpeed(stack, timings, verdict));
process.exit(verdict.ok ? 0 : 1);
