/* global require, __dirname, process */
/* eslint-disable @typescript-eslint/no-require-imports */
// The TypeScript loader of the npm scripts and the tests (`node -r ./scripts/register.js`): sucrase
// turns each .ts file into CommonJS by removing its types and keeps every line where it was, so stack
// traces point at the .ts lines without source maps. Modern syntax (optional chaining, class fields)
// is left to Node as tsc's es2022 target leaves it. Types are checked by `npm run typecheck`.
//
// Both steps are cached, as they were a third of the plan's time: sucrase's output under
// node_modules/.cache/ts, keyed by the file's text, and V8's compiled code through Node's own compile cache.
const crypto = require("crypto");
const fs = require("fs");
const Module = require("module");
const path = require("path");

const OPTIONS = { transforms: ["imports", "typescript"], disableESTransforms: true };
const CACHE = path.join(__dirname, "..", "node_modules", ".cache", "ts");
// Sucrase itself loads only on a cache miss (a twentieth of a plan otherwise); its version, from its
// package.json, keys the cache.
const SALT = `${require("sucrase/package.json").version} ${JSON.stringify(OPTIONS)}\n`;

/** Sucrase's CommonJS for a file's text, from the cache when it has it. */
function compiled(source, filePath) {
    const file = path.join(CACHE, `${crypto.createHash("sha256").update(SALT).update(source).digest("hex")}.js`);
    if (fs.existsSync(file)) {
        return fs.readFileSync(file, "utf8");
    }
    const { code } = require("sucrase").transform(source, { ...OPTIONS, filePath });
    try {
        // Written whole then renamed, so a concurrent run finds either no file or the whole of it.
        fs.mkdirSync(CACHE, { recursive: true });
        const partial = `${file}.${process.pid}`;
        fs.writeFileSync(partial, code);
        fs.renameSync(partial, file);
    } catch {
        // A read-only node_modules: run uncached.
    }
    return code;
}

Module.enableCompileCache?.();
Module._extensions[".ts"] = (loaded, filePath) => loaded._compile(compiled(fs.readFileSync(filePath, "utf8"), filePath), filePath);
