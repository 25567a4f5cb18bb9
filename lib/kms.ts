import { IAM_PRINCIPAL_ARN } from "./iam";

/**
 * KMS key policies as data: the account administers a key, and only the one principal that uses
 * it may encrypt and decrypt with it. Without an explicit policy a key gets AWS's default, which
 * lets every IAM principal of the account whose IAM policies allow it use the key.
 */

interface PolicyStatement {
    Sid: string;
    Effect: "Allow" | "Deny";
    Principal: { AWS: string | string[] } | { Service: string };
    Action: string[];
    Resource: "*";
    Condition?: Record<string, Record<string, string>>;
}

interface KeyPolicy {
    Version: "2012-10-17";
    Statement: PolicyStatement[];
}

/**
 * Managing the key, never using it. `kms:PutKeyPolicy` (in `kms:Put*`) for the account keeps KMS's
 * lockout safety check satisfied: "the key policy must allow the principal that is making the
 * PutKeyPolicy request to make a subsequent PutKeyPolicy request on the KMS key"
 * (KMS API reference, PutKeyPolicy / CreateKey, BypassPolicyLockoutSafetyCheck), and the account
 * principal lets the deployer's IAM policies grant it.
 *
 * AWS's console default lists `kms:Create*`, `kms:Revoke*` and `kms:List*`, which include
 * CreateGrant, RevokeGrant and ListGrants without a condition: a grant is a way to use the key, so
 * those three are left to KEY_GRANT_ACTIONS, allowed only for grants an AWS service makes.
 */
export const KEY_ADMIN_ACTIONS = [
    "kms:CreateAlias",
    "kms:Describe*",
    "kms:Enable*",
    "kms:ListAliases", "kms:ListKeyPolicies", "kms:ListKeyRotations", "kms:ListResourceTags", "kms:ListRetirableGrants",
    "kms:Put*",
    "kms:Update*",
    "kms:Disable*",
    "kms:Get*",
    "kms:Delete*",
    "kms:TagResource",
    "kms:UntagResource",
    "kms:ScheduleKeyDeletion",
    "kms:CancelKeyDeletion",
    "kms:RotateKeyOnDemand",
];

/** Grants for AWS resources: an AWS service (EKS, S3) creating a grant on the caller's behalf. */
export const KEY_GRANT_ACTIONS = ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"];

/** Encryption and decryption: what a key's user needs. */
export const KEY_USE_ACTIONS = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"];


/** `arn:<partition>:iam::<account>:root` of the account an IAM role's or user's ARN belongs to. */
export function accountRootOf(principalArn: string): string {
    const match = IAM_PRINCIPAL_ARN.exec(principalArn);
    if (!match) {
        throw new Error(`${principalArn} is not the ARN of an IAM role or user`);
    }
    return `arn:${match[1]}:iam::${match[2]}:root`;
}

function adminStatements(accountRoot: string): PolicyStatement[] {
    return [
        { Sid: "AccountAdministersKey", Effect: "Allow", Principal: { AWS: accountRoot }, Action: KEY_ADMIN_ACTIONS, Resource: "*" },
        {
            Sid: "AccountGrantsForAwsResources",
            Effect: "Allow",
            Principal: { AWS: accountRoot },
            Action: KEY_GRANT_ACTIONS,
            Resource: "*",
            Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } },
        },
    ];
}

/**
 * The EKS secrets key: the account administers it; the cluster role, and nobody else, uses it.
 *
 * EKS CreateCluster with `encryptionConfig` fails with "User not authorized to perform
 * kms:CreateGrant" unless the caller may call kms:DescribeKey and kms:CreateGrant on the key
 * (EKS API reference, EncryptionConfig / Provider; kubernetes-sigs/cluster-api-provider-aws#2432):
 * EKS creates the grant on the caller's behalf, so `kms:GrantIsForAWSResource` holds. The control
 * plane also calls kms:ListGrants as the cluster role in its health checks
 * (terraform-aws-modules/terraform-aws-eks#1913).
 */
export function eksSecretsKeyPolicy(clusterRoleArn: string): string {
    const policy: KeyPolicy = {
        Version: "2012-10-17",
        Statement: [
            ...adminStatements(accountRootOf(clusterRoleArn)),
            {
                Sid: "ClusterRoleUsesKey",
                Effect: "Allow",
                Principal: { AWS: clusterRoleArn },
                Action: [...KEY_USE_ACTIONS, "kms:ListGrants"],
                Resource: "*",
            },
        ],
    };
    return JSON.stringify(policy);
}

/**
 * The search-snapshot key: the account administers it; the snapshot user uses it, and only through
 * S3 in the stack's region (SSE-KMS on the snapshot bucket), never directly.
 */
export function snapshotKeyPolicy(writerArns: string | string[], region: string, readerArns: string[] = []): string {
    const writers = [writerArns].flat();
    const throughS3 = { StringEquals: { "kms:ViaService": `s3.${region}.amazonaws.com` } };
    const readers: PolicyStatement[] = readerArns.length === 0 ? [] : [{
        // Those the operator names may read snapshots (copy them out, restore them into another
        // cluster), through S3 only: decrypt, never encrypt.
        Sid: "ReadersDecryptThroughS3",
        Effect: "Allow",
        Principal: { AWS: readerArns },
        Action: ["kms:Decrypt", "kms:DescribeKey"],
        Resource: "*",
        Condition: throughS3,
    }];
    const policy: KeyPolicy = {
        Version: "2012-10-17",
        Statement: [
            ...adminStatements(accountRootOf(writers[0])),
            {
                Sid: "SnapshotUserUsesKeyThroughS3",
                Effect: "Allow",
                Principal: { AWS: writers.length === 1 ? writers[0] : writers },
                Action: KEY_USE_ACTIONS,
                Resource: "*",
                Condition: throughS3,
            },
            ...readers,
        ],
    };
    return JSON.stringify(policy);
}
