import { gunzipSync } from "zlib";
import { known, Plain, record, records, text } from "./props";
import { AWS } from "./types";

/**
 * The containers a server without Kubernetes runs, read from its user data: the shape the
 * program's lib/vmUserData.ts renders (a bash script that writes files with quoted heredocs and
 * starts one systemd unit per container), read generically enough that a hand-written script of
 * the same kind is read too.
 *
 * Each container comes back in the shape of a Kubernetes container (`name`, `image`, `env`,
 * `envFrom`), so the pack judges both computes' environments with the same readers
 * (lib/kubernetes.ts envOf, isApiContainer, hasSecretEnvFrom):
 * - a variable of a plain env file written by the script is `{ name, value }`;
 * - a variable the unit fetches at start (named in the `.secrets.json` spec that
 *   `tracardi-fetch-secrets` reads, written to `<dir>/secret.env`) is a secret reference
 *   `{ name, valueFrom: { secretKeyRef: { name: <secret id>, key } } }`;
 * - a variable the pack cannot read (an unquoted heredoc's `$` expansion, a `NAME` line taking the
 *   host's value) is `{ name, valueFrom: { unreadable } }`;
 * - an env file the script does not write is an `envFrom` entry `{ fileRef: path }`.
 *
 * The pack imports nothing from the program, so this repeats what lib/vmUserData.ts writes; a test
 * holds the two to the same answers (test/policyUserData.test.ts).
 */

const GZIP_MAGIC = [0x1f, 0x8b];

/** The script a launch template's `userData` holds: base64, of gzip (cloud-init unpacks it) or of the text itself. */
export function decodeUserData(encoded: string): string | undefined {
    const bytes = Buffer.from(encoded.trim(), "base64");
    if (bytes.length === 0) {
        return undefined;
    }
    if (bytes[0] === GZIP_MAGIC[0] && bytes[1] === GZIP_MAGIC[1]) {
        try {
            return gunzipSync(bytes).toString("utf8");
        } catch {
            return undefined;
        }
    }
    return bytes.toString("utf8");
}

/**
 * The script of a server resource's user data: a launch template's (base64), a launch
 * configuration's or an instance's (`userData` as text, or `userDataBase64`). Undefined when it has
 * none, or while it is unknown (a preview).
 */
export function serverScript(type: string, props: Plain): string | undefined {
    return known(() => {
        if (type === AWS.launchTemplate) {
            const encoded = text(props.userData);
            return encoded === undefined ? undefined : decodeUserData(encoded);
        }
        const base64 = text(props.userDataBase64);
        if (base64 !== undefined) {
            return decodeUserData(base64);
        }
        const plain = text(props.userData);
        // The provider takes text, which may itself be gzip in base64 (cloud-init accepts both).
        return plain !== undefined && /^H4sI/.test(plain.trim()) ? decodeUserData(plain) : plain;
    });
}

interface WrittenFile {
    content: string;
    /** Written with a quoted heredoc delimiter: bash expanded nothing in it. */
    literal: boolean;
}

/** `'it'\\''s'` -> `it's`; a bare word as it is. Undefined for words with expansions the pack does not follow. */
function unquote(word: string): string | undefined {
    if (/^(?:'[^']*'|\\')+$/.test(word)) {
        return [...word.matchAll(/'([^']*)'|\\(')/g)].map((m) => m[1] ?? m[2]).join("");
    }
    if (/^"[^"$`\\]*"$/.test(word)) {
        return word.slice(1, -1);
    }
    return /[$`\\"'\s]/.test(word) ? undefined : word;
}

