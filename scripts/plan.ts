import { processIo, runPlan } from "../offline/commands";

// `npm run plan -- [stack]`: the offline plan of Pulumi.<stack>.yaml (default prod).
runPlan(process.argv[2] ?? "prod", processIo()).then((code) => process.exit(code));
