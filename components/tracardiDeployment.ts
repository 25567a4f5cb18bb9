import * as pulumi from "@pulumi/pulumi";
import type { StackSpec } from "../stacks/schema";
import { baseTags } from "../lib/tags";
import { Network } from "./network";

export interface TracardiDeploymentArgs {
    spec: StackSpec;
    /** Stack name, carried in tags so a customer's resources can be found. */
    stack: string;
}

/** One customer's Tracardi: the root every other resource of the stack hangs from. */
export class TracardiDeployment extends pulumi.ComponentResource {
    readonly network: Network;

    constructor(name: string, args: TracardiDeploymentArgs, opts?: pulumi.ComponentResourceOptions) {
        super("tracardi:index:Deployment", name, {}, opts);
        const { spec } = args;
        const tags = baseTags(args.stack, spec.tags);

        this.network = new Network(`${name}-net`, {
            cidr: spec.network.cidr,
            zoneCount: spec.network.availabilityZones,
            natGateways: spec.network.natGateways,
            tags,
        }, { parent: this });

        this.registerOutputs({ vpcId: this.network.vpcId });
    }
}
