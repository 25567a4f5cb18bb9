import type { Policies } from "@pulumi/policy";
import { advisoryPolicies } from "./advisory";
import { auditPolicies } from "./audit";
import { dataPolicies } from "./data";
import { exposurePolicies } from "./exposure";
import { serverPolicies } from "./servers";
import { topologyPolicies } from "./topology";
import { transportPolicies } from "./transport";

/** Every policy of the pack, for its entry file and for the offline runner. */
export const policies: Policies = [
    ...topologyPolicies, ...exposurePolicies, ...transportPolicies, ...dataPolicies, ...serverPolicies, ...auditPolicies, ...advisoryPolicies,
];
