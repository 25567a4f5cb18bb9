import { runtimeConfig } from "./stacks/config";
import { deploy } from "./stacks/deploy";

const { outputs } = deploy(runtimeConfig());

/** https:// address of each cluster: public API, internal API and GUI (minimal: api and gui). */
export const urls = outputs.urls;
export const vpcId = outputs.vpcId;
/** EKS compute only: the cluster, the workloads' namespace and a kubeconfig. */
export const clusterName = outputs.clusterName;
export const namespace = outputs.namespace;
/** `pulumi stack output --show-secrets kubeconfig > kubeconfig.json` for kubectl. */
export const kubeconfig = outputs.kubeconfig;
export const adminEmail = outputs.adminEmail;
export const adminPassword = outputs.adminPassword;
