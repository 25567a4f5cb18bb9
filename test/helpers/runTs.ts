import { spawn } from "child_process";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..", "..");

export interface Run {
    code: number | null;
    stdout: string;
    stderr: string;
}

/** Stack-trace lines as Node prints them. */
export const STACK_FRAME = /^\s+at /m;

/**
 * Runs a TypeScript file in a child process, with the Node that runs the tests and
 * ts-node in transpile-only mode, as `npm run plan` does.
 */
export function runTs(script: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Run> {
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, ["-r", require.resolve("ts-node/register/transpile-only"), path.resolve(ROOT, script), ...args], {
            cwd: options.cwd ?? ROOT,
            // ts-node looks for tsconfig.json from the working directory, which may be elsewhere.
            env: { ...process.env, TS_NODE_PROJECT: path.join(ROOT, "tsconfig.json"), ...options.env },
            stdio: ["ignore", "pipe", "pipe"],
        });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (chunk) => (stdout += chunk));
        child.stderr.on("data", (chunk) => (stderr += chunk));
        child.on("error", reject);
        child.on("close", (code) => resolve({ code, stdout, stderr }));
    });
}
