import * as fs from "fs";
import * as path from "path";
import { planStackFile } from "../offline/harness";
import { planDocument, renderPlan } from "../offline/report";
import { ConfigError } from "../stacks/errors";

/**
 * The offline plan: `npm run plan -- [stack]` builds Pulumi.<stack>.yaml under mocks (no cloud,
 * no Pulumi CLI), prints what it would deploy and writes plan/<stack>.json.
 */
async function main(stack: string): Promise<void> {
    const file = path.resolve(`Pulumi.${stack}.yaml`);
    if (!fs.existsSync(file)) {
        const stacks = fs.readdirSync(".").filter((f) => /^Pulumi\..+\.yaml$/.test(f)).map((f) => f.slice(7, -5));
        throw new ConfigError([{ key: "(stack)", reason: `has no file ${path.basename(file)}`, given: stack, allowed: stacks.join(", ") }]);
    }
    const plan = await planStackFile(file);
    console.log(renderPlan(plan));
    fs.mkdirSync("plan", { recursive: true });
    const out = path.join("plan", `${stack}.json`);
    fs.writeFileSync(out, `${JSON.stringify(planDocument(plan), null, 2)}\n`);
    console.log(`wrote ${out}`);
}

main(process.argv[2] ?? "prod").then(
    () => process.exit(0),
    (err) => {
        console.error(err instanceof ConfigError ? err.message : err);
        process.exit(1);
    },
);
