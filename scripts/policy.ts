import { processIo, runPolicy } from "../offline/commands";

// `npm run policy -- <stack> [--config <file>]`: the policy pack over Pulumi.<stack>.yaml, offline.
runPolicy(process.argv.slice(2), processIo()).then((code) => process.exit(code));
