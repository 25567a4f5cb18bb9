import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { tierLabels } from "../lib/manifests";
import { EXTERNAL_SEARCH_SECRET, externalSearchSecretData } from "../lib/search";

export interface ExternalSearchArgs {
    provider: k8s.Provider;
    /** Namespace of the Tracardi workloads, whose pods read the Secret. */
    namespace: pulumi.Input<string>;
    /** Password of the external cluster's user (secret config `elasticsearchPassword`). */
    password: pulumi.Output<string>;
    /** PEM CA of the cluster's HTTP certificate (secret config `elasticsearchCa`). @default none: the system's roots verify it */
    ca?: pulumi.Output<string>;
}

/**
 * An Elasticsearch the stack does not run (an Elastic Cloud deployment, for example): nothing
 * is provisioned for search but the Secret the API pods take its password and CA from.
 */
export class ExternalSearch extends pulumi.ComponentResource {
    constructor(name: string, args: ExternalSearchArgs, opts?: pulumi.ComponentResourceOptions) {
        super("tracardi:search:External", name, {}, opts);
        new k8s.core.v1.Secret(`${name}-credentials`, {
            metadata: { name: EXTERNAL_SEARCH_SECRET.name, namespace: args.namespace, labels: tierLabels("search") },
            type: "Opaque",
            stringData: pulumi.secret(pulumi.all([args.password, args.ca]).apply(([password, ca]) => externalSearchSecretData(password, ca))),
        }, { parent: this, provider: args.provider });
        this.registerOutputs({});
    }
}
