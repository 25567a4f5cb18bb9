/** IAM policy documents as data, so their conditions can be checked in tests. */

/** An IAM role's or user's ARN: partition, account and kind captured. */
export const IAM_PRINCIPAL_ARN = /^arn:(aws[a-z-]*):iam::(\d{12}):(role|user)\/[\w+=,.@/-]+$/;

/**
 * Trust policy of a role for an AWS service. With `sourceAccount`, the service may assume it only
 * on behalf of that account (`aws:SourceAccount`), which keeps other accounts' use of the service
 * from reaching the role (the confused-deputy problem). @default sourceAccount none
 */
export function serviceTrustPolicy(service: string, sourceAccount?: string): string {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [{
            Effect: "Allow",
            Principal: { Service: service },
            Action: "sts:AssumeRole",
            ...(sourceAccount ? { Condition: { StringEquals: { "aws:SourceAccount": sourceAccount } } } : {}),
        }],
    });
}

/**
 * Trust policy of a role for one Kubernetes service account (IRSA): only that account of that
 * namespace, and only for tokens minted for STS.
 */
export function serviceAccountTrustPolicy(oidcProviderArn: string, issuerUrl: string, namespace: string, serviceAccount: string): string {
    const issuer = issuerUrl.replace(/^https:\/\//, "");
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [{
            Effect: "Allow",
            Principal: { Federated: oidcProviderArn },
            Action: "sts:AssumeRoleWithWebIdentity",
            Condition: {
                StringEquals: {
                    [`${issuer}:sub`]: `system:serviceaccount:${namespace}:${serviceAccount}`,
                    [`${issuer}:aud`]: "sts.amazonaws.com",
                },
            },
        }],
    });
}

/** Bucket policy statement refusing every request that does not use TLS. */
export function denyInsecureTransport(bucketArn: string): Record<string, unknown> {
    return {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [bucketArn, `${bucketArn}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
    };
}

export const managedPolicy = (partition: string, name: string): string => `arn:${partition}:iam::aws:policy/${name}`;
