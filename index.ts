import { runtimeConfig } from "./stacks/config";
import { deploy } from "./stacks/deploy";

const { outputs } = deploy(runtimeConfig());

export const vpcId = outputs.vpcId;