const HEREDOC = /^\s*cat\s+(>>?)\s*('(?:[^']|'\\'')*'|"[^"]*"|\S+)\s+<<(-?)\s*('([^']*)'|"([^"]*)"|\\?([A-Za-z0-9_]+))\s*$/;

interface Script {
    /** Files the script writes with `cat > path <<DELIMITER`, by path. */
    files: Map<string, WrittenFile>;
    /** The script's own lines, heredoc bodies left out. */
    lines: string[];
}

function readScript(script: string): Script {
    const all = script.split("\n");
    const files = new Map<string, WrittenFile>();
    const lines: string[] = [];
    for (let i = 0; i < all.length; i++) {
        const match = HEREDOC.exec(all[i]);
        if (!match) {
            lines.push(all[i]);
            continue;
        }
        const [, redirect, target, dash, , singleQuoted, doubleQuoted, bare] = match;
        const delimiter = singleQuoted ?? doubleQuoted ?? bare;
        const literal = singleQuoted !== undefined || doubleQuoted !== undefined || /<<-?\s*\\/.test(all[i]);
        const body: string[] = [];
        for (i++; i < all.length; i++) {
            const line = dash ? all[i].replace(/^\t+/, "") : all[i];
            if (line === delimiter) {
                break;
            }
            body.push(line);
        }
        const path = unquote(target);
        if (path === undefined) {
            continue;
        }
        const content = body.map((l) => `${l}\n`).join("");
        const before = files.get(path);
        files.set(path, redirect === ">>" && before
            ? { content: before.content + content, literal: before.literal && literal }
            : { content, literal });
    }
    return { files, lines };
}

/** Lines with their backslash continuations joined, as bash and systemd read them. */
function logicalLines(lines: string[]): string[] {
    const out: string[] = [];
    let pending = "";
    for (const line of lines) {
        if (line.endsWith("\\")) {
            pending += `${line.slice(0, -1)} `;
            continue;
        }
        out.push(pending + line);
        pending = "";
    }
    if (pending) {
        out.push(pending);
    }
    return out;
}

type EnvEntry = Plain;

const unreadable = (name: string, why: string): EnvEntry => ({ name, valueFrom: { unreadable: why } });

/** A docker env file (`docker run --env-file`): `NAME=value` taken literally, `#` comments, `NAME` alone takes the host's value. */
export function parseEnvFile(content: string, literal = true): EnvEntry[] {
    const entries: EnvEntry[] = [];
    for (const raw of content.split("\n")) {
        const line = raw.replace(/^\s+/, "");
        if (line === "" || line.startsWith("#")) {
            continue;
        }
        const eq = line.indexOf("=");
        const name = eq < 0 ? line : line.slice(0, eq);
        if (eq < 0) {
            entries.push(unreadable(name, "the host's environment"));
        } else if (!literal && /[$`\\]/.test(line.slice(eq + 1))) {
            entries.push(unreadable(name, "a shell expansion"));
        } else {
            entries.push({ name, value: line.slice(eq + 1) });
        }
    }
    return entries;
}

/** docker run options that take no value (the rest take the next word when not written `--opt=value`). */
const DOCKER_FLAGS = new Set([
    "--rm", "-d", "--detach", "-i", "--interactive", "-t", "--tty", "--init", "--privileged", "--read-only", "-P", "--publish-all",
    "--no-healthcheck", "--oom-kill-disable", "--sig-proxy", "-q", "--quiet", "--disable-content-trust", "--help",
]);

interface DockerRun {
    name?: string;
    image?: string;
    envFiles: string[];
    env: string[];
}

/** The options of `docker run` that matter here, or undefined when the words are not a docker run. */
function dockerRun(words: string[]): DockerRun | undefined {
    const start = words.findIndex((w, i) => /(^|\/)(docker|podman)$/.test(w) && words[i + 1] === "run");
    if (start < 0) {
        return undefined;
    }
    const run: DockerRun = { envFiles: [], env: [] };
    for (let i = start + 2; i < words.length; i++) {
        const word = words[i];
        if (!word.startsWith("-")) {
            run.image = word;
            break;
        }
        const eq = word.indexOf("=");
        const option = word.startsWith("--") && eq > 0 ? word.slice(0, eq) : word;
        if (DOCKER_FLAGS.has(option) || /^-[dit]+$/.test(option)) {
            continue;
        }
        const value = option !== word ? word.slice(eq + 1) : words[++i];
        if (value === undefined) {
            break;
        }
        if (option === "--name") {
            run.name = value;
        } else if (option === "--env-file") {
            run.envFiles.push(value);
        } else if (option === "-e" || option === "--env") {
            run.env.push(value);
        }
    }
    return run;
}

/** What `tracardi-fetch-secrets SPEC` writes: `<dir>/secret.env` naming the spec's variables, fetched from one secret. */
function secretEnvFiles(files: Map<string, WrittenFile>, commands: string[][]): Map<string, EnvEntry[]> {
    const out = new Map<string, EnvEntry[]>();
    for (const words of commands) {
        const fetch = words.findIndex((w) => /(^|\/)tracardi-fetch-secrets$/.test(w));
        const specPath = fetch < 0 ? undefined : words[fetch + 1];
        const spec = specPath === undefined ? undefined : files.get(specPath);
        if (!spec) {
            continue;
        }
        let parsed: Plain;
        try {
            parsed = record(JSON.parse(spec.content));
        } catch {
            continue;
        }
        const dir = text(parsed.dir);
        if (dir === undefined) {
            continue;
        }
        const secretId = text(parsed.secretId) ?? "";
        out.set(`${dir.replace(/\/$/, "")}/secret.env`, records(parsed.env)
            .filter((e) => typeof e.name === "string")
            .map((e) => ({ name: e.name, valueFrom: { secretKeyRef: { name: secretId, key: text(e.key) ?? "" } } })));
    }
    return out;
}

const words = (line: string): string[] => line.trim().split(/\s+/).filter((w) => w !== "");

/** The commands of a systemd unit: ExecStart and ExecStartPre lines, prefixes (-, @, +, !) dropped. */
function unitCommands(unit: string): { pre: string[][]; start: string[][] } {
    const pre: string[][] = [];
    const start: string[][] = [];
    for (const line of logicalLines(unit.split("\n"))) {
        const match = /^\s*(ExecStartPre|ExecStart)\s*=\s*[-@+!:]*(.*)$/.exec(line);
        if (match) {
            (match[1] === "ExecStart" ? start : pre).push(words(match[2]));
        }
    }
    return { pre, start };
}

/** The containers the user data runs (see the module comment), in the order it names them. */
export function containersOfScript(script: string): Plain[] {
    const { files, lines } = readScript(script);
    // A docker run is a unit's ExecStart, or a command of the script itself.
    const runs: { words: string[]; pre: string[][] }[] = [];
    for (const [path, file] of files) {
        if (/\.service$/.test(path)) {
            const { pre, start } = unitCommands(file.content);
            start.forEach((w) => runs.push({ words: w, pre }));
        }
    }
    const scriptCommands = logicalLines(lines).map(words);
    scriptCommands.forEach((w) => runs.push({ words: w, pre: scriptCommands }));

    const containers: Plain[] = [];
    for (const { words: command, pre } of runs) {
        const run = dockerRun(command);
        if (!run || run.image === undefined) {
            continue;
        }
        const secrets = secretEnvFiles(files, pre);
        const env = new Map<string, EnvEntry>();
        const envFrom: Plain[] = [];
        for (const path of run.envFiles) {
            const written = files.get(path);
            const entries = written ? parseEnvFile(written.content, written.literal) : secrets.get(path);
            if (entries === undefined) {
                envFrom.push({ fileRef: path });
                continue;
            }
            entries.forEach((e) => env.set(String(e.name), e));
        }
        // -e overrides the env files.
        for (const assignment of run.env) {
            const [entry] = parseEnvFile(assignment, !/[$`\\'"]/.test(assignment));
            if (entry) {
                env.set(String(entry.name), entry);
            }
        }
        containers.push({ name: run.name ?? run.image, image: run.image, env: [...env.values()], envFrom });
    }
    return containers;
}

/**
 * The containers a server resource's user data runs: none when it has no user data or the pack
 * cannot decode it; undefined while it is unknown (a preview), when nothing can be judged.
 */
export function serverContainers(type: string, props: Plain): Plain[] | undefined {
    const script = serverScript(type, props);
    if (script !== undefined) {
        return containersOfScript(script);
    }
    const unknown = known(() => props.userData ?? props.userDataBase64 ?? null) === undefined;
    return unknown ? undefined : [];
}

/** Server resources whose user data the pack reads. */
export const SERVER_TYPES: readonly string[] = [AWS.launchTemplate, AWS.launchConfiguration, AWS.instance];
