import * as assert from "assert";
import { GOAL, median, renderSpeed, speedVerdict, TOLERANCE } from "../offline/speed";

describe("the plan's speed check", () => {
    it("takes the median of odd and even counts of runs", () => {
        assert.strictEqual(median([3, 1, 2]), 2);
        assert.strictEqual(median([4, 1, 3, 2]), 2.5);
    });

    it("compares the fastest plan with the fastest import, so one slowed run moves nothing", () => {
        const verdict = speedVerdict({ plan: [1.2, 9, 1.3], providers: [0.6, 5, 0.7] });
        assert.strictEqual(verdict.ratio, 2);
        assert.deepStrictEqual([verdict.ok, verdict.withinGoal], [true, true]);
    });

    it("passes within the tolerance above the goal and fails beyond it", () => {
        const limit = GOAL * (1 + TOLERANCE);
        const at = (ratio: number) => speedVerdict({ plan: [ratio], providers: [1] });
        assert.deepStrictEqual([at(GOAL + 0.01).ok, at(GOAL + 0.01).withinGoal], [true, false]);
        assert.strictEqual(at(limit).ok, true);
        assert.strictEqual(at(limit + 0.01).ok, false);
    });

    it("prints both figures, the ratio and the verdict", () => {
        const timings = { plan: [3, 2.5], providers: [1, 1.2] };
        const text = renderSpeed("prod", timings, speedVerdict(timings));
        assert.match(text, /^plan of prod: min 2\.50 s, median 2\.75 s over 2 runs$/m);
        assert.match(text, /^providers' import: min 1\.00 s, median 1\.10 s over 2 runs$/m);
        assert.match(text, /ratio \(min over min\): 2\.50x; goal 2x, fails above 2\.50x: ok within the tolerance$/m);
        assert.match(renderSpeed("prod", { plan: [4], providers: [1] }, speedVerdict({ plan: [4], providers: [1] })), /TOO SLOW$/);
    });
});
