import * as pulumi from "@pulumi/pulumi";
import { TracardiDeployment } from "../components/tracardiDeployment";
import { RawConfig, tracardiValues } from "./config";
import type { StackSpec } from "./schema";
import { parseSpec } from "./spec";

export interface Deployed {
    spec: StackSpec;
    deployment: TracardiDeployment;
    /** What the stack exports. */
    outputs: Record<string, pulumi.Output<unknown>>;
}

/** Validates the configuration and builds the stack: the whole program behind index.ts. */
export function deploy(config: RawConfig, stack = pulumi.getStack()): Deployed {
    const spec = parseSpec(tracardiValues(config), `stack ${stack}`);
    const deployment = new TracardiDeployment("tracardi", { spec, stack });
    return {
        spec,
        deployment,
        outputs: {
            vpcId: deployment.network.vpcId,
        },
    };
}
