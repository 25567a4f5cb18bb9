import * as assert from "assert";
import * as fs from "fs";

// Types the loader removes: a transpiler that dropped these lines would shift every trace below them.
interface Marked {
    line: number;
    stack: string;
}
type Lines = string[];

describe("the TypeScript loader (scripts/register.js)", () => {
    it("keeps every line where it was, so stack traces point at the .ts line without source maps", () => {
        const lines: Lines = fs.readFileSync(__filename, "utf8").split("\n");
        const marked: Marked = { line: lines.findIndex((l) => l.includes("new Error(\"marked\")")) + 1, stack: new Error("marked").stack ?? "" };
        assert.match(marked.stack, new RegExp(`register\\.test\\.ts:${marked.line}:\\d+\\)?$`, "m"));
    });
});
