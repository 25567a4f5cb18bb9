import * as pulumi from "@pulumi/pulumi";
import { TracardiDeployment } from "../components/tracardiDeployment";
import { RawConfig } from "./config";
import { NAMESPACE } from "./errors";
import type { StackSpec } from "./schema";
import { parseStackConfig } from "./spec";

export interface Deployed {
    spec: StackSpec;
    deployment: TracardiDeployment;
    /** What the stack exports. */
    outputs: Record<string, pulumi.Output<unknown>>;
}

/** Validates the configuration and builds the stack: the whole program behind index.ts. */
export function deploy(config: RawConfig, stack = pulumi.getStack()): Deployed {
    const { spec, secrets } = parseStackConfig(config, `stack ${stack}`);
    const secretConfig = new pulumi.Config(NAMESPACE);
    const givenSecrets = Object.fromEntries(secrets.map((key) => [key, secretConfig.requireSecret(key)]));
    const deployment = new TracardiDeployment("tracardi", { spec, stack, givenSecrets });
    return {
        spec,
        deployment,
        outputs: {
            urls: pulumi.output(deployment.edge.urls),
            vpcId: deployment.network.vpcId,
            // EKS compute only.
            ...(deployment.eks && deployment.workloads ? {
                clusterName: deployment.eks.clusterName,
                namespace: deployment.workloads.namespace,
                kubeconfig: deployment.eks.kubeconfig,
            } : {}),
            adminEmail: pulumi.output(spec.adminEmail),
            adminPassword: pulumi.secret(deployment.secrets.values.adminPassword),
        },
    };
}
