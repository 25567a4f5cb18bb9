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
 * Runs a TypeScript file in a child process, with the Node that runs the tests and the same
 * TypeScript loader as `npm run plan`, or ts-node, which the Pulumi CLI loads a program with.
 */
export function runTs(script: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; loader?: "ts-node" } = {}): Promise<Run> {
    const loader = options.loader === "ts-node" ? "ts-node/register/transpile-only" : path.join(ROOT, "scripts", "register.js");
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, ["-r", loader, path.resolve(ROOT, script), ...args], {
            cwd: options.cwd ?? ROOT,
            env: { ...process.env, ...options.env },
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
