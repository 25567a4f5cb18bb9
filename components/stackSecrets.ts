import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { GENERATED_SECRET_NAMES, GeneratedSecretName, SECRET_SETTINGS, SecretName } from "../stacks/secrets";

export interface StackSecretsArgs {
    /** Values from secret config; every other secret the stack can generate is generated. */
    given: Partial<Record<SecretName, pulumi.Output<string>>>;
}

/** Generated length of each secret: comfortably above each minimum. */
const GENERATED_LENGTH = 32;

/**
 * The stack's secrets: taken from secret config or generated once and kept, encrypted, in the
 * stack's state. Every value is a Pulumi secret.
 */
export class StackSecrets extends pulumi.ComponentResource {
    readonly values: Record<GeneratedSecretName, pulumi.Output<string>>;

    constructor(name: string, args: StackSecretsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("tracardi:secrets:StackSecrets", name, {}, opts);
        const values = {} as Record<GeneratedSecretName, pulumi.Output<string>>;
        for (const secretName of GENERATED_SECRET_NAMES) {
            const given = args.given[secretName];
            values[secretName] = given
                ? pulumi.secret(given)
                : new random.RandomPassword(`${name}-${secretName}`, {
                    length: Math.max(GENERATED_LENGTH, SECRET_SETTINGS[secretName].minLength),
                    // Letters and digits only: the values travel in JSON, URLs and MySQL's
                    // password rules without escaping.
                    special: false,
                    minUpper: 2,
                    minLower: 2,
                    minNumeric: 2,
                }, { parent: this }).result;
        }
        this.values = values;
        this.registerOutputs({});
    }
}
