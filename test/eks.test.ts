import * as assert from "assert";
import { ACCOUNT } from "../offline/mocks";
import { ofType } from "../offline/query";
import { renderKubeconfig } from "../lib/kubeconfig";
import { stackNames } from "../lib/naming";
import { planOf } from "./helpers/plans";

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe("EKS cluster", () => {
    it("pins the Kubernetes version, encrypts secrets with its own key, logs the control plane, authenticates with access entries", async () => {
        const plan = await planOf("Pulumi.prod.yaml");
        const [cluster] = ofType(plan.resources, "aws:eks/cluster:Cluster");
        const inputs = cluster.inputs as Obj;
        assert.strictEqual(inputs.version, plan.spec.kubernetes.version);
        assert.strictEqual(inputs.name, "tracardi-prod");
        assert.deepStrictEqual(inputs.encryptionConfig.resources, ["secrets"]);
        const [key] = ofType(plan.resources, "aws:kms/key:Key");
        assert.strictEqual((key.inputs as Obj).enableKeyRotation, true);
        assert.deepStrictEqual(inputs.enabledClusterLogTypes, ["api", "audit", "authenticator", "controllerManager", "scheduler"]);
        assert.strictEqual(inputs.accessConfig.authenticationMode, "API");
        const logGroups = ofType(plan.resources, "aws:cloudwatch/logGroup:LogGroup").map((g) => (g.inputs as Obj).name);
        assert.ok(logGroups.includes("/aws/eks/tracardi-prod/cluster"));
    });

    it("lets the account administer the secrets key and only the cluster role use it", async () => {
        const plan = await planOf("Pulumi.prod.yaml");
        const key = ofType(plan.resources, "aws:kms/key:Key").find((k) => k.name.endsWith("-secrets"))!;
        const role = ofType(plan.resources, "aws:iam/role:Role").find((r) => r.name.endsWith("-control-plane"))!;
        const roleArn = `arn:aws:iam::${ACCOUNT}:role/${role.name}`;
        assert.ok(key.propertyDependencies.policy.includes(role.urn), "the key policy must wait for the role it names");
        const policy = JSON.parse((key.inputs as Obj).policy);
        const principals = (policy.Statement as Obj[]).map((st) => [st.Sid, st.Principal.AWS]);
        assert.deepStrictEqual(principals, [
            ["AccountAdministersKey", `arn:aws:iam::${ACCOUNT}:root`],
            ["AccountGrantsForAwsResources", `arn:aws:iam::${ACCOUNT}:root`],
            ["ClusterRoleUsesKey", roleArn],
        ]);
        const use = policy.Statement.find((st: Obj) => st.Sid === "ClusterRoleUsesKey");
        assert.deepStrictEqual(use.Action, ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey", "kms:ListGrants"]);
        assert.deepStrictEqual(policy.Statement[1].Condition, { Bool: { "kms:GrantIsForAWSResource": "true" } });
    });

    it("keeps the API endpoint private, open publicly only to the trusted IPv4 networks", async () => {
        const plan = await planOf("Pulumi.prod.yaml");
        const vpc = (ofType(plan.resources, "aws:eks/cluster:Cluster")[0].inputs as Obj).vpcConfig;
        assert.strictEqual(vpc.endpointPrivateAccess, true);
        assert.strictEqual(vpc.endpointPublicAccess, true);
        assert.deepStrictEqual(vpc.publicAccessCidrs, plan.spec.trustedCidrs.filter((c) => !c.includes(":")));
        assert.ok(!vpc.publicAccessCidrs.includes("0.0.0.0/0"));
    });

    it("trusts service-account tokens through an OIDC provider, and gives EBS CSI a role for its own account only", async () => {
        const plan = await planOf("Pulumi.prod.yaml");
        const [oidc] = ofType(plan.resources, "aws:iam/openIdConnectProvider:OpenIdConnectProvider");
        assert.deepStrictEqual((oidc.inputs as Obj).clientIdLists, ["sts.amazonaws.com"]);
        const ebs = ofType(plan.resources, "aws:iam/role:Role").find((r) => r.name.endsWith("-ebs-csi"))!;
        const statement = JSON.parse((ebs.inputs as Obj).assumeRolePolicy).Statement[0];
        const [sub] = Object.entries(statement.Condition.StringEquals).find(([k]) => k.endsWith(":sub"))!.slice(1);
        assert.strictEqual(sub, "system:serviceaccount:kube-system:ebs-csi-controller-sa");
        assert.strictEqual(statement.Action, "sts:AssumeRoleWithWebIdentity");
        assert.ok(Object.entries(statement.Condition.StringEquals).some(([k, v]) => k.endsWith(":aud") && v === "sts.amazonaws.com"));
    });

    it("installs the core add-ons once the system nodes exist, with network policies enforced", async () => {
        const plan = await planOf("Pulumi.prod.yaml");
        const addons = ofType(plan.resources, "aws:eks/addon:Addon");
        assert.deepStrictEqual(addons.map((a) => (a.inputs as Obj).addonName).sort(), ["aws-ebs-csi-driver", "coredns", "kube-proxy", "vpc-cni"]);
        const system = plan.resources.find((r) => r.type === "aws:eks/nodeGroup:NodeGroup" && r.name.endsWith("-system-ng"))!;
        for (const addon of addons) {
            assert.ok(addon.dependsOn.includes(system.urn), `${(addon.inputs as Obj).addonName} does not wait for nodes`);
        }
        const cni = addons.find((a) => (a.inputs as Obj).addonName === "vpc-cni")!;
        assert.deepStrictEqual(JSON.parse((cni.inputs as Obj).configurationValues), { enableNetworkPolicy: "true" });
    });

    it("moves node groups and add-ons to the control plane's version after it, never ahead of it", async () => {
        const plan = await planOf("Pulumi.prod.yaml");
        const [cluster] = ofType(plan.resources, "aws:eks/cluster:Cluster");
        const groups = ofType(plan.resources, "aws:eks/nodeGroup:NodeGroup");
        assert.ok(groups.length >= 6);
        for (const group of groups) {
            assert.strictEqual((group.inputs as Obj).version, plan.spec.kubernetes.version, `${group.name} has no Kubernetes version`);
            // Read from the cluster's output, so a version change reaches the nodes after the control plane.
            assert.deepStrictEqual(group.propertyDependencies.version, [cluster.urn], `${group.name} takes its version from elsewhere`);
        }
        const lookups = plan.invokes.filter((i) => i.token === "aws:eks/getAddonVersion:getAddonVersion");
        const addons = ofType(plan.resources, "aws:eks/addon:Addon");
        for (const addon of addons) {
            const name = (addon.inputs as Obj).addonName;
            const lookup = lookups.find((i) => i.inputs.addonName === name);
            assert.deepStrictEqual(lookup?.inputs, { addonName: name, kubernetesVersion: plan.spec.kubernetes.version, mostRecent: false });
            assert.ok(String((addon.inputs as Obj).addonVersion).endsWith(`-eksbuild.k${plan.spec.kubernetes.version}`), `${name} is not at the looked-up version`);
            // Read from the cluster's output, so add-ons move after the control plane.
            assert.ok(addon.propertyDependencies.addonVersion?.includes(cluster.urn), `${name}'s version does not follow the cluster`);
        }
    });

    it("renders a kubeconfig that fetches short-lived tokens with the AWS CLI", () => {
        const config = JSON.parse(renderKubeconfig({ clusterName: "c1", endpoint: "https://x", certificateAuthority: "Q0E=", region: "eu-west-1" }));
        assert.strictEqual(config.clusters[0].cluster.server, "https://x");
        assert.strictEqual(config.clusters[0].cluster["certificate-authority-data"], "Q0E=");
        assert.deepStrictEqual(config.users[0].user.exec.args, ["eks", "get-token", "--cluster-name", "c1", "--region", "eu-west-1", "--output", "json"]);
        assert.ok(!JSON.stringify(config).includes("token\":"), "no static token");
    });

    it("derives valid cluster and namespace names from any stack name", () => {
        assert.deepStrictEqual(stackNames("Acme.Prod_eu"), { clusterName: "tracardi-acme-prod-eu", namespace: "tracardi-acme-prod-eu" });
        const long = stackNames("x".repeat(120));
        assert.ok(long.namespace.length <= 63 && /^[a-z0-9-]+$/.test(long.namespace) && !long.namespace.endsWith("-"));
        assert.ok(long.clusterName.length <= 100);
    });
});
