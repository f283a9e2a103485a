/**
 * Ports for secrets kept encrypted at rest (envelope encryption; `shared/aws/kms-envelope.ts`
 * implements them on KMS). Sealing and opening are separate capabilities: the code path that
 * writes a secret gets a `SecretSealer` only, the one that uses it a `SecretOpener` only.
 * The context (e.g. `{ webhookId }`) binds a sealed value to the record it belongs to.
 */
export type SecretContext = Readonly<Record<string, string>>;

export interface SecretSealer {
  seal(plaintext: string, context: SecretContext): Promise<string>;
}

export interface SecretOpener {
  open(sealed: string, context: SecretContext): Promise<string>;
}

/** A sealed value that is malformed, tampered with, or bound to another context or key. */
export class UnopenableSecretError extends Error {
  override readonly name = 'UnopenableSecretError';
}
