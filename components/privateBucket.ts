import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface PrivateBucketArgs {
    /** Default encryption: S3-managed keys, or a KMS key. */
    encryption: aws.types.input.s3.BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefault;
    /** Keep overwritten and deleted objects as noncurrent versions. */
    versioned: boolean;
    /** Expiry of what the bucket holds. */
    lifecycleRule: aws.types.input.s3.BucketLifecycleConfigurationRule;
    /** The bucket policy, given the bucket's ARN; it should deny requests without TLS. */
    policy: (bucketArn: pulumi.Output<string>) => pulumi.Input<string>;
    /** Pulumi refuses to delete the bucket. @default false */
    protect?: boolean;
    /** `pulumi destroy` deletes the bucket with what it holds (S3 refuses to delete a bucket that is not empty). @default false */
    forceDestroy?: boolean;
    tags: Record<string, string>;
}

export interface PrivateBucket {
    bucket: aws.s3.Bucket;
    /** What must exist before anyone writes to the bucket: its encryption and its policy. */
    ready: pulumi.Resource[];
}

/**
 * An S3 bucket no one outside the account can reach: public access blocked, ACLs disabled,
 * encrypted by default, with a lifecycle and a policy. Its children hang from `parent` under
 * the given name, so they read as part of the component that owns the bucket.
 */
export function privateBucket(name: string, args: PrivateBucketArgs, parent: pulumi.Resource): PrivateBucket {
    const bucket = new aws.s3.Bucket(name, { forceDestroy: args.forceDestroy, tags: args.tags }, { parent, protect: args.protect });
    const publicAccess = new aws.s3.BucketPublicAccessBlock(name, {
        bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true,
    }, { parent });
    new aws.s3.BucketOwnershipControls(name, { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } }, { parent });
    const encryption = new aws.s3.BucketServerSideEncryptionConfiguration(name, {
        bucket: bucket.id,
        rules: [{ applyServerSideEncryptionByDefault: args.encryption, bucketKeyEnabled: args.encryption.sseAlgorithm === "aws:kms" || undefined }],
    }, { parent });
    const versioning = args.versioned
        ? [new aws.s3.BucketVersioning(name, { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } }, { parent })]
        : [];
    new aws.s3.BucketLifecycleConfiguration(name, { bucket: bucket.id, rules: [args.lifecycleRule] }, { parent, dependsOn: versioning });
    const policy = new aws.s3.BucketPolicy(name, { bucket: bucket.id, policy: args.policy(bucket.arn) }, { parent, dependsOn: [publicAccess] });
    return { bucket, ready: [encryption, policy] };
}
