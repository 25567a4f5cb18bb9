import { PolicyPack } from "@pulumi/policy";
import { policies } from "./policies";

// Constructing the pack starts its gRPC server: only `pulumi preview --policy-pack policy` loads this file.
new PolicyPack("tracardi-production", { policies });
