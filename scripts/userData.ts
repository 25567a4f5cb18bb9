import * as fs from "fs";
import * as path from "path";
import { planStackFile } from "../offline/harness";
import { stacksIn } from "../offline/commands";
import { vmUserData } from "../offline/userData";

// `npm run user-data`: writes the user data of every VM tier of every stack file to
// plan/<stack>/user-data/<launch template>.sh (beside the plan's review files), for shellcheck in CI.
(async () => {
    for (const stack of stacksIn(".")) {
        const scripts = vmUserData((await planStackFile(`Pulumi.${stack}.yaml`)).resources);
        for (const [name, text] of Object.entries(scripts)) {
            const file = path.join("plan", stack, "user-data", `${name}.sh`);
            fs.mkdirSync(path.dirname(file), { recursive: true });
            fs.writeFileSync(file, text);
            console.log(`wrote ${file}`);
        }
    }
})().catch((err) => {
    console.error(err);
    process.exit(1);
});
